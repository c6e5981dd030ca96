//! Private servers: start, stop, restart and drop.

use std::time::Instant;

use wasm_agent_seaweed::SeaweedServer;

use crate::{assert_status, port_answers, s3_port, signed, weed_runs};

#[test]
fn a_started_server_answers_on_its_own_endpoint() {
    let started = Instant::now();
    let server = SeaweedServer::start();
    eprintln!("weed mini answered S3 after {:?}", started.elapsed());
    let pid = server.pid().expect("a started server has a pid");
    assert!(weed_runs(pid), "weed {pid} is not running");
    assert!(server.endpoint().starts_with("http://127.0.0.1:"));
    assert_ne!(server.endpoint(), SeaweedServer::shared().endpoint());
    assert_status(&server, &signed(&server, "GET", "/", b""), 200);
    assert!(server.log_file().starts_with(server.data_dir()));
    assert!(server.log_file().is_file());
}

#[test]
fn stop_and_restart_keep_objects() {
    let mut server = SeaweedServer::start();
    let endpoint = server.endpoint();
    let bucket = server.unique_bucket("restart");
    assert_status(
        &server,
        &signed(&server, "PUT", &format!("/{bucket}"), b""),
        200,
    );
    let key = format!("/{bucket}/kept.txt");
    assert_status(
        &server,
        &signed(&server, "PUT", &key, b"survives a crash"),
        200,
    );

    let old_pid = server.pid().unwrap();
    server.stop();
    assert_eq!(server.pid(), None);
    assert!(!weed_runs(old_pid), "weed {old_pid} still runs after stop");
    assert!(
        !port_answers(s3_port(&server)),
        "S3 still answers after stop"
    );
    server.stop(); // a second stop is a no-op

    let restarted = Instant::now();
    server.restart();
    eprintln!(
        "weed mini answered S3 again after {:?}",
        restarted.elapsed()
    );
    assert_eq!(server.endpoint(), endpoint);
    assert_ne!(server.pid(), Some(old_pid));
    // Read and write at once: before readiness waited for the volume
    // server to be registered with the master again, these failed with 500
    // ("volume 1 not found") or stalled for seconds under load.
    let got = signed(&server, "GET", &key, b"");
    assert_status(&server, &got, 200);
    assert_eq!(got.body, b"survives a crash");
    // Still writable after the restart, and restart of a running server
    // works too.
    assert_status(
        &server,
        &signed(&server, "PUT", &format!("/{bucket}/new"), b"x"),
        200,
    );
    server.restart();
    assert_status(
        &server,
        &signed(&server, "GET", &format!("/{bucket}/new"), b""),
        200,
    );
}

#[test]
fn dropping_a_server_kills_weed_and_removes_its_data() {
    let server = SeaweedServer::start();
    let pid = server.pid().unwrap();
    let port = s3_port(&server);
    let dir = server.data_dir().to_path_buf();
    assert!(dir.is_dir());
    drop(server);
    // Drop waits for the guard, so all of it is done on return.
    assert!(!weed_runs(pid), "weed {pid} still runs after drop");
    assert!(!dir.exists(), "{} is left behind", dir.display());
    assert!(!port_answers(port), "S3 still answers after drop");
}

#[test]
fn dropping_a_stopped_server_removes_its_data() {
    let mut server = SeaweedServer::start();
    server.stop();
    let dir = server.data_dir().to_path_buf();
    drop(server);
    assert!(!dir.exists(), "{} is left behind", dir.display());
}
