//! Bash conformance: every case of `tests/bash/*.toml`, run with GNU bash
//! and with `wasm-agent exec -c`.
//!
//! Environment:
//! - `BASH_CONFORMANCE_FILTER=text`: run only cases whose id (`area/name`)
//!   contains `text` (comma-separated alternatives).
//! - `BASH_CONFORMANCE_JOBS=n`: cases run at once (default: twice the CPUs).
//! - `BASH_CONFORMANCE_SHOW=1`: run bash only and print every selected
//!   case's script and bash's output, to check new cases; fails only on
//!   broken cases.
//! - `BASH_CONFORMANCE_PRUNE=1`: delete the known failures that now pass
//!   from `tests/known-failures/bash.toml` instead of failing on them.
//! - `WASM_AGENT_BIN=path`: the CLI to test (default: the `wasm-agent`
//!   binary next to this test's `deps/` directory).
//!
//! The report (pass rate per area, unexpected failures) is printed to
//! stderr even when the test passes and saved in Cargo's test tmp dir as
//! `bash-conformance-report.txt`, with the current differences of every
//! known failure in `bash-known-failures.txt`.

use std::io::Write as _;
use std::path::Path;
use wasm_agent_tests::bash::process::{run_script_for, ShellCommand};
use wasm_agent_tests::bash::{case, known, report, suite};
use wasm_agent_tests::bash::{run_cases, KnownFailures, SuiteConfig, Verdict};

/// The suite must keep at least this many cases (issue #3).
const MIN_CASES: usize = 800;

#[test]
fn our_shell_matches_bash() {
    check_dev_null();
    let all = case::load_dir(&suite::cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    let known =
        KnownFailures::load(&known::known_failures_path()).unwrap_or_else(|e| panic!("{e}"));
    let unknown = known.unknown_ids(&all);
    assert!(
        unknown.is_empty(),
        "{} lists cases that do not exist (renamed or deleted?): {}",
        known::known_failures_path().display(),
        unknown.join(", ")
    );
    let filter = std::env::var("BASH_CONFORMANCE_FILTER").unwrap_or_default();
    let cases: Vec<_> = if filter.is_empty() {
        assert!(
            all.len() >= MIN_CASES,
            "only {} bash cases; the suite must keep at least {MIN_CASES}",
            all.len()
        );
        all
    } else {
        let wanted: Vec<&str> = filter.split(',').collect();
        all.into_iter()
            .filter(|c| wanted.iter().any(|w| c.id.contains(w)))
            .collect()
    };
    assert!(
        !cases.is_empty(),
        "BASH_CONFORMANCE_FILTER={filter:?} selects no case"
    );
    let jobs = std::env::var("BASH_CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, |n| n.get()));
    let show = std::env::var_os("BASH_CONFORMANCE_SHOW").is_some_and(|v| v != "0");

    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("cannot start tokio");
    let mut stale_warning = None;
    let sandbox = if show {
        None
    } else {
        let path = suite::sandbox_binary().unwrap_or_else(|e| panic!("{e}"));
        stale_warning = suite::stale_binary_warning(&path, &suite::cli_source_dirs());
        let shell = ShellCommand::Sandbox(path);
        tokio.block_on(check_sandbox(&shell));
        Some(shell)
    };
    let config = SuiteConfig {
        sandbox,
        known,
        jobs,
    };
    let work = suite::work_dir().expect("cannot create a temp dir");
    let started = std::time::Instant::now();
    let results = tokio.block_on(run_cases(cases, work.path(), config));
    let elapsed = started.elapsed();

    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut text = if show {
        report::render_bash_outputs(&results)
    } else {
        report::render(&results)
    };
    text.push_str(&format!("\n{} cases in {elapsed:.1?}\n", results.len()));
    if let Some(warning) = &stale_warning {
        text.push_str(&format!("\n{warning}\n"));
    }
    // Written past libtest's capture on purpose: the table is the point of
    // running the suite, pass or fail.
    let _ = std::io::stderr().write_all(format!("\n{text}").as_bytes());
    let saved = tmp.join("bash-conformance-report.txt");
    let _ = std::fs::write(&saved, &text);
    if !show {
        let _ = std::fs::write(
            tmp.join("bash-known-failures.txt"),
            report::render_known(&results),
        );
    }

    let prune = std::env::var_os("BASH_CONFORMANCE_PRUNE").is_some_and(|v| v != "0");
    let fixed: Vec<&str> = results
        .iter()
        .filter(|r| r.verdict == Verdict::FixedKnownFailure)
        .map(|r| r.case.id.as_str())
        .collect();
    if prune && !fixed.is_empty() {
        let path = known::known_failures_path();
        let removed = known::prune(&path, &fixed)
            .unwrap_or_else(|e| panic!("cannot prune {}: {e}", path.display()));
        // Past libtest's capture, like the report.
        let note = format!("removed {removed} fixed case(s) from {}\n", path.display());
        let _ = std::io::stderr().write_all(note.as_bytes());
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.is_failure())
        .filter(|r| !(prune && r.verdict == Verdict::FixedKnownFailure))
        .map(|r| r.case.id.as_str())
        .collect();
    assert!(
        failed.is_empty(),
        "{} bash case(s) failed (report above and in {}): {}",
        failed.len(),
        saved.display(),
        failed.join(", ")
    );
}

/// Every case without stdin reads `/dev/null`, and many write to it; if a
/// tool run as root replaced it by a regular file (`sed -i` on it does),
/// cases would read other cases' output. Refuse to run rather than report
/// nonsense.
fn check_dev_null() {
    use std::os::unix::fs::FileTypeExt;
    let meta = std::fs::metadata("/dev/null").expect("cannot stat /dev/null");
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is not the null device on this machine (something replaced it by a \
         regular file); restore it as root: rm /dev/null && mknod -m 666 /dev/null c 1 3"
    );
}

/// Fails early, with one clear message, if the CLI cannot run a script at
/// all (not built, or built before `exec` existed) instead of failing
/// every case alike. The script pipes into a guest tool, so that a CLI
/// whose compiled tools are not cached yet compiles them here, once, with
/// time to spare, rather than in every case at once (each then timing out).
async fn check_sandbox(shell: &ShellCommand) {
    let dir = tempfile::tempdir().expect("cannot create a temp dir");
    let warm_up = std::time::Duration::from_secs(600);
    let run = run_script_for(shell, "echo ok | cat", dir.path(), None, warm_up)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        run.output.exit_code == 0 && run.output.stdout == b"ok\n",
        "{shell:?} cannot run `exec -c 'echo ok | cat'` (status {}, stdout {:?}, stderr {:?}); \
         rebuild it with `cargo build -p wasm-agent-cli --bin wasm-agent`",
        run.output.exit_code,
        String::from_utf8_lossy(&run.output.stdout),
        String::from_utf8_lossy(&run.output.stderr).trim_end()
    );
}
