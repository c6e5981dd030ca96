//! Prints the sandbox-core figures as a Markdown table: per-command cost of
//! a guest tool, sandbox creation, fork of a large in-memory sandbox, memory
//! per idle sandbox, and a native process spawn for comparison.
//!
//! Run: `cargo run --release -p wasm-agent-benches --bin startup-report`
//! (needs the guest tools: `scripts/build-guest-tools.sh`).

use std::fs;
use std::process::Command as Process;
use std::time::{Duration, Instant};
use wasm_agent::bench::measure::rss_bytes;
use wasm_agent::{Command, Runtime, Sandbox};

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = Runtime::new().expect("runtime");
    let started = Instant::now();
    runtime
        .preload()
        .expect("guest tools (run scripts/build-guest-tools.sh)");
    let load = started.elapsed();

    let sandbox = Sandbox::new(&runtime);
    rt.block_on(sandbox.write_file("/small.txt", "hello, world\n"))
        .unwrap();
    // What a fresh process pays before its first command: engine, pooling
    // allocator (the CLI's 16 slots) and linker.
    let runtime_build = median(21, || {
        let start = Instant::now();
        let built = Runtime::builder()
            .max_concurrent_commands(16)
            .build()
            .unwrap();
        let took = start.elapsed();
        drop(built);
        took
    });
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
    let ns = |d: Duration| format!("{:.0} ns", d.as_secs_f64() * 1e9);

    rows.push((
        "build a runtime (engine, 16-slot pool, linker; median)".into(),
        format!("{:.2} ms", runtime_build.as_secs_f64() * 1e3),
        "".into(),
    ));
    rows.push((
        "load tools module (warm cache)".into(),
        format!("{:.1} ms", load.as_secs_f64() * 1e3),
        "".into(),
    ));

    for argv in [&["true"][..], &["echo", "hi"], &["cat", "/small.txt"]] {
        for _ in 0..50 {
            let mut c = Command::new(argv[0]);
            c.args(argv[1..].iter().copied());
            rt.block_on(sandbox.run_command(c)).unwrap();
        }
        let t = median(1000, || {
            let mut c = Command::new(argv[0]);
            c.args(argv[1..].iter().copied());
            let start = Instant::now();
            let out = rt.block_on(sandbox.run_command(c)).unwrap();
            assert_eq!(out.exit_code, 0);
            start.elapsed()
        });
        let goal = if argv[0] == "cat" { "≤ 50 µs" } else { "" };
        rows.push((
            format!("guest `{}` in an existing sandbox (median)", argv.join(" ")),
            us(t),
            goal.into(),
        ));
    }

    // The shell: a builtin, then a fresh sandbox running one.
    for _ in 0..1000 {
        rt.block_on(sandbox.exec("echo hi")).unwrap();
    }
    let t = median(10_000, || {
        let start = Instant::now();
        let out = rt.block_on(sandbox.exec("echo hi")).unwrap();
        let took = start.elapsed();
        assert_eq!(out.stdout, b"hi\n");
        took
    });
    rows.push((
        "shell builtin `echo hi` in an existing sandbox (median)".into(),
        us(t),
        "≤ 3 µs".into(),
    ));
    let t = median(10_000, || {
        let start = Instant::now();
        let sb = Sandbox::new(&runtime);
        let out = rt.block_on(sb.exec("echo hi")).unwrap();
        let took = start.elapsed();
        assert_eq!(out.stdout, b"hi\n");
        took
    });
    rows.push((
        "new sandbox + `echo hi` (median)".into(),
        us(t),
        "≤ 10 µs".into(),
    ));
    let script =
        "for f in a b c; do echo \"$f\" > /tmp_$f.txt; done; cat /tmp_*.txt | sort -r | head -2";
    let t = median(300, || {
        let start = Instant::now();
        let out = rt.block_on(sandbox.exec(script)).unwrap();
        let took = start.elapsed();
        assert_eq!(out.stdout, b"c\nb\n", "{}", out.stderr_lossy());
        took
    });
    rows.push((format!("script `{script}` (median)"), us(t), "".into()));

    // Fresh processes: our CLI next to this binary, and bash.
    let cli = std::env::current_exe()
        .unwrap()
        .with_file_name("wasm-agent");
    if cli.exists() {
        let run = |program: &std::path::Path, args: &[&str]| {
            median(51, || {
                let start = Instant::now();
                let out = Process::new(program).args(args).output().unwrap();
                assert_eq!(
                    out.stdout,
                    b"hi\n",
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                start.elapsed()
            })
        };
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
        let ours = run(&cli, &["exec", "--memory", "-c", "echo hi"]);
        rows.push((
            "fresh process `wasm-agent exec --memory -c 'echo hi'` (median)".into(),
            ms(ours),
            "≤ 3 ms".into(),
        ));
        let ours = run(&cli, &["exec", "-c", "echo hi"]);
        rows.push((
            "fresh process `wasm-agent exec -c 'echo hi'`, cwd mounted (median)".into(),
            ms(ours),
            "≤ 3 ms".into(),
        ));
        let bash = run(std::path::Path::new("/bin/bash"), &["-c", "echo hi"]);
        rows.push((
            "fresh process `bash -c 'echo hi'` (median)".into(),
            ms(bash),
            "".into(),
        ));
    } else {
        eprintln!(
            "{} not built: `cargo build --release -p wasm-agent` for the process figures",
            cli.display()
        );
    }

    let dir = std::env::temp_dir().join(format!("wa-report-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("small.txt"), "hello, world\n").unwrap();
    let t = median(300, || {
        let start = Instant::now();
        let out = Process::new("/bin/cat")
            .arg(dir.join("small.txt"))
            .output()
            .unwrap();
        assert!(out.status.success());
        start.elapsed()
    });
    rows.push(("native `/bin/cat` spawn (median)".into(), us(t), "".into()));
    let _ = fs::remove_dir_all(&dir);

    let t = median(10_000, || {
        let start = Instant::now();
        let sb = Sandbox::new(&runtime);
        let took = start.elapsed();
        drop(sb);
        took
    });
    rows.push(("new sandbox (median)".into(), ns(t), "≤ 10 µs".into()));

    let big = Sandbox::new(&runtime);
    rt.block_on(async {
        for i in 0..100_000 {
            big.write_file(&format!("/d{}/f{i}.txt", i % 100), "x")
                .await
                .unwrap();
        }
    });
    let t = median(10_000, || {
        let start = Instant::now();
        let fork = big.fork().unwrap();
        let took = start.elapsed();
        drop(fork);
        took
    });
    rows.push((
        "fork of a 100k-file memory sandbox (median)".into(),
        ns(t),
        "≤ 5 µs".into(),
    ));

    let count = 100_000;
    let before = rss_bytes();
    let idle: Vec<Sandbox> = (0..count).map(|_| Sandbox::new(&runtime)).collect();
    let after = rss_bytes();
    rows.push((
        format!("RSS per idle sandbox ({count} sandboxes)"),
        format!(
            "{:.2} KiB",
            (after.saturating_sub(before)) as f64 / count as f64 / 1024.0
        ),
        "≤ 8 KiB".into(),
    ));
    drop(idle);

    println!("| measure | value | goal |");
    println!("|---|---|---|");
    for (what, value, goal) in rows {
        println!("| {what} | {value} | {goal} |");
    }
}
