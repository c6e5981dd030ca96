//! `wasm-agent logs` against a running server.

use crate::project::{Project, TRIAGE};
use crate::server::{status_json, Server};
use serde_json::{json, Value};
use std::process::Command;
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

/// Runs `wasm-agent logs ARGS` (off the async threads); returns
/// (status, stdout, stderr).
async fn logs(args: Vec<String>) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let output = Command::new(env!("CARGO_BIN_EXE_wasm-agent"))
            .arg("logs")
            .args(&args)
            .env_remove("WASM_AGENT_TOKEN")
            .env_remove("WASM_AGENT_SERVER")
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

async fn trigger(server: &Server, path: &str, background: bool) -> Value {
    let mut request = server
        .http
        .post(server.at(path))
        .header("content-type", "application/json")
        .body(json!({"number": 3, "title": "slow"}).to_string());
    if background {
        request = request.header("x-webhook", "true");
    }
    status_json(request.send().await.unwrap()).await.1
}

#[tokio::test(flavor = "multi_thread")]
async fn pretty_and_json_logs_of_a_finished_run() {
    let llm = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "echo checked"})),
        Turn::tool_call("t2", "finish", json!({"result": {"label": "docs"}})),
    ]);
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let server = Server::start(
        &["--project", project.path(), "--token", "tk"],
        &[("SCRIPTED_KEY", "k")],
    );
    let answer = server
        .http
        .post(server.at("/agents/triage/l-1"))
        .bearer_auth("tk")
        .header("content-type", "application/json")
        .body(json!({"number": 3, "title": "typo"}).to_string())
        .send()
        .await
        .unwrap();
    let (_, answer) = status_json(answer).await;
    let run_id = answer["_meta"]["runId"].as_str().unwrap().to_string();
    let base = vec![
        run_id.clone(),
        "--server".into(),
        server.url.clone(),
        "--token".into(),
        "tk".into(),
    ];

    let (status, out, err) = logs(base.clone()).await;
    assert_eq!(status, 0, "{err}");
    assert!(out.contains("→ bash echo checked"), "{out}");
    assert!(out.contains("← bash") && out.contains("checked"), "{out}");
    assert!(
        out.contains(&format!("── run {run_id} succeeded:")),
        "{out}"
    );
    assert!(out.contains("\"label\": \"docs\""), "{out}");

    let mut json_args = base.clone();
    json_args.extend(["--format".to_string(), "json".to_string()]);
    let (status, out, _) = logs(json_args).await;
    assert_eq!(status, 0);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (end, events) = lines.split_last().unwrap();
    assert_eq!(end["type"], "end");
    assert_eq!(end["result"], json!({"label": "docs"}));
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event["index"], i);
    }

    // Without the token: the server's message, exit 2.
    let (status, _, err) = logs(vec![run_id, "--server".into(), server.url.clone()]).await;
    assert_eq!(status, 2);
    assert!(err.contains("Authorization: Bearer"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn follow_streams_a_run_until_it_ends() {
    let llm = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "sleep 1; echo awake"})),
        Turn::tool_call("t2", "finish", json!({"result": {"label": "late"}})),
    ]);
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let server = Server::start(&["--project", project.path()], &[("SCRIPTED_KEY", "k")]);
    let accepted = trigger(&server, "/agents/triage/f-1", true).await;
    let run_id = accepted["runId"].as_str().unwrap().to_string();
    let (status, out, err) = logs(vec![
        run_id.clone(),
        "--follow".into(),
        "--server".into(),
        server.url.clone(),
    ])
    .await;
    assert_eq!(status, 0, "{err}");
    assert!(out.contains("awake"), "{out}");
    assert!(out.contains("\"label\": \"late\""), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_and_unknown_runs() {
    // The model's script is empty: the run fails.
    let llm = ScriptedLlm::start(vec![]);
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let server = Server::start(&["--project", project.path()], &[("SCRIPTED_KEY", "k")]);
    let accepted = trigger(&server, "/agents/triage/x-1", true).await;
    let run_id = accepted["runId"].as_str().unwrap().to_string();
    let (status, out, _) = logs(vec![
        run_id.clone(),
        "-f".into(),
        "--server".into(),
        server.url.clone(),
    ])
    .await;
    assert_eq!(status, 1, "{out}");
    assert!(out.contains(&format!("── run {run_id} failed:")), "{out}");

    let (status, _, err) = logs(vec![
        "run_nope".into(),
        "--server".into(),
        server.url.clone(),
    ])
    .await;
    assert_eq!(status, 2);
    assert!(err.contains("no run 'run_nope'"), "{err}");
    let (status, _, err) = logs(vec![
        "run_x".into(),
        "--server".into(),
        "http://127.0.0.1:1".into(),
    ])
    .await;
    assert_eq!(status, 2);
    assert!(err.contains("cannot reach the server"), "{err}");
}
