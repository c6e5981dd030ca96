//! What it costs to start: a fresh operating-system process, and a new
//! in-memory sandbox inside a running one.
//!
//! - `startup/process`: from spawning `wasm-agent exec --memory -c 'echo
//!   hi'` (the release binary beside the bench executable) to its first
//!   byte of output, and the same for `bash -c 'echo hi'`. Reaping the
//!   process is not timed. Without the binary the row is skipped with a
//!   note: build it with `cargo build --release -p wasm-agent`.
//! - `startup/sandbox`: `Sandbox::new` alone; `Sandbox::new` + `echo hi`
//!   (a builtin); and the first guest tool in a new sandbox, `cat f` of a
//!   small file written into it before timing, so the time is that of the
//!   sandbox's first command (its shell is built then), not of the write.
//!
//! Run: `cargo bench -p wasm-agent-benches --bench startup`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::io::Read;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};
use wasm_agent::Sandbox;
use wasm_agent_benches::{executor, sibling_program, tools_runtime};

/// Spawns `program args`, and returns the time until its first byte of
/// standard output; then checks that it printed `hi` and succeeded.
fn time_to_first_output(program: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let mut child = Process::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {}: {err}", program.display()));
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut out = vec![0u8; 16];
    let first = stdout.read(&mut out).expect("read the first output");
    let took = start.elapsed();
    out.truncate(first);
    stdout.read_to_end(&mut out).expect("read the output");
    let status = child.wait().expect("wait for the process");
    assert!(
        status.success() && out == b"hi\n",
        "{} {args:?} printed {:?} and ended with {status}",
        program.display(),
        String::from_utf8_lossy(&out)
    );
    took
}

fn process(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup/process");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    match sibling_program("wasm-agent") {
        Some(cli) => {
            group.bench_function("wasm-agent exec --memory -c 'echo hi'", |b| {
                b.iter_custom(|iters| {
                    (0..iters)
                        .map(|_| time_to_first_output(&cli, &["exec", "--memory", "-c", "echo hi"]))
                        .sum()
                })
            });
        }
        None => eprintln!(
            "note: startup/process: no wasm-agent binary beside this bench; \
             build it with `cargo build --release -p wasm-agent` for that row"
        ),
    }
    group.bench_function("bash -c 'echo hi'", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| time_to_first_output(Path::new("bash"), &["-c", "echo hi"]))
                .sum()
        })
    });
    group.finish();
}

fn sandbox(c: &mut Criterion) {
    let rt = executor();
    let runtime = tools_runtime();
    let mut group = c.benchmark_group("startup/sandbox");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("new", |b| b.iter(|| Sandbox::new(&runtime)));
    group.bench_function("new + echo hi", |b| {
        b.to_async(&rt).iter(|| async {
            let sandbox = Sandbox::new(&runtime);
            let out = sandbox.exec("echo hi").await.unwrap();
            assert_eq!(out.stdout, b"hi\n");
        })
    });
    group.bench_function("first guest tool in a new sandbox: cat f", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let runtime = &runtime;
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let sandbox = Sandbox::new(runtime);
                    sandbox.write_file("/f", "hello, world\n").await.unwrap();
                    let start = Instant::now();
                    let out = sandbox.exec("cat /f").await.unwrap();
                    total += start.elapsed();
                    assert_eq!(out.stdout, b"hello, world\n", "{}", out.stderr_lossy());
                }
                total
            }
        })
    });
    group.finish();
}

criterion_group!(benches, process, sandbox);
criterion_main!(benches);
