//! tar: listing archives made by GNU tar, GNU tar reading ours, extraction,
//! exclusion patterns compared with GNU tar's.

use crate::{argv, have, scratch, system};
use std::path::Path;
use wa_archive::tar_run;

fn run(args: &[&str]) -> (String, String, i32) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = tar_run(&argv(args), &mut &b""[..], &mut out, &mut err);
    (
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
        code,
    )
}

fn tree(dir: &Path) {
    std::fs::create_dir_all(dir.join("t/sub")).unwrap();
    std::fs::write(dir.join("t/sub/f"), b"hi\n").unwrap();
    std::fs::write(dir.join("t/b"), b"big\n").unwrap();
    std::fs::write(dir.join("t/a.csv"), b"x,y\n").unwrap();
    std::fs::write(dir.join("t/sub/c.csv"), b"1,2\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("sub/f", dir.join("t/link")).unwrap();
}

fn mtime(path: &Path) -> u64 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn set_mtime(path: &Path, secs: u64) {
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    std::fs::File::open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

#[test]
fn create_list_extract_round_trip() {
    let dir = scratch("roundtrip");
    tree(&dir);
    set_mtime(&dir.join("t/b"), 1_000_000_000);
    set_mtime(&dir.join("t/sub"), 1_100_000_000);
    let d = dir.to_str().unwrap();
    let (_, err, code) = run(&["tar", "czf", &format!("{d}/a.tgz"), "-C", d, "t"]);
    assert_eq!((err.as_str(), code), ("", 0));
    let (out, _, _) = run(&["tar", "-tzf", &format!("{d}/a.tgz")]);
    assert_eq!(
        out,
        "t/\nt/a.csv\nt/b\nt/link\nt/sub/\nt/sub/c.csv\nt/sub/f\n"
    );
    std::fs::create_dir(dir.join("x")).unwrap();
    let (out, _, code) = run(&[
        "tar",
        "-xvf",
        &format!("{d}/a.tgz"),
        "-C",
        &format!("{d}/x"),
        "--strip-components=1",
        "t/sub",
    ]);
    assert_eq!((out.as_str(), code), ("t/sub/\nt/sub/c.csv\nt/sub/f\n", 0));
    assert_eq!(std::fs::read(dir.join("x/sub/f")).unwrap(), b"hi\n");
    assert!(!dir.join("x/b").exists());
    let (out, _, _) = run(&["tar", "xOf", &format!("{d}/a.tgz"), "t/b"]);
    assert_eq!(out, "big\n");
    // Everything, into a fresh directory: contents, symlinks, times.
    std::fs::create_dir(dir.join("all")).unwrap();
    let (_, err, code) = run(&[
        "tar",
        "xf",
        &format!("{d}/a.tgz"),
        "-C",
        &format!("{d}/all"),
    ]);
    assert_eq!((err.as_str(), code), ("", 0));
    assert_eq!(std::fs::read(dir.join("all/t/b")).unwrap(), b"big\n");
    assert_eq!(mtime(&dir.join("all/t/b")), 1_000_000_000);
    assert_eq!(mtime(&dir.join("all/t/sub")), 1_100_000_000);
    #[cfg(unix)]
    assert_eq!(
        std::fs::read_link(dir.join("all/t/link")).unwrap(),
        Path::new("sub/f")
    );
}

#[test]
fn extraction_replaces_existing_files_and_keeps_them_with_k() {
    let dir = scratch("replace");
    tree(&dir);
    let d = dir.to_str().unwrap();
    run(&["tar", "cf", &format!("{d}/a.tar"), "-C", d, "t"]);
    // A stale file, and a symlink that must be replaced, not written through.
    std::fs::write(dir.join("t/b"), b"stale\n").unwrap();
    std::fs::write(dir.join("outside"), b"keep\n").unwrap();
    std::fs::remove_file(dir.join("t/a.csv")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../outside", dir.join("t/a.csv")).unwrap();
    let (_, err, code) = run(&["tar", "xf", &format!("{d}/a.tar"), "-C", d]);
    assert_eq!((err.as_str(), code), ("", 0));
    assert_eq!(std::fs::read(dir.join("t/b")).unwrap(), b"big\n");
    assert_eq!(std::fs::read(dir.join("t/a.csv")).unwrap(), b"x,y\n");
    assert_eq!(std::fs::read(dir.join("outside")).unwrap(), b"keep\n");
    std::fs::write(dir.join("t/b"), b"mine\n").unwrap();
    let (_, err, code) = run(&["tar", "xkf", &format!("{d}/a.tar"), "-C", d, "t/b"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("tar: t/b: Cannot open: File exists\n"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("t/b")).unwrap(), b"mine\n");
}

#[test]
fn errors_like_gnu() {
    let (_, err, code) = run(&["tar", "xf", "/nonexistent.tar"]);
    assert_eq!((err.as_str(), code), ("tar: /nonexistent.tar: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n", 2));
    let (_, err, code) = run(&["tar", "cf", "/dev/null", "/nonexistent"]);
    assert_eq!(code, 2);
    assert!(err.ends_with("tar: /nonexistent: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n"), "{err}");
    let (_, err, code) = run(&["tar", "-f", "x"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("tar: You must specify one of"), "{err}");
    let (_, err, code) = run(&["tar", "cf", "/dev/null", "-X", "/nonexistent", "."]);
    assert_eq!((err.as_str(), code), ("tar: /nonexistent: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n", 2));
}

#[test]
fn differential_with_gnu_tar() {
    if !have("tar") {
        eprintln!("GNU tar not installed; skipping");
        return;
    }
    let dir = scratch("tar-gnu");
    tree(&dir);
    let d = dir.to_str().unwrap();
    // GNU archive, our listing (long format included).
    system(&dir, "tar", &["cf", "gnu.tar", "--sort=name", "t"]);
    for flags in ["tf", "tvf"] {
        let (want, _) = system(&dir, "tar", &[flags, "gnu.tar"]);
        let (got, _, _) = run(&["tar", flags, &format!("{d}/gnu.tar")]);
        assert_eq!(got, String::from_utf8_lossy(&want), "tar {flags}");
    }
    // Our archive, GNU listing and extraction.
    run(&["tar", "-czf", &format!("{d}/ours.tgz"), "-C", d, "t"]);
    let (gnu_list, code) = system(&dir, "tar", &["tvzf", "ours.tgz"]);
    assert_eq!(code, 0);
    let (our_list, _, _) = run(&["tar", "tvf", &format!("{d}/gnu.tar")]);
    assert_eq!(String::from_utf8_lossy(&gnu_list), our_list);
    std::fs::create_dir(dir.join("out")).unwrap();
    let (_, code) = system(&dir, "tar", &["xzf", "ours.tgz", "-C", "out"]);
    assert_eq!(code, 0);
    let (_, code) = system(&dir, "diff", &["-r", "--no-dereference", "t", "out/t"]);
    assert_eq!(code, 0);
    // GNU archive, our extraction.
    std::fs::create_dir(dir.join("back")).unwrap();
    let (_, err, code) = run(&[
        "tar",
        "xf",
        &format!("{d}/gnu.tar"),
        "-C",
        &format!("{d}/back"),
    ]);
    assert_eq!((err.as_str(), code), ("", 0));
    let (_, code) = system(&dir, "diff", &["-r", "--no-dereference", "t", "back/t"]);
    assert_eq!(code, 0);
}

#[test]
fn long_names_and_hard_links_from_gnu() {
    if !have("tar") {
        eprintln!("GNU tar not installed; skipping");
        return;
    }
    let dir = scratch("tar-long");
    let deep = format!("t/{}/{}", "d".repeat(80), "n".repeat(90));
    std::fs::create_dir_all(dir.join(&deep)).unwrap();
    let long_file = format!("{deep}/{}.txt", "f".repeat(120));
    std::fs::write(dir.join(&long_file), b"long\n").unwrap();
    std::fs::hard_link(dir.join(&long_file), dir.join("t/hard")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(format!("{}/x", "l".repeat(150)), dir.join("t/longlink")).unwrap();
    let d = dir.to_str().unwrap();
    // Ours → GNU: same listing.
    let (_, err, code) = run(&["tar", "cf", &format!("{d}/ours.tar"), "-C", d, "t"]);
    assert_eq!((err.as_str(), code), ("", 0));
    let (gnu, code) = system(&dir, "tar", &["tvf", "ours.tar"]);
    assert_eq!(code, 0);
    let (ours, _, _) = run(&["tar", "tvf", &format!("{d}/ours.tar")]);
    assert_eq!(ours, String::from_utf8_lossy(&gnu));
    assert!(ours.contains(&long_file), "{ours}");
    // GNU (hard link stored as a link) → ours: same listing, and the link
    // is extracted as a hard link.
    system(&dir, "tar", &["cf", "gnu.tar", "--sort=name", "t"]);
    let (gnu, _) = system(&dir, "tar", &["tvf", "gnu.tar"]);
    let (ours, _, _) = run(&["tar", "tvf", &format!("{d}/gnu.tar")]);
    assert_eq!(ours, String::from_utf8_lossy(&gnu));
    assert!(ours.contains(" link to "), "{ours}");
    std::fs::create_dir(dir.join("x")).unwrap();
    let (_, err, code) = run(&[
        "tar",
        "xf",
        &format!("{d}/gnu.tar"),
        "-C",
        &format!("{d}/x"),
    ]);
    assert_eq!((err.as_str(), code), ("", 0));
    assert_eq!(
        std::fs::read(dir.join("x").join(&long_file)).unwrap(),
        b"long\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let a = std::fs::metadata(dir.join("x").join(&long_file)).unwrap();
        let b = std::fs::metadata(dir.join("x/t/hard")).unwrap();
        assert_eq!(a.ino(), b.ino());
    }
    let (_, code) = system(&dir, "diff", &["-r", "--no-dereference", "t", "x/t"]);
    assert_eq!(code, 0);
}

#[test]
fn exclude_matches_gnu_tar() {
    if !have("tar") {
        eprintln!("GNU tar not installed; skipping");
        return;
    }
    let dir = scratch("tar-exclude");
    tree(&dir);
    let d = dir.to_str().unwrap();
    system(&dir, "tar", &["cf", "gnu.tar", "--sort=name", "t"]);
    let patterns = [
        "*.csv",
        "sub",
        "t/sub",
        "sub/",
        "f",
        "t",
        "*/f",
        "s?b",
        "[bl]*",
        "link",
        "t/*",
        "*b*",
        "./t",
        "a.csv",
        "\\*",
        "[!a]*.csv",
        "*/",
        "t/",
        "t/sub/",
        "*sub/*",
        "sub*",
    ];
    for pattern in patterns {
        let exclude = format!("--exclude={pattern}");
        // Creating.
        let (gnu, _) = system(&dir, "tar", &["cf", "-", "--sort=name", &exclude, "t"]);
        std::fs::write(dir.join("gnu-ex.tar"), gnu).unwrap();
        let (want, _) = system(&dir, "tar", &["tf", "gnu-ex.tar"]);
        run(&[
            "tar",
            "cf",
            &format!("{d}/ours-ex.tar"),
            "-C",
            d,
            &exclude,
            "t",
        ]);
        let (got, _, _) = run(&["tar", "tf", &format!("{d}/ours-ex.tar")]);
        assert_eq!(
            got,
            String::from_utf8_lossy(&want),
            "creating with {exclude}"
        );
        // Listing.
        let (want, _) = system(&dir, "tar", &["tf", "gnu.tar", &exclude]);
        let (got, _, _) = run(&["tar", "tf", &format!("{d}/gnu.tar"), &exclude]);
        assert_eq!(
            got,
            String::from_utf8_lossy(&want),
            "listing with {exclude}"
        );
    }
    // Patterns from a file, blank lines and trailing blanks ignored.
    std::fs::write(dir.join("ex.list"), "*.csv  \n\nlink\n").unwrap();
    let (want, _) = system(&dir, "tar", &["tf", "gnu.tar", "-X", "ex.list"]);
    let (got, _, _) = run(&[
        "tar",
        "tf",
        &format!("{d}/gnu.tar"),
        "-X",
        &format!("{d}/ex.list"),
    ]);
    assert_eq!(got, String::from_utf8_lossy(&want));
    assert_eq!(got, "t/\nt/b\nt/sub/\nt/sub/f\n");
}
