//! Copy-on-write copies of a populated in-memory sandbox: `Sandbox::fork`
//! (a new sandbox) and `Sandbox::snapshot` (a saved state), of sandboxes
//! holding 1k, 10k and 100k files (`wasm_agent::bench::populate_files`).
//! Both should cost the same at every size: nothing is copied.
//!
//! Run: `cargo bench -p wasm-agent-benches --bench fork`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::time::Duration;
use wasm_agent::bench::populate_files;
use wasm_agent::Sandbox;
use wasm_agent_benches::{bare_runtime, executor, write_files};

/// File counts of the sandboxes copied.
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn fork_and_snapshot(c: &mut Criterion) {
    let rt = executor();
    let runtime = bare_runtime();
    let sandboxes: Vec<(usize, Sandbox)> = SIZES
        .iter()
        .map(|&count| {
            let sandbox = Sandbox::new(&runtime);
            rt.block_on(write_files(&sandbox, &populate_files(count)));
            (count, sandbox)
        })
        .collect();
    let mut group = c.benchmark_group("fs");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for (count, sandbox) in &sandboxes {
        group.bench_with_input(BenchmarkId::new("fork", count), sandbox, |b, sandbox| {
            b.iter(|| sandbox.fork().unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new("snapshot", count),
            sandbox,
            |b, sandbox| b.iter(|| sandbox.snapshot().unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, fork_and_snapshot);
criterion_main!(benches);
