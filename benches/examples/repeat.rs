//! Runs one guest command (or, with `-c`, one shell script) many times in
//! one sandbox, for profiling:
//! `cargo run --release -p wasm-agent-benches --example repeat -- 2000 cat /small.txt`
//! `cargo run --release -p wasm-agent-benches --example repeat -- 100000 -c 'echo hi'`
//!
//! The sandbox also holds the benchmark fixture at `/data` (the working
//! directory), for profiling the agent workloads:
//! `cargo run --release -p wasm-agent-benches --example repeat -- 50 -c 'grep -rn needle /data | wc -l'`

use std::time::Instant;
use wasm_agent::{Command, Runtime, Sandbox};

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let argv: Vec<String> = args.collect();
    let argv = if argv.is_empty() {
        vec!["true".to_string()]
    } else {
        argv
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = Runtime::new().unwrap();
    runtime.preload().unwrap();
    let sandbox = Sandbox::builder(&runtime)
        .cwd(wasm_agent::bench::DATA_DIR)
        .build();
    rt.block_on(async {
        for file in wasm_agent::bench::Fixture::generate().files {
            let path = format!("{}/{}", wasm_agent::bench::DATA_DIR, file.path);
            sandbox.write_file(&path, file.data).await.unwrap();
        }
        sandbox
            .write_file("/small.txt", "hello, world\n")
            .await
            .unwrap();
        let started = Instant::now();
        if argv[0] == "-c" {
            let script = argv[1..].join(" ");
            for _ in 0..count {
                let out = sandbox.exec(&script).await.unwrap();
                assert_eq!(out.exit_code, 0, "{}", out.stderr_lossy());
            }
            let per = started.elapsed() / count as u32;
            println!("{script:?}: {per:?} per script");
            return;
        }
        for _ in 0..count {
            let mut command = Command::new(&argv[0]);
            command.args(&argv[1..]);
            let out = sandbox.run_command(command).await.unwrap();
            assert_eq!(out.exit_code, 0, "{}", out.stderr_lossy());
        }
        let per = started.elapsed() / count as u32;
        println!("{:?}: {per:?} per command", argv);
    });
}
