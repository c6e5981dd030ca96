//! tar: listing archives made by GNU tar, GNU tar reading ours, extraction.

use crate::{argv, have, scratch, system};
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

fn tree(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("t/sub")).unwrap();
    std::fs::write(dir.join("t/sub/f"), b"hi\n").unwrap();
    std::fs::write(dir.join("t/b"), b"big\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("sub/f", dir.join("t/link")).unwrap();
}

#[test]
fn create_list_extract_round_trip() {
    let dir = scratch("roundtrip");
    tree(&dir);
    let d = dir.to_str().unwrap();
    let (_, err, code) = run(&["tar", "czf", &format!("{d}/a.tgz"), "-C", d, "t"]);
    assert_eq!((err.as_str(), code), ("", 0));
    let (out, _, _) = run(&["tar", "-tzf", &format!("{d}/a.tgz")]);
    assert_eq!(out, "t/\nt/b\nt/link\nt/sub/\nt/sub/f\n");
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
    assert_eq!((out.as_str(), code), ("t/sub/\nt/sub/f\n", 0));
    assert_eq!(std::fs::read(dir.join("x/sub/f")).unwrap(), b"hi\n");
    assert!(!dir.join("x/b").exists());
    let (out, _, _) = run(&["tar", "xOf", &format!("{d}/a.tgz"), "t/b"]);
    assert_eq!(out, "big\n");
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
}

#[test]
fn differential_with_gnu_tar() {
    if !have("tar") {
        eprintln!("GNU tar not installed; skipping");
        return;
    }
    let dir = scratch("gnu");
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
    let (_, code) = system(&dir, "diff", &["-r", "t", "out/t"]);
    assert_eq!(code, 0);
}
