//! Per-command costs in an existing in-memory sandbox (the tools module is
//! loaded and the sandbox has run commands before measuring).
//!
//! - `builtin/*`: shell builtins through `Sandbox::exec`: `echo hi`,
//!   `true`, `x=$((1+2)); echo $x`.
//! - `tool/*`: one guest tool through `Sandbox::exec`: `cat small`,
//!   `wc -l small`, `grep x small` (a three-line file).
//! - `pipeline/*`: three guest tools joined by pipes,
//!   `cat small | grep x | wc -l`.
//! - `command/*`: a guest tool through `Sandbox::run_command`, without the
//!   shell: what a caller that needs no script pays.
//!
//! Run: `cargo bench -p wasm-agent-benches --bench sandbox`.

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use std::time::Duration;
use wasm_agent::{Command, Sandbox};
use wasm_agent_benches::{executor, tools_runtime};

/// The file the tools read: two of its three lines contain `x`.
const SMALL: &str = "box\nfox\nhello\n";

/// (group, script, expected stdout) of every `Sandbox::exec` bench.
const SCRIPTS: [(&str, &str, &str); 7] = [
    ("builtin", "echo hi", "hi\n"),
    ("builtin", "true", ""),
    ("builtin", "x=$((1+2)); echo $x", "3\n"),
    ("tool", "cat small", SMALL),
    ("tool", "wc -l small", "3 small\n"),
    ("tool", "grep x small", "box\nfox\n"),
    ("pipeline", "cat small | grep x | wc -l", "2\n"),
];

fn configure<M: criterion::measurement::Measurement>(group: &mut BenchmarkGroup<'_, M>) {
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
}

fn scripts(c: &mut Criterion) {
    let rt = executor();
    let runtime = tools_runtime();
    let sandbox = Sandbox::new(&runtime);
    rt.block_on(sandbox.write_file("/small", SMALL)).unwrap();
    for name in ["builtin", "tool", "pipeline"] {
        let mut group = c.benchmark_group(name);
        configure(&mut group);
        for (_, script, expected) in SCRIPTS.iter().filter(|(g, _, _)| *g == name) {
            group.bench_function(*script, |b| {
                b.to_async(&rt).iter(|| async {
                    let out = sandbox.exec(script).await.unwrap();
                    assert_eq!(
                        (out.exit_code, out.stdout.as_slice()),
                        (0, expected.as_bytes()),
                        "{script}: {}",
                        out.stderr_lossy()
                    );
                })
            });
        }
        group.finish();
    }
}

fn commands(c: &mut Criterion) {
    let rt = executor();
    let runtime = tools_runtime();
    let sandbox = Sandbox::new(&runtime);
    rt.block_on(sandbox.write_file("/small", SMALL)).unwrap();
    let mut group = c.benchmark_group("command");
    configure(&mut group);
    for argv in [&["true"][..], &["cat", "/small"]] {
        group.bench_function(argv.join(" "), |b| {
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

criterion_group!(benches, scripts, commands);
criterion_main!(benches);
