//! Per-command and per-sandbox costs.
//!
//! - `command/*`: one guest tool in an existing sandbox (the tools module
//!   is loaded once, before measuring).
//! - `sandbox/new`: creating an empty in-memory sandbox.
//! - `sandbox/fork`: forking a sandbox holding N files.
//! - `shell/*`: scripts through `Sandbox::exec` (a builtin in an existing
//!   sandbox, a new sandbox running it, a pipeline of tools).
//!
//! Run: `cargo bench -p wasm-agent-benches --bench sandbox`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use wasm_agent::{Command, Runtime, Sandbox};

fn runtime() -> Runtime {
    let runtime = Runtime::new().expect("runtime");
    runtime
        .preload()
        .expect("guest tools (run scripts/build-guest-tools.sh)");
    runtime
}

fn commands(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = runtime();
    let sandbox = Sandbox::new(&runtime);
    rt.block_on(sandbox.write_file("/small.txt", "hello, world\n"))
        .unwrap();
    let mut group = c.benchmark_group("command");
    for argv in [
        &["true"][..],
        &["echo", "hi"],
        &["cat", "/small.txt"],
        &["grep", "-n", "world", "/small.txt"],
    ] {
        let id = BenchmarkId::from_parameter(argv.join(" "));
        group.bench_function(id, |b| {
            b.to_async(&rt).iter(|| async {
                let mut command = Command::new(argv[0]);
                command.args(argv[1..].iter().copied());
                let out = sandbox.run_command(command).await.unwrap();
                assert_eq!(out.exit_code, 0, "{}", out.stderr_lossy());
            })
        });
    }
    group.finish();
}

fn sandboxes(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = Runtime::builder().default_tools(false).build().unwrap();
    let mut group = c.benchmark_group("sandbox");
    group.bench_function("new", |b| b.iter(|| Sandbox::new(&runtime)));
    for files in [1_000usize, 100_000] {
        let sandbox = Sandbox::new(&runtime);
        rt.block_on(async {
            for i in 0..files {
                sandbox
                    .write_file(&format!("/d{}/f{i}.txt", i % 100), "x")
                    .await
                    .unwrap();
            }
        });
        group.bench_with_input(BenchmarkId::new("fork", files), &sandbox, |b, sandbox| {
            b.iter(|| sandbox.fork().unwrap())
        });
    }
    group.finish();
}

fn shell(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = runtime();
    let sandbox = Sandbox::new(&runtime);
    rt.block_on(sandbox.write_file("/small.txt", "b\na\nb\n"))
        .unwrap();
    let mut group = c.benchmark_group("shell");
    group.bench_function("builtin echo", |b| {
        b.to_async(&rt).iter(|| async {
            let out = sandbox.exec("echo hi").await.unwrap();
            assert_eq!(out.stdout, b"hi\n");
        })
    });
    group.bench_function("new sandbox + builtin echo", |b| {
        b.to_async(&rt).iter(|| async {
            let fresh = Sandbox::new(&runtime);
            let out = fresh.exec("echo hi").await.unwrap();
            assert_eq!(out.stdout, b"hi\n");
        })
    });
    group.bench_function("sort | uniq -c", |b| {
        b.to_async(&rt).iter(|| async {
            let out = sandbox.exec("sort /small.txt | uniq -c").await.unwrap();
            assert_eq!(out.exit_code, 0, "{}", out.stderr_lossy());
        })
    });
    group.finish();
}

criterion_group!(benches, commands, sandboxes, shell);
criterion_main!(benches);
