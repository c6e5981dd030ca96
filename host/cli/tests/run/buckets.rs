//! Agents working in a bucket prefix (SeaweedFS on 127.0.0.1).

use serde_json::json;
use wasm_agent::s3::S3Fs;
use wasm_agent::vfs::Vfs;
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};
use wasm_agent_seaweed::SeaweedServer;

use crate::support::Project;

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}

use wasm_agent_s3_support::config;

/// A new bucket whose `work/input.txt` says `original`.
fn bucket_with_input() -> String {
    let bucket = SeaweedServer::shared().unique_bucket("agent-run");
    block_on(async {
        wasm_agent_s3_support::create_bucket(&bucket).await;
        let fs = S3Fs::connect(config(&bucket, "work")).await.unwrap();
        fs.write_file("/input.txt", b"original\n").await.unwrap();
        fs.flush().await.unwrap();
    });
    bucket
}

fn read(bucket: &str, prefix: &str, path: &str) -> Option<String> {
    block_on(async {
        let fs = S3Fs::connect(config(bucket, prefix)).await.unwrap();
        fs.read_file(path)
            .await
            .ok()
            .map(|b| String::from_utf8(b).unwrap())
    })
}

/// Runs `agent` with the server's keys in the environment.
fn run(project: &Project, agent: &str) -> crate::support::Run {
    let server = SeaweedServer::shared();
    project.run_with(
        project.path(),
        &[agent, "--id", "b1"],
        &[
            ("AWS_ACCESS_KEY_ID", server.access_key()),
            ("AWS_SECRET_ACCESS_KEY", server.secret_key()),
        ],
    )
}

fn agent(bucket: &str, fork: bool) -> String {
    let server = SeaweedServer::shared();
    format!(
        "---\nsandbox:\n  source: s3://{bucket}/work\n  endpoint: {}\n  region: {}\n  \
         path_style: true\n  fork: {fork}\n---\nWork.\n",
        server.endpoint(),
        server.region()
    )
}

const SCRIPT: &str = "cat /input.txt; echo changed > /input.txt; echo new > /out.txt";

#[test]
fn a_bucket_sandbox_keeps_the_agents_writes() {
    let bucket = bucket_with_input();
    let model = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": SCRIPT})),
        Turn::text("ok"),
    ]);
    let project = Project::new(&model);
    project.agent("inplace", &agent(&bucket, false));
    assert_eq!(run(&project, "inplace").json(), json!({"text": "ok"}));
    assert_eq!(
        read(&bucket, "work", "/input.txt").as_deref(),
        Some("changed\n")
    );
    assert_eq!(read(&bucket, "work", "/out.txt").as_deref(), Some("new\n"));
}

#[test]
fn a_forked_bucket_sandbox_leaves_the_base_alone() {
    let bucket = bucket_with_input();
    let model = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": SCRIPT})),
        Turn::text("ok"),
    ]);
    let project = Project::new(&model);
    project.agent("forked", &agent(&bucket, true));
    let result = run(&project, "forked");
    assert_eq!(result.json(), json!({"text": "ok"}));
    // The run saw the base's file, and changed only its fork.
    assert!(result.stderr.contains("original"), "{}", result.stderr);
    assert_eq!(
        read(&bucket, "work", "/input.txt").as_deref(),
        Some("original\n")
    );
    assert_eq!(read(&bucket, "work", "/out.txt"), None);
    let forks = block_on(async {
        let fs = S3Fs::connect(config(&bucket, "work-forks")).await.unwrap();
        fs.read_dir("/").await.unwrap()
    });
    assert_eq!(forks.len(), 1, "one fork per run");
}
