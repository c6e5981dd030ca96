//! Fills new in-memory sandboxes with N small files, for profiling
//! `Sandbox::write_file`:
//! `cargo run --release -p wasm-agent-benches --example populate -- 100000 5`

use std::time::Instant;
use wasm_agent::{Runtime, Sandbox};

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = Runtime::builder().default_tools(false).build().unwrap();
    let files = wasm_agent::bench::populate_files(count);
    for _ in 0..rounds {
        let start = Instant::now();
        let sandbox = Sandbox::new(&runtime);
        rt.block_on(async {
            for (path, data) in &files {
                sandbox.write_file(path, data).await.unwrap();
            }
        });
        let took = start.elapsed();
        drop(sandbox);
        println!(
            "{count} files: {took:?} ({:.2} µs per file)",
            took.as_secs_f64() * 1e6 / count as f64
        );
    }
}
