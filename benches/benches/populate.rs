//! Filling a new in-memory sandbox with N small files (1k, 10k, 100k, from
//! `wasm_agent::bench::populate_files`: 100 directories, one short line
//! each) through `Sandbox::write_file`. Creating the sandbox is timed,
//! dropping it is not. Throughput is reported in files per second, so a
//! cost that grows faster than the file count shows as falling throughput.
//!
//! Run: `cargo bench -p wasm-agent-benches --bench populate`.

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use std::time::{Duration, Instant};
use wasm_agent::bench::populate_files;
use wasm_agent::Sandbox;
use wasm_agent_benches::{bare_runtime, executor, write_files};

/// File counts written.
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn populate(c: &mut Criterion) {
    let rt = executor();
    let runtime = bare_runtime();
    let mut group = c.benchmark_group("populate");
    // A 100k-file run takes a good part of a second: a few equal samples
    // are a fair figure and keep the suite short.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for count in SIZES {
        let files = populate_files(count);
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(BenchmarkId::from_parameter(count), &files, |b, files| {
            b.to_async(&rt).iter_custom(|iters| {
                let runtime = &runtime;
                async move {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let start = Instant::now();
                        let sandbox = Sandbox::new(runtime);
                        write_files(&sandbox, files).await;
                        total += start.elapsed();
                        drop(sandbox);
                    }
                    total
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, populate);
criterion_main!(benches);
