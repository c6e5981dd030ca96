//! The sandbox behind a harness: a custom implementation, a host
//! directory, a bucket.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde_json::json;
use wasm_agent::shell::{ExecOptions, ExecResult};
use wasm_agent::vfs::Vfs;
use wasm_agent::{CommandOutput, Sandbox};
use wasm_agent_harness::sandbox_api::{HostCommands, SandboxApi};
use wasm_agent_harness::{Harness, InitOptions, PromptOptions, SandboxSource, ShellOptions};
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::{options, runtime};

/// A sandbox that records every script it is asked to run.
#[derive(Debug)]
struct Recording {
    inner: Sandbox,
    scripts: Mutex<Vec<String>>,
}

#[async_trait]
impl SandboxApi for Recording {
    fn fs(&self) -> Arc<dyn Vfs> {
        self.inner.fs()
    }

    fn cwd(&self) -> String {
        "/".to_string()
    }

    async fn exec(
        &self,
        script: &str,
        options: ExecOptions,
        granted: &HostCommands,
    ) -> wasm_agent::Result<ExecResult> {
        self.scripts.lock().unwrap().push(script.to_string());
        self.inner.exec_granting(script, options, granted).await
    }

    async fn run(&self, argv: Vec<String>, cwd: &str) -> wasm_agent::Result<CommandOutput> {
        SandboxApi::run(&self.inner, argv, cwd).await
    }
}

#[tokio::test]
async fn a_custom_sandbox_serves_the_tools() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "echo custom > /mark"})),
        Turn::text("marked"),
    ]);
    let sandbox = Arc::new(Recording {
        inner: Sandbox::new(runtime()),
        scripts: Mutex::new(Vec::new()),
    });
    let harness = Harness::init(InitOptions {
        sandbox: SandboxSource::Custom(sandbox.clone()),
        ..options(&server)
    })
    .await
    .unwrap();
    let session = harness.session("s").await.unwrap();
    session
        .prompt("mark it", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(*sandbox.scripts.lock().unwrap(), ["echo custom > /mark"]);
    assert_eq!(sandbox.inner.read_file("/mark").await.unwrap(), "custom\n");
}

#[tokio::test]
async fn a_host_directory_sandbox_changes_the_host_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("input.txt"), "3\n1\n2\n").unwrap();
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "bash",
            json!({"command": "sort input.txt > sorted.txt"}),
        ),
        Turn::text("sorted"),
    ]);
    let harness = Harness::init(InitOptions {
        sandbox: SandboxSource::HostDir(dir.path().to_path_buf()),
        ..options(&server)
    })
    .await
    .unwrap();
    let session = harness.session("s").await.unwrap();
    session
        .prompt("sort it", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sorted.txt")).unwrap(),
        "1\n2\n3\n"
    );
}

#[tokio::test]
async fn a_bucket_sandbox_keeps_the_agents_work_in_the_bucket() {
    use wasm_agent::s3::S3Fs;

    let config = wasm_agent_s3_support::new_bucket("agent").await;

    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "write",
            json!({"path": "/report.md", "content": "# Report\n"}),
        ),
        Turn::text("written"),
    ]);
    let harness = Harness::init(InitOptions {
        sandbox: SandboxSource::Bucket(Box::new(config.clone())),
        ..options(&server)
    })
    .await
    .unwrap();
    let session = harness.session("s").await.unwrap();
    session
        .prompt("report", PromptOptions::default())
        .await
        .unwrap();
    let out = harness
        .shell("cat /report.md", ShellOptions::default())
        .await
        .unwrap();
    assert_eq!(out.stdout, "# Report\n");
    // Another client of the bucket sees it: the write went through.
    let fresh = S3Fs::connect(config).await.unwrap();
    assert_eq!(fresh.read_file("/report.md").await.unwrap(), b"# Report\n");
}
