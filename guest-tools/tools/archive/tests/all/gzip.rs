//! gzip, gunzip, zcat: cases as data, and round trips with GNU gzip.

use crate::{argv, have, scratch, system};
use wa_archive::{gzip, gzip_run};

fn run(args: &[&str], stdin: &[u8]) -> (Vec<u8>, String, i32) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let preset = match args[0] {
        "gunzip" => gzip::Options {
            decompress: true,
            ..gzip::defaults()
        },
        "zcat" => gzip::Options {
            decompress: true,
            stdout: true,
            ..gzip::defaults()
        },
        _ => gzip::defaults(),
    };
    let code = gzip_run(&argv(args), preset, &mut &stdin[..], &mut out, &mut err);
    (out, String::from_utf8_lossy(&err).into_owned(), code)
}

#[test]
fn stdin_round_trip_and_concatenated_members() {
    let (gz, _, code) = run(&["gzip"], b"hello world\n");
    assert_eq!(code, 0);
    let mut twice = gz.clone();
    twice.extend_from_slice(&gz);
    let (plain, _, code) = run(&["zcat"], &twice);
    assert_eq!(
        (plain.as_slice(), code),
        (&b"hello world\nhello world\n"[..], 0)
    );
    let (plain, _, _) = run(&["gzip", "-dc", "-"], &gz);
    assert_eq!(plain, b"hello world\n");
}

/// Files to create before a case: (name, contents).
type Setup = &'static [(&'static str, &'static [u8])];

/// (args, file contents set up first, expected stderr, expected exit status)
const FILE_CASES: &[(&[&str], Setup, &str, i32)] = &[
    (&["gzip", "a"], &[("a", b"x")], "", 0),
    (&["gzip", "a.gz"], &[("a.gz", b"x")], "gzip: a.gz already has .gz suffix -- unchanged\n", 2),
    (&["gzip", "a"], &[("a", b"x"), ("a.gz", b"")], "gzip: a.gz already exists;\tnot overwritten\n", 2),
    (&["gzip", "-f", "a"], &[("a", b"x"), ("a.gz", b"")], "", 0),
    (&["gzip", "missing"], &[], "gzip: missing: No such file or directory\n", 1),
    (&["gunzip", "j.gz"], &[("j.gz", b"junk")], "gzip: j.gz: not in gzip format\n", 1),
    (&["gunzip", "b"], &[("b", b"x")], "gzip: b: unknown suffix -- ignored\n", 2),
    (&["gzip", "missing", "a.gz"], &[("a.gz", b"x")], "gzip: missing: No such file or directory\ngzip: a.gz already has .gz suffix -- unchanged\n", 1),
];

#[test]
fn file_cases_report_like_gnu() {
    for (i, (args, files, want_err, want_code)) in FILE_CASES.iter().enumerate() {
        let dir = scratch(&format!("case{i}"));
        for (name, data) in *files {
            std::fs::write(dir.join(name), data).unwrap();
        }
        let args: Vec<String> = args
            .iter()
            .enumerate()
            .map(|(j, a)| {
                if j == 0 || a.starts_with('-') {
                    a.to_string()
                } else {
                    dir.join(a).display().to_string()
                }
            })
            .collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, err, code) = run(&refs, b"");
        let err = err.replace(&format!("{}/", dir.display()), "");
        assert_eq!(
            (err.as_str(), code),
            (*want_err, *want_code),
            "case {args:?}"
        );
    }
}

#[test]
fn compress_replaces_file_and_keeps_mtime() {
    let dir = scratch("replace");
    let a = dir.join("a");
    std::fs::write(&a, b"data data data\n").unwrap();
    let f = std::fs::File::options().write(true).open(&a).unwrap();
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    f.set_modified(t).unwrap();
    drop(f);
    let (_, _, code) = run(&["gzip", a.to_str().unwrap()], b"");
    assert_eq!(code, 0);
    assert!(!a.exists());
    let gz = dir.join("a.gz");
    assert_eq!(std::fs::metadata(&gz).unwrap().modified().unwrap(), t);
    let (_, _, code) = run(&["gunzip", "-k", gz.to_str().unwrap()], b"");
    assert_eq!(code, 0);
    assert_eq!(std::fs::read(&a).unwrap(), b"data data data\n");
    assert!(gz.exists());
}

#[test]
fn differential_with_gnu_gzip() {
    if !have("gzip") {
        eprintln!("GNU gzip not installed; skipping");
        return;
    }
    let dir = scratch("gzip-gnu");
    let text: Vec<u8> = (0..5000)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    std::fs::write(dir.join("t"), &text).unwrap();
    // Ours compresses, GNU decompresses.
    let (gz, _, _) = run(&["gzip", "-9", "-c", dir.join("t").to_str().unwrap()], b"");
    std::fs::write(dir.join("ours.gz"), &gz).unwrap();
    let (plain, code) = system(&dir, "gzip", &["-dc", "ours.gz"]);
    assert_eq!((plain == text, code), (true, 0));
    // GNU compresses, ours decompresses; `gzip -l` agrees byte for byte.
    let (gnu_gz, _) = system(&dir, "gzip", &["-c", "t"]);
    std::fs::write(dir.join("t.gz"), &gnu_gz).unwrap();
    let (plain, _, code) = run(&["zcat"], &gnu_gz);
    assert_eq!((plain == text, code), (true, 0));
    for file in ["t.gz", "ours.gz"] {
        let (want, _) = system(&dir, "gzip", &["-l", file]);
        let (got, _, _) = run(&["gzip", "-l", dir.join(file).to_str().unwrap()], b"");
        let got = String::from_utf8_lossy(&got).replace(&format!("{}/", dir.display()), "");
        assert_eq!(got, String::from_utf8_lossy(&want));
    }
}
