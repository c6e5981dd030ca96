//! Memory per idle sandbox: keeps 10,000, then 100,000 in-memory sandboxes
//! alive at once and prints how much this process's resident set grew per
//! sandbox (`wasm_agent::bench::measure::rss_bytes`).
//!
//! Run: `cargo run --release -p wasm-agent-benches --bin idle-memory`
//! (needs the guest tools: `scripts/build-guest-tools.sh`).
//!
//! Options:
//! - `--after-exec`: every sandbox runs `echo hi` once before it is kept,
//!   so the figure includes what a sandbox holds after its first command
//!   (its shell, built then and kept for the next one).
//! - `COUNT...`: the numbers of live sandboxes to report, ascending
//!   (default 10000 100000).
//!
//! The sandboxes for one count are kept while the next count's are added,
//! so freed memory is never reused and every figure is the growth since a
//! baseline taken once, after a warm-up that pays one-time allocations.

use std::process::ExitCode;
use wasm_agent::bench::measure::rss_bytes;
use wasm_agent::Sandbox;
use wasm_agent_benches::{executor, tools_runtime};

/// What the command line asked for.
struct Options {
    after_exec: bool,
    counts: Vec<usize>,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        after_exec: false,
        counts: Vec::new(),
    };
    for arg in args {
        if arg == "--after-exec" {
            options.after_exec = true;
        } else if let Ok(count) = arg.replace(['_', ','], "").parse::<usize>() {
            if options.counts.last().is_some_and(|&last| count <= last) {
                return Err(format!(
                    "counts must be ascending: {count} after {}",
                    options.counts[options.counts.len() - 1]
                ));
            }
            options.counts.push(count);
        } else {
            return Err(format!(
                "unknown argument '{arg}' (expected --after-exec or a sandbox count)"
            ));
        }
    }
    if options.counts.is_empty() {
        options.counts = vec![10_000, 100_000];
    }
    if options.counts[0] == 0 {
        return Err("a sandbox count must be at least 1".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("idle-memory: {message}");
            eprintln!("usage: idle-memory [--after-exec] [COUNT...]");
            return ExitCode::from(2);
        }
    };
    let rt = executor();
    let runtime = tools_runtime();
    let new_sandbox = || {
        let sandbox = Sandbox::new(&runtime);
        if options.after_exec {
            let out = rt.block_on(sandbox.exec("echo hi")).expect("echo hi");
            assert_eq!(out.stdout, b"hi\n", "{}", out.stderr_lossy());
        }
        sandbox
    };
    // One-time costs (lazily built statics, the first shell, allocator
    // arenas) belong to the process, not to any sandbox.
    drop((0..100).map(|_| new_sandbox()).collect::<Vec<_>>());

    let last = *options.counts.last().expect("at least one count");
    // Reserved before the baseline: untouched pages are not resident, so
    // each sandbox's slot is counted when it is written, and the vector
    // never reallocates (a reallocation would count twice).
    let mut alive: Vec<Sandbox> = Vec::with_capacity(last);
    let before = rss_bytes();
    if before == 0 {
        eprintln!("idle-memory: cannot read /proc/self/statm; resident memory is unknown here");
        return ExitCode::FAILURE;
    }
    println!(
        "memory per idle sandbox{} (Sandbox is {} bytes; baseline RSS {:.1} MiB)",
        if options.after_exec {
            ", after one `echo hi` each"
        } else {
            ""
        },
        std::mem::size_of::<Sandbox>(),
        before as f64 / (1 << 20) as f64
    );
    println!("| sandboxes alive | RSS growth | per sandbox |");
    println!("|---:|---:|---:|");
    for &count in &options.counts {
        while alive.len() < count {
            alive.push(new_sandbox());
        }
        let grown = rss_bytes().saturating_sub(before);
        println!(
            "| {count} | {:.1} MiB | {:.2} KiB |",
            grown as f64 / (1 << 20) as f64,
            grown as f64 / count as f64 / 1024.0
        );
    }
    ExitCode::SUCCESS
}
