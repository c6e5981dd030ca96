//! Tool conformance: every case of `tests/tools/*.toml` against GNU.
//!
//! Environment:
//! - `CONFORMANCE_FILTER=text`: run only cases whose id (`family/name`) or
//!   tool contains `text` (comma-separated alternatives).
//! - `CONFORMANCE_JOBS=n`: cases run at once (default: twice the CPUs).
//!
//! The report is printed to stderr even when the test passes and saved to
//! `conformance-report.txt` in Cargo's test tmp dir.

use std::io::Write as _;
use wasm_agent::Runtime;
use wasm_agent_tests::{load_dir, report, run_cases, runner};

/// The suite must keep at least this many cases (issue #2).
const MIN_CASES: usize = 300;

#[test]
fn tools_match_gnu() {
    let all = load_dir(&runner::cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let cases: Vec<_> = if filter.is_empty() {
        assert!(
            all.len() >= MIN_CASES,
            "only {} conformance cases; the suite must keep at least {MIN_CASES}",
            all.len()
        );
        all
    } else {
        let wanted: Vec<&str> = filter.split(',').collect();
        all.into_iter()
            .filter(|c| wanted.iter().any(|w| c.id.contains(w) || c.tool() == *w))
            .collect()
    };
    assert!(
        !cases.is_empty(),
        "CONFORMANCE_FILTER={filter:?} selects no case"
    );

    let jobs = std::env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, |n| n.get()));
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("cannot start tokio");
    let runtime = Runtime::new().expect("cannot create the wasm-agent runtime");
    runtime
        .preload()
        .expect("cannot load the guest tools (run scripts/build-guest-tools.sh?)");
    let work = runner::work_dir().expect("cannot create a temp dir");
    let started = std::time::Instant::now();
    let results = tokio.block_on(run_cases(&runtime, cases, work.path(), jobs));
    let elapsed = started.elapsed();

    let mut text = report::render(&results);
    text.push_str(&format!("\n{} cases in {elapsed:.1?}\n", results.len()));
    // Written past libtest's capture on purpose: the table is the point of
    // running the suite, pass or fail.
    let _ = std::io::stderr().write_all(format!("\n{text}").as_bytes());
    let saved = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance-report.txt");
    let _ = std::fs::write(&saved, &text);

    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.is_failure())
        .map(|r| r.case.id.as_str())
        .collect();
    assert!(
        failed.is_empty(),
        "{} conformance case(s) failed (report above and in {}): {}",
        failed.len(),
        saved.display(),
        failed.join(", ")
    );
}
