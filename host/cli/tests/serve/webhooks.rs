//! Agent webhooks in their three modes, runs, their events and streams.

use crate::project::{parse_sse, Project, TRIAGE};
use crate::server::{assert_error, status_json, Server};
use serde_json::{json, Value};
use std::time::Duration;
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

fn triage_turns() -> Vec<Turn> {
    vec![
        Turn::tool_call(
            "t1",
            "bash",
            json!({"command": "echo triaged | tr a-z A-Z"}),
        ),
        Turn::tool_call("t2", "finish", json!({"result": {"label": "bug"}})),
    ]
}

fn serve(project: &Project, extra: &[&str]) -> Server {
    let mut args = vec!["--project", project.path()];
    args.extend_from_slice(extra);
    Server::start(&args, &[("SCRIPTED_KEY", "k")])
}

async fn trigger(server: &Server, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = server
        .http
        .post(server.at(path))
        .header("content-type", "application/json")
        .body(json!({"number": 7, "title": "crash"}).to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// Polls `GET /runs/{id}` until the run is over.
async fn finished(server: &Server, run_id: &str) -> Value {
    for _ in 0..200 {
        let (status, run) = server.get(&format!("/runs/{run_id}")).await;
        assert_eq!(status, 200, "{run}");
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("run {run_id} did not finish");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_webhook_answers_the_result_and_records_the_run() {
    let llm = ScriptedLlm::start(triage_turns());
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let server = serve(&project, &[]);
    let (status, body) = status_json(trigger(&server, "/agents/triage/issue-7", &[]).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"], json!({"label": "bug"}));
    let run_id = body["_meta"]["runId"].as_str().unwrap();

    let (_, run) = server.get(&format!("/runs/{run_id}")).await;
    assert_eq!(run["status"], "succeeded");
    assert_eq!(run["agent"], "triage");
    assert_eq!(run["session"], "issue-7");
    assert_eq!(run["result"], json!({"label": "bug"}));
    let count = run["events"].as_u64().unwrap();
    assert!(count > 4, "{run}");

    let (_, all) = server.get(&format!("/runs/{run_id}/events")).await;
    let events = all["events"].as_array().unwrap();
    assert_eq!(events.len() as u64, count);
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event["index"], i, "{event}");
    }
    assert_eq!(all["done"], true);
    let (_, tools) = server
        .get(&format!("/runs/{run_id}/events?types=tool_call"))
        .await;
    let tools = tools["events"].as_array().unwrap();
    assert_eq!(tools[0]["name"], "bash");
    assert!(
        tools[0]["output"].as_str().unwrap().contains("TRIAGED"),
        "{tools:?}"
    );
    let (_, page) = server
        .get(&format!("/runs/{run_id}/events?after=1&limit=2"))
        .await;
    let page_events = page["events"].as_array().unwrap();
    assert_eq!(
        (page_events[0]["index"].as_u64(), page_events.len()),
        (Some(2), 2)
    );
    assert_eq!(page["next_after"], 3);
    let (status, body) = server.get(&format!("/runs/{run_id}/events?limit=0")).await;
    assert_eq!(status, 400, "{body}");

    // The prompt was the template filled with the payload.
    let first = llm.requests()[0].body.to_string();
    assert!(
        first.contains("Label issue 7: crash (session issue-7)"),
        "{first}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn background_webhook_is_accepted_then_finishes() {
    let llm = ScriptedLlm::start(triage_turns());
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let server = serve(&project, &[]);
    let response = trigger(&server, "/agents/triage/bg-1", &[("x-webhook", "true")]).await;
    let (status, body) = status_json(response).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["status"], "accepted");
    let run = finished(&server, body["runId"].as_str().unwrap()).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    assert_eq!(run["result"], json!({"label": "bug"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn streaming_webhook_and_resuming_with_last_event_id() {
    let llm = ScriptedLlm::start(triage_turns());
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let server = serve(&project, &[]);
    let response = trigger(
        &server,
        "/agents/triage/s-1",
        &[("accept", "text/event-stream")],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let events = parse_sse(&response.text().await.unwrap());
    let (end, events) = events.split_last().unwrap();
    assert_eq!(end.event.as_deref(), Some("end"));
    assert_eq!(end.data["status"], "succeeded");
    assert_eq!(end.data["result"], json!({"label": "bug"}));
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event.id.as_deref(), Some(i.to_string().as_str()));
        assert_eq!(event.data["index"], i);
    }
    assert!(events.iter().any(|e| e.data["type"] == "tool_call"));
    let run_id = end.data["id"].as_str().unwrap();

    // A client that saw up to id 2 gets the rest, from 3.
    let resumed = server
        .http
        .get(server.at(&format!("/runs/{run_id}/stream")))
        .header("last-event-id", "2")
        .send()
        .await
        .unwrap();
    let resumed = parse_sse(&resumed.text().await.unwrap());
    assert_eq!(resumed[0].id.as_deref(), Some("3"));
    assert_eq!(resumed.len(), events.len() - 3 + 1);
    assert_eq!(resumed.last().unwrap().event.as_deref(), Some("end"));

    let (status, body) = status_json(
        server
            .http
            .get(server.at(&format!("/runs/{run_id}/stream")))
            .header("last-event-id", "abc")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_request");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_id_continues_the_session() {
    let llm = ScriptedLlm::start(vec![Turn::text("first answer")]);
    let project = Project::new(&llm);
    project.agent("chat", "---\nwebhook: true\n---\nQuestion: {{payload.q}}\n");
    let server = serve(&project, &[]);
    let ask = |q: &'static str| {
        server
            .http
            .post(server.at("/agents/chat/s1"))
            .header("content-type", "application/json")
            .body(json!({ "q": q }).to_string())
            .send()
    };
    let (_, first) = status_json(ask("one?").await.unwrap()).await;
    assert_eq!(first["result"], json!({"text": "first answer"}));
    llm.push(Turn::text("second answer"));
    let (_, second) = status_json(ask("two?").await.unwrap()).await;
    assert_eq!(second["result"], json!({"text": "second answer"}));
    let history = llm.requests()[1].body.to_string();
    assert!(
        history.contains("one?") && history.contains("first answer"),
        "{history}"
    );
    assert_ne!(first["_meta"]["runId"], second["_meta"]["runId"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_webhook_agents_and_valid_requests_run() {
    let llm = ScriptedLlm::start(vec![]);
    let project = Project::new(&llm);
    project.agent("private", "---\nwebhook: false\n---\nHi\n");
    project.agent("triage", TRIAGE);
    let server = serve(&project, &["--admin"]);
    for path in ["/agents/private/x", "/agents/nobody/x"] {
        let (status, body) = status_json(trigger(&server, path, &[]).await).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_error(&body, "not_found");
    }
    let bad = server
        .http
        .post(server.at("/agents/triage/x"))
        .header("content-type", "application/json")
        .body("{\"number\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(status_json(bad).await.0, 400);
    let (status, _) = status_json(trigger(&server, "/agents/triage/.hidden", &[]).await).await;
    assert_eq!(status, 400);
    // A payload without a key the template uses: 400 from the runner.
    let (status, body) = status_json(
        server
            .http
            .post(server.at("/agents/triage/x"))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["details"]["runId"].is_string(), "{body}");
    assert!(llm.requests().is_empty());

    let (_, agents) = server.get("/admin/agents").await;
    let names: Vec<_> = agents["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("private"), json!("triage")]);
    let (_, runs) = server.get("/admin/runs").await;
    assert_eq!(runs["runs"][0]["status"], "failed");
    assert_eq!(server.get("/runs/run_unknown").await.0, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_routes_are_opt_in() {
    let server = Server::start(&[], &[]);
    assert_eq!(server.get("/admin/runs").await.0, 404);
    assert_eq!(server.get("/admin/sandboxes").await.0, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_a_background_run_finish_and_save_its_session() {
    let llm = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "sleep 1; echo slept"})),
        Turn::tool_call("t2", "finish", json!({"result": {"label": "bug"}})),
    ]);
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let mut server = serve(&project, &[]);
    let response = trigger(&server, "/agents/triage/issue-9", &[("x-webhook", "true")]).await;
    assert_eq!(response.status(), 202);
    // Wait until the run is inside its tool call, then stop the server.
    for _ in 0..200 {
        if llm.requests().len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let started = std::time::Instant::now();
    let status = tokio::task::block_in_place(|| server.terminate());
    assert!(status.success(), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(llm.requests().len(), 2, "the run went on to its end");
    let session = std::fs::read_to_string(
        project
            .dir
            .path()
            .join(".wasm-agent/sessions/triage.issue-9.session.json"),
    )
    .expect("the session was saved");
    assert!(
        session.contains("slept") && session.contains("finish"),
        "{session}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_signal_aborts_the_runs_and_saves_their_sessions() {
    let llm = ScriptedLlm::start(vec![Turn::tool_call(
        "t1",
        "bash",
        json!({"command": "sleep 60"}),
    )]);
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let mut server = serve(&project, &[]);
    let response = trigger(&server, "/agents/triage/issue-10", &[("x-webhook", "true")]).await;
    assert_eq!(response.status(), 202);
    for _ in 0..200 {
        if llm.requests().len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.signal("TERM");
    let status = tokio::task::block_in_place(|| server.wait());
    assert!(status.success(), "{status:?}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the sleep was aborted"
    );
    let session = std::fs::read_to_string(
        project
            .dir
            .path()
            .join(".wasm-agent/sessions/triage.issue-10.session.json"),
    )
    .expect("the session was saved");
    assert!(session.contains("cancelled"), "{session}");
}
