//! `wasm-agent bench`: the start-up and workload figures on this machine,
//! next to native bash (and bashkit when built with `--features bashkit`).

use std::io::Write;
use wasm_agent::bench::peers::{native::NativeBash, wasm_agent::WasmAgent};
use wasm_agent::bench::{self, Fixture, Options, Peer};
use wasm_agent::ErrorKind;

/// Runs the benchmark and prints the machine, then the table, on stdout;
/// progress goes to stderr.
pub async fn run(quick: bool) -> wasm_agent::Result<i32> {
    let options = Options {
        scale: if quick { 0.3 } else { 1.0 },
        ..Options::default()
    };
    eprintln!("wasm-agent bench: generating the fixture (1,000 files)…");
    let fixture = Fixture::generate();
    let cli = std::env::current_exe().ok();
    let mut peers: Vec<Box<dyn Peer>> = vec![Box::new(WasmAgent::new(&fixture, cli).await?)];
    #[cfg(feature = "bashkit")]
    peers.push(Box::new(
        wasm_agent::bench::peers::bashkit::Bashkit::new(&fixture)
            .await
            .map_err(failed)?,
    ));
    match NativeBash::new(&fixture).map_err(failed)? {
        Some(native) => peers.push(Box::new(native)),
        None => eprintln!("wasm-agent bench: no `bash` on PATH, native column left out"),
    }
    let mut progress = |what: &str| eprintln!("wasm-agent bench: {what}");
    let report = bench::run(&mut peers, &options, &mut progress)
        .await
        .map_err(failed)?;
    drop(peers);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}\n", machine());
    let _ = write!(out, "{}", report.to_markdown());
    Ok(0)
}

/// Writes the fixture below `dir` and says where.
pub fn write_fixture(dir: &std::path::Path) -> wasm_agent::Result<i32> {
    let fixture = Fixture::generate();
    fixture.write_to_dir(dir).map_err(|err| {
        wasm_agent::Error::new(
            ErrorKind::Io,
            format!("cannot write the fixture to {}: {err}", dir.display()),
        )
        .with_source(err)
    })?;
    eprintln!(
        "wasm-agent bench: wrote {} files ({} bytes) to {}",
        fixture.files.len(),
        fixture.total_bytes(),
        dir.display()
    );
    Ok(0)
}

/// A benchmark step that failed on the host (a temp dir, a process).
fn failed(err: std::io::Error) -> wasm_agent::Error {
    wasm_agent::Error::new(ErrorKind::Io, format!("benchmark failed: {err}")).with_source(err)
}

/// One paragraph describing the machine and the compared versions.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(String::new(), |kib| {
            format!(", {:.0} GiB", kib / 1024.0 / 1024.0)
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let bash = std::process::Command::new("bash")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_else(|| "no bash".into());
    let versions = format!("wasm-agent {}; {bash}", env!("CARGO_PKG_VERSION"));
    #[cfg(feature = "bashkit")]
    let versions = format!(
        "{versions}; bashkit {}",
        wasm_agent::bench::peers::bashkit::VERSION
    );
    format!(
        "Machine: {cpu}, {cores} cores{mem_gib}, Linux {}. {versions}.",
        kernel.trim()
    )
}
