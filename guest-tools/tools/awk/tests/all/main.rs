//! Integration tests for wa-awk: awk programs as data (see `cases/`), run three ways:
//!
//! * `cases_match_expected`: our awk, in-process, must print the expected output (which is
//!   what GNU awk prints) and exit with the expected status;
//! * `differential_against_system_awk`: the system `/usr/bin/awk` (mawk on the dev machine)
//!   must agree on every case not marked implementation-defined; skipped without it;
//! * `gawk_agrees_with_expected`: GNU awk, when installed, must print the expected output
//!   for every case not marked as a documented difference; this keeps the data honest;
//! * `cases_pass_under_external_runner`: with `WA_AWK_RUNNER` set (for example to a wasm
//!   runner and the wasm32-wasip1 module), the same cases through that command.

mod case;
mod cases {
    pub mod arrays;
    pub mod basics;
    pub mod cli;
    pub mod control;
    pub mod errors;
    pub mod exprs;
    pub mod fields;
    pub mod functions;
    pub mod gawk_ext;
    pub mod io;
    pub mod printf;
    pub mod records;
    pub mod regex;
    pub mod strings;
}

use case::Case;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn all_cases() -> Vec<&'static Case> {
    [
        cases::basics::CASES,
        cases::fields::CASES,
        cases::exprs::CASES,
        cases::strings::CASES,
        cases::regex::CASES,
        cases::printf::CASES,
        cases::arrays::CASES,
        cases::functions::CASES,
        cases::control::CASES,
        cases::io::CASES,
        cases::records::CASES,
        cases::errors::CASES,
        cases::cli::CASES,
        cases::gawk_ext::CASES,
    ]
    .iter()
    .flat_map(|c| c.iter())
    .collect()
}

/// A fresh scratch directory for one case run, holding the case's files.
fn scratch(tag: &str, idx: usize, case: &Case) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wa-awk-{}-{tag}-{idx}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    for (name, content) in case.files {
        std::fs::write(dir.join(name), content).expect("write case file");
    }
    dir
}

fn subst(s: &str, dir: &Path) -> String {
    s.replace("$DIR", &dir.to_string_lossy())
}

struct Outcome {
    stdout: String,
    stderr: String,
    status: i32,
}

fn check(case: &Case, dir: &Path, got: &Outcome, who: &str) -> Option<String> {
    let want_out = subst(case.out, dir);
    let out_ok = case.status_only || got.stdout == want_out;
    if out_ok && got.status == case.status {
        return None;
    }
    Some(format!(
        "[{who}] {}\n  args: {:?}\n  want status {} stdout {:?}\n  got  status {} stdout {:?}\n  stderr: {:?}",
        case.name, case.args, case.status, want_out, got.status, got.stdout, got.stderr
    ))
}

fn run_ours(case: &Case, dir: &Path) -> Outcome {
    let mut args = vec!["awk".to_string()];
    args.extend(case.args.iter().map(|a| subst(a, dir)));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    let mut err = Vec::new();
    let input = case.input.as_bytes().to_vec();
    let status = wa_awk::run(
        &argv,
        Box::new(std::io::Cursor::new(input)),
        &mut out,
        &mut err,
    );
    Outcome {
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
        status,
    }
}

fn run_external(prog: &str, case: &Case, dir: &Path) -> Outcome {
    // `prog` may carry leading arguments, e.g. a wasm runner and the module.
    let mut words = prog.split_whitespace();
    let mut child = Command::new(words.next().unwrap_or(prog))
        .args(words)
        .args(case.args.iter().map(|a| subst(a, dir)))
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn external awk");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(case.input.as_bytes());
    }
    let o = child.wait_with_output().expect("wait for external awk");
    Outcome {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        status: o.status.code().unwrap_or(-1),
    }
}

fn report(failures: Vec<String>, total: usize) {
    if !failures.is_empty() {
        panic!(
            "{} of {total} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

#[test]
fn cases_are_many_and_uniquely_named() {
    let cases = all_cases();
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    let mut names: Vec<_> = cases.iter().map(|c| c.name).collect();
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");
}

/// Runs `f` on a thread with a large stack: unoptimized builds use several times the stack
/// per awk function call that release builds do.
fn big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn test thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

#[test]
fn cases_match_expected() {
    big_stack(cases_match_expected_inner);
}

fn cases_match_expected_inner() {
    let cases = all_cases();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let dir = scratch("ours", i, case);
        let got = run_ours(case, &dir);
        failures.extend(check(case, &dir, &got, "wa-awk"));
        let _ = std::fs::remove_dir_all(&dir);
    }
    report(failures, cases.len());
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[test]
fn differential_against_system_awk() {
    big_stack(differential_inner);
}

fn differential_inner() {
    let sys = Path::new("/usr/bin/awk");
    if !sys.exists() {
        eprintln!("skipped: no /usr/bin/awk");
        return;
    }
    let cases = all_cases();
    let mut failures = Vec::new();
    let mut compared = 0;
    for (i, case) in cases.iter().enumerate().filter(|(_, c)| !c.idef) {
        // Same path for both runs (outputs may contain it), fresh files for each.
        let dir = scratch("sys", i, case);
        let theirs = run_external("/usr/bin/awk", case, &dir);
        let dir = scratch("sys", i, case);
        let ours = run_ours(case, &dir);
        compared += 1;
        let agree =
            ours.status == theirs.status && (case.status_only || ours.stdout == theirs.stdout);
        if !agree {
            failures.push(format!(
                "{}\n  args: {:?}\n  ours:   status {} stdout {:?}\n  system: status {} stdout {:?} stderr {:?}",
                case.name, case.args, ours.status, ours.stdout, theirs.status, theirs.stdout, theirs.stderr
            ));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!("compared {compared} cases with /usr/bin/awk");
    report(failures, compared);
}

/// With `WA_AWK_RUNNER` set to a command (such as a wasm runner plus the module), every
/// case must also pass through it; this is how the wasm32-wasip1 build is checked.
#[test]
fn cases_pass_under_external_runner() {
    let Ok(runner) = std::env::var("WA_AWK_RUNNER") else {
        eprintln!("skipped: WA_AWK_RUNNER not set");
        return;
    };
    let cases = all_cases();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let dir = scratch("runner", i, case);
        let got = run_external(&runner, case, &dir);
        failures.extend(check(case, &dir, &got, &runner));
        let _ = std::fs::remove_dir_all(&dir);
    }
    report(failures, cases.len());
}

#[test]
fn gawk_agrees_with_expected() {
    let Some(gawk) = find_in_path("gawk") else {
        eprintln!("skipped: gawk not installed");
        return;
    };
    let gawk = gawk.to_string_lossy().into_owned();
    let cases = all_cases();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate().filter(|(_, c)| !c.not_gawk) {
        let dir = scratch("gawk", i, case);
        let got = run_external(&gawk, case, &dir);
        failures.extend(check(case, &dir, &got, "gawk"));
        let _ = std::fs::remove_dir_all(&dir);
    }
    report(failures, cases.len());
}
