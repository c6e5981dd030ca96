//! weed dies with the test process, however that process ends.
//!
//! Each test runs this test binary again, as a helper that starts the
//! shared server, prints where it is, and then ends in one of three ways.
//! The test then checks that weed, its port and its data are gone.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use wasm_agent_seaweed::SeaweedServer;

use crate::{eventually, port_answers, s3_port, weed_runs};

/// Tells the helper how to end: `exit`, `abort` or `hang` (to be killed).
const MODE_VAR: &str = "WASM_AGENT_SEAWEED_HELPER";
/// The line the helper prints: pid, S3 port, data directory.
const MARKER: &str = "seaweed-helper:";

/// Not a test: the helper process. Ignored so that a normal run skips it.
#[test]
#[ignore = "helper process of the reaping tests, run by them"]
fn helper_holds_the_shared_server() {
    let Ok(mode) = std::env::var(MODE_VAR) else {
        return;
    };
    let server = SeaweedServer::shared();
    println!(
        "{MARKER} {} {} {}",
        server.pid().unwrap(),
        s3_port(server),
        server.data_dir().display()
    );
    match mode.as_str() {
        "exit" => std::process::exit(0),
        "abort" => std::process::abort(),
        _ => loop {
            std::thread::park();
        },
    }
}

/// Runs the helper in `mode`; returns weed's pid, port and data directory
/// once the helper process has ended.
fn run_helper(mode: &str) -> (u32, u16, PathBuf) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "reaping::helper_holds_the_shared_server",
            "--ignored",
            "--nocapture",
        ])
        .env(MODE_VAR, mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let line = stdout
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with(MARKER));
    if mode == "hang" {
        child.kill().unwrap();
    }
    child.wait().unwrap();
    let line = line.unwrap_or_else(|| panic!("the helper ({mode}) printed no {MARKER} line"));
    let mut fields = line[MARKER.len()..].split_whitespace();
    let pid = fields.next().unwrap().parse().unwrap();
    let port = fields.next().unwrap().parse().unwrap();
    let dir = PathBuf::from(fields.next().unwrap());
    (pid, port, dir)
}

fn assert_reaped(mode: &str) {
    let (pid, port, dir) = run_helper(mode);
    // The guard cleans up after the helper is gone: give it a moment.
    assert!(
        eventually(10, || !weed_runs(pid)),
        "weed {pid} outlived its test process ({mode})"
    );
    assert!(
        eventually(10, || !dir.exists()),
        "{} outlived its test process ({mode})",
        dir.display()
    );
    assert!(!port_answers(port), "port {port} still answers ({mode})");
}

#[test]
fn weed_dies_when_the_test_process_exits() {
    assert_reaped("exit");
}

#[test]
fn weed_dies_when_the_test_process_aborts() {
    assert_reaped("abort");
}

#[test]
fn weed_dies_when_the_test_process_is_killed() {
    assert_reaped("hang");
}
