//! Integration tests for `jq`: each case runs our front end in memory; cases
//! marked `Same` also run the system jq (1.6) and must agree with it, cases
//! marked `Jq17` document where we follow jq 1.7 instead.

mod cases;

use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, Stdio};

/// Whether the system jq must agree with the case.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Oracle {
    /// jq 1.6 prints the same bytes and exits the same way.
    Same,
    /// jq 1.7 behaviour, which differs from the system's jq 1.6.
    Jq17,
}

/// One command-line run and what it must produce.
pub struct Case {
    pub args: &'static [&'static str],
    pub stdin: &'static str,
    pub stdout: &'static str,
    pub status: i32,
    pub oracle: Oracle,
}

fn run_ours(args: &[&str], stdin: &str) -> (String, String, i32) {
    let argv: Vec<OsString> = std::iter::once("jq")
        .chain(args.iter().copied())
        .map(OsString::from)
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = wa_jq::run(&argv, &mut stdin.as_bytes(), &mut out, &mut err);
    (
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
        code,
    )
}

fn run_system_jq(args: &[&str], stdin: &str) -> Option<(String, i32)> {
    let mut child = Command::new("jq")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(stdin.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    Some((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    ))
}

#[test]
fn cases_match_expected_output() {
    let mut failures = Vec::new();
    for case in cases::CASES {
        let (out, err, code) = run_ours(case.args, case.stdin);
        if out != case.stdout || code != case.status {
            failures.push(format!(
                "jq {:?} <<< {:?}\n  want {:?} exit {}\n  got  {:?} exit {} stderr {:?}",
                case.args, case.stdin, case.stdout, case.status, out, code, err
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn same_cases_agree_with_system_jq() {
    if run_system_jq(&["-n", "1"], "").is_none() {
        eprintln!("system jq not found; skipping differential check");
        return;
    }
    let mut failures = Vec::new();
    for case in cases::CASES.iter().filter(|c| c.oracle == Oracle::Same) {
        let (want, want_code) = run_system_jq(case.args, case.stdin).expect("jq runs");
        let (out, _, code) = run_ours(case.args, case.stdin);
        if out != want || code != want_code {
            failures.push(format!(
                "jq {:?}: system {:?} exit {want_code}, ours {:?} exit {code}",
                case.args, want, out
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differential failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn errors_are_reported_like_jq() {
    let (_, err, code) = run_ours(&[".a.b"], "{\"a\":1}\n");
    assert_eq!(code, 5);
    assert_eq!(
        err,
        "jq: error (at <stdin>:1): Cannot index number with \"b\"\n"
    );

    let (_, err, code) = run_ours(&["-n", ".a["], "");
    assert_eq!(code, 3);
    assert!(
        err.starts_with("jq: error: syntax error") && err.ends_with("jq: 1 compile error\n"),
        "{err}"
    );

    let (_, err, code) = run_ours(&["-n", "foo"], "");
    assert_eq!(
        (code, err.as_str()),
        (
            3,
            "jq: error: foo/0 is not defined at <top-level>, line 1:\nfoo\njq: 1 compile error\n"
        )
    );

    let (_, err, code) = run_ours(&[".", "/nonexistent/x.json"], "");
    assert_eq!(
        (code, err.as_str()),
        (
            2,
            "jq: error: Could not open /nonexistent/x.json: No such file or directory\n"
        )
    );

    let (_, err, code) = run_ours(&["."], "{\n");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "jq: error (at <stdin>:1): Unfinished JSON term at EOF at line 2, column 0\n"
    );

    let (_, err, code) = run_ours(&["-n", "error({\"a\":1})"], "");
    assert_eq!(
        (code, err.as_str()),
        (5, "jq: error (at <unknown>) (not a string): {\"a\":1}\n")
    );

    let (_, err, code) = run_ours(&["--bogus"], "");
    assert_eq!(code, 2);
    assert!(err.starts_with("jq: Unknown option: --bogus\n"), "{err}");
}

#[test]
fn debug_stderr_and_halt_error_write_to_stderr() {
    let (out, err, code) = run_ours(&["-n", "1 | debug | stderr"], "");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("1\n", "[\"DEBUG:\",1]\n1", 0)
    );
    let (out, err, code) = run_ours(&["-n", "\"bye\\n\" | halt_error(3)"], "");
    assert_eq!((out.as_str(), err.as_str(), code), ("", "bye\n", 3));
    let (_, err, code) = run_ours(&["-n", "{\"a\":1} | halt_error"], "");
    assert_eq!((err.as_str(), code), ("{\"a\":1}\n", 5));
}

#[test]
fn files_slurpfile_and_rawfile() {
    let dir = std::env::temp_dir().join(format!("wa-jq-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.json");
    let b = dir.join("b.txt");
    std::fs::write(&a, "1\n[2,\n3]\n").unwrap();
    std::fs::write(&b, "line1\nline2\n").unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());

    let (out, _, code) = run_ours(&["-c", "[., input_filename]", a, a], "");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!("[1,\"{a}\"]\n[[2,3],\"{a}\"]\n[1,\"{a}\"]\n[[2,3],\"{a}\"]\n")
    );

    let (out, _, _) = run_ours(
        &[
            "-nc",
            "--slurpfile",
            "v",
            a,
            "--rawfile",
            "r",
            b,
            "[$v, $r]",
        ],
        "",
    );
    assert_eq!(out, "[[1,[2,3]],\"line1\\nline2\\n\"]\n");

    let (_, err, code) = run_ours(&[".x", a], "");
    assert_eq!(code, 5);
    assert!(
        err.starts_with(&format!(
            "jq: error (at {a}:1): Cannot index number with \"x\"\n"
        )),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
