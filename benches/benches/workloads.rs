//! The seven agent workloads of `wasm-agent bench`
//! (`wasm_agent::bench::WORKLOADS`: recursive grep, find, sort/uniq
//! pipelines, sed, awk, a shell loop) through `Sandbox::exec` in one
//! long-lived in-memory sandbox holding the 1,000-file benchmark fixture at
//! `/data`, with `/data` as the working directory. Every run must exit 0
//! and print something; whether the output matches bash is checked by
//! `wasm-agent bench`, not here.
//!
//! Run: `cargo bench -p wasm-agent-benches --bench workloads`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;
use wasm_agent::bench::WORKLOADS;
use wasm_agent_benches::{executor, fixture_sandbox, tools_runtime};

fn workloads(c: &mut Criterion) {
    let rt = executor();
    let runtime = tools_runtime();
    let sandbox = rt.block_on(fixture_sandbox(&runtime));
    let mut group = c.benchmark_group("workload");
    // The workloads take milliseconds: 20 samples in 3 s keep the seven
    // of them near half a minute.
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for workload in WORKLOADS {
        group.bench_function(workload.name, |b| {
            b.to_async(&rt).iter(|| async {
                let out = sandbox.exec(workload.script).await.unwrap();
                assert!(
                    out.exit_code == 0 && !out.stdout.is_empty(),
                    "`{}` ended with {} and printed {} bytes: {}",
                    workload.script,
                    out.exit_code,
                    out.stdout.len(),
                    out.stderr_lossy()
                );
            })
        });
    }
    group.finish();
}

criterion_group!(benches, workloads);
criterion_main!(benches);
