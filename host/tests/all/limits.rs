//! Hostile guests end with a clear status and message; the host carries on.

use crate::support::{module, wat_runtime};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent::{Command, Limits, Sandbox};

fn limits() -> Limits {
    Limits {
        timeout: Some(Duration::from_millis(300)),
        memory_bytes: 16 << 20,
        output_bytes: 1 << 20,
    }
}

async fn run(name: &str, wat: &str, sandbox_quota: Option<u64>) -> wasm_agent::CommandOutput {
    let runtime = wat_runtime(&[(name, wat)], limits());
    let mut builder = Sandbox::builder(&runtime);
    if let Some(quota) = sandbox_quota {
        builder.quota(quota);
    }
    let sandbox = builder.build();
    sandbox
        .run_command(Command::new(name))
        .await
        .expect("command runs")
}

#[tokio::test]
async fn exit_status_above_one_reaches_the_host() {
    let wat = module(r#"(func (export "_start") (call $exit (i32.const 3)))"#);
    let out = run("three", &wat, None).await;
    assert_eq!(out.exit_code, 3);
    assert!(out.stderr.is_empty());
}

#[tokio::test]
async fn infinite_loop_is_stopped_by_its_deadline_with_124() {
    let wat = module(r#"(func (export "_start") (loop $l (br $l)))"#);
    let started = Instant::now();
    let out = run("spin", &wat, None).await;
    assert_eq!(out.exit_code, 124);
    assert_eq!(
        out.stderr_lossy(),
        "wasm-agent: spin: timed out after 0.3s\n"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn sleeping_past_the_deadline_is_stopped_with_124() {
    // poll_oneoff with one relative clock subscription of 60 s.
    let wat = module(
        r#"(func (export "_start")
             (i64.store (i32.const 24) (i64.const 60000000000))
             (drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200))))"#,
    );
    let started = Instant::now();
    let out = run("sleep", &wat, None).await;
    assert_eq!(out.exit_code, 124);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn memory_bomb_hits_the_cap_with_a_clear_error() {
    let wat = module(
        r#"(func (export "_start")
             (loop $l (drop (memory.grow (i32.const 16))) (br $l)))"#,
    );
    let out = run("bomb", &wat, None).await;
    assert_eq!(out.exit_code, 137);
    assert!(
        out.stderr_lossy()
            .starts_with("wasm-agent: bomb: memory limit of 16 MiB exceeded"),
        "{}",
        out.stderr_lossy()
    );
}

#[tokio::test]
async fn output_flood_is_truncated_and_stopped() {
    // Writes the first 32 KiB of memory to stdout forever.
    let wat = module(
        r#"(func (export "_start")
             (i32.store (i32.const 0) (i32.const 0))
             (i32.store (i32.const 4) (i32.const 32768))
             (loop $l (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))) (br $l)))"#,
    );
    let out = run("flood", &wat, None).await;
    assert_eq!(out.exit_code, 141);
    assert!(out.stdout_truncated);
    assert_eq!(out.stdout.len(), 1 << 20);
    assert!(out
        .stderr_lossy()
        .contains("output passed the limit of 1 MiB"));
}

#[tokio::test]
async fn quota_overflow_gives_enospc() {
    // Creates /f and appends 4 KiB blocks until a write fails; exits with
    // the errno of that failure (ENOSPC is 51 in preview1).
    let wat = module(
        r#"(data (i32.const 64) "f")
           (func (export "_start") (local $err i32)
             (local.set $err (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 1)
               (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 32)))
             (if (local.get $err) (then (call $exit (i32.add (i32.const 100) (local.get $err)))))
             (i32.store (i32.const 0) (i32.const 1024))
             (i32.store (i32.const 4) (i32.const 4096))
             (loop $l
               (local.set $err (call $fd_write (i32.load (i32.const 32)) (i32.const 0) (i32.const 1) (i32.const 8)))
               (br_if $l (i32.eqz (local.get $err))))
             (call $exit (local.get $err)))"#,
    );
    let out = run("fill", &wat, Some(64 << 10)).await;
    assert_eq!(out.exit_code, 51, "stderr: {}", out.stderr_lossy());
}

#[tokio::test]
async fn deep_recursion_crashes_the_guest_not_the_host() {
    let wat = module(r#"(func $f (export "_start") (call $f))"#);
    let out = run("recurse", &wat, None).await;
    assert_eq!(out.exit_code, 134);
    assert!(out.stderr_lossy().contains("call stack exhausted"));
}

#[tokio::test]
async fn unknown_command_is_127() {
    let runtime = wat_runtime(&[], limits());
    let sandbox = Sandbox::new(&runtime);
    let out = sandbox.run(["nope", "x"]).await.unwrap();
    assert_eq!(out.exit_code, 127);
    assert_eq!(out.stderr_lossy(), "wasm-agent: nope: command not found\n");
}

#[tokio::test]
async fn many_hostile_commands_at_once_leave_the_host_healthy() {
    let spin = module(r#"(func (export "_start") (loop $l (br $l)))"#);
    let three = module(r#"(func (export "_start") (call $exit (i32.const 3)))"#);
    let runtime = wat_runtime(&[("spin", &spin), ("three", &three)], limits());
    let sandbox = Arc::new(Sandbox::new(&runtime));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let sandbox = sandbox.clone();
        tasks.push(tokio::spawn(async move {
            sandbox.run(["spin"]).await.unwrap().exit_code
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 124);
    }
    assert_eq!(sandbox.run(["three"]).await.unwrap().exit_code, 3);
}
