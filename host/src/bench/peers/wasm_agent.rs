//! wasm-agent itself: in-memory sandboxes of one [`Runtime`].

use crate::bench::fixture::Fixture;
use crate::bench::measure::bytes_per_instance;
use crate::bench::peer::{Peer, RunOutput};
use crate::bench::workloads::DATA_DIR;
use crate::{Runtime, Sandbox};
use async_trait::async_trait;
use std::io;
use std::path::PathBuf;
use std::process::Command as Process;
use std::time::{Duration, Instant};

/// Sandboxes of one runtime; the long-lived one holds the fixture.
pub struct WasmAgent {
    runtime: Runtime,
    sandbox: Sandbox,
    cli: Option<PathBuf>,
}

impl WasmAgent {
    /// A runtime with the tools loaded and a sandbox holding `fixture` at
    /// `/data`. `cli` is the `wasm-agent` executable for the process
    /// start-up figure, if there is one.
    pub async fn new(fixture: &Fixture, cli: Option<PathBuf>) -> crate::Result<WasmAgent> {
        let runtime = Runtime::new()?;
        runtime.preload()?;
        let sandbox = Sandbox::builder(&runtime).cwd(DATA_DIR).build();
        for file in &fixture.files {
            sandbox
                .write_file(&format!("{DATA_DIR}/{}", file.path), &file.data)
                .await?;
        }
        Ok(WasmAgent {
            runtime,
            sandbox,
            cli,
        })
    }
}

fn output(result: crate::Result<crate::ExecResult>) -> io::Result<RunOutput> {
    let result = result.map_err(io::Error::other)?;
    Ok(RunOutput {
        stdout: result.stdout,
        status: result.exit_code,
    })
}

#[async_trait(?Send)]
impl Peer for WasmAgent {
    fn name(&self) -> &'static str {
        "wasm-agent"
    }

    async fn fresh_echo(&mut self) -> io::Result<RunOutput> {
        output(Sandbox::new(&self.runtime).exec("echo hi").await)
    }

    async fn existing(&mut self, script: &str) -> io::Result<RunOutput> {
        output(self.sandbox.exec(script).await)
    }

    async fn process_echo(&mut self) -> io::Result<Option<RunOutput>> {
        let Some(cli) = &self.cli else {
            return Ok(None);
        };
        let out = Process::new(cli)
            .args(["exec", "--memory", "-c", "echo hi"])
            .output()?;
        Ok(Some(RunOutput {
            stdout: out.stdout,
            status: out.status.code().unwrap_or(-1),
        }))
    }

    async fn populate(&mut self, files: &[(String, Vec<u8>)]) -> io::Result<Option<Duration>> {
        let start = Instant::now();
        let sandbox = Sandbox::new(&self.runtime);
        for (path, data) in files {
            sandbox
                .write_file(path, data)
                .await
                .map_err(io::Error::other)?;
        }
        let took = start.elapsed();
        drop(sandbox);
        Ok(Some(took))
    }

    async fn idle_bytes(&mut self, count: usize) -> io::Result<Option<f64>> {
        let runtime = &self.runtime;
        Ok(Some(bytes_per_instance(count, || Sandbox::new(runtime))))
    }
}
