//! Two servers on one SeaweedFS bucket (`--store`): a session started on
//! one continues on the other, and each reads and streams the other's
//! runs. Also bucket sandboxes through the API.

use crate::project::{parse_sse, Project, TRIAGE};
use crate::server::{status_json, Server};
use serde_json::json;
use wasm_agent::s3::S3Fs;
use wasm_agent::vfs::Vfs;
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};
use wasm_agent_seaweed::SeaweedServer;

use wasm_agent_s3_support::config;

async fn new_bucket(hint: &str) -> String {
    wasm_agent_s3_support::new_bucket(hint).await.bucket
}

/// A server of `project` with its store in `bucket/state`.
fn serve(project: &Project, bucket: &str, extra: &[&str]) -> Server {
    let seaweed = SeaweedServer::shared();
    let store = format!("s3://{bucket}/state");
    let endpoint = seaweed.endpoint();
    let mut args = vec![
        "--project",
        project.path(),
        "--store",
        &store,
        "--endpoint",
        &endpoint,
        "--region",
        seaweed.region(),
        "--path-style",
    ];
    args.extend_from_slice(extra);
    Server::start(
        &args,
        &[
            ("SCRIPTED_KEY", "k"),
            ("AWS_ACCESS_KEY_ID", seaweed.access_key()),
            ("AWS_SECRET_ACCESS_KEY", seaweed.secret_key()),
        ],
    )
}

async fn ask(server: &Server, q: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = server
        .http
        .post(server.at("/agents/chat/shared-1"))
        .header("content-type", "application/json")
        .body(json!({ "q": q }).to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_continue_one_session_and_share_runs() {
    let bucket = new_bucket("serve-two").await;
    let llm = ScriptedLlm::start(vec![Turn::text("answer from A")]);
    let project = Project::new(&llm);
    project.agent("chat", "---\nwebhook: true\n---\nQuestion: {{payload.q}}\n");
    let a = serve(&project, &bucket, &[]);
    let b = serve(&project, &bucket, &[]);

    let (status, first) = status_json(ask(&a, "first question?", &[]).await).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["result"], json!({"text": "answer from A"}));
    llm.push(Turn::text("answer from B"));
    let (status, second) = status_json(ask(&b, "second question?", &[]).await).await;
    assert_eq!(status, 200, "{second}");
    // B sent the model the conversation A had.
    let history = llm.requests()[1].body.to_string();
    assert!(
        history.contains("first question?") && history.contains("answer from A"),
        "{history}"
    );

    // Each server reads the other's runs from the bucket.
    let run_a = first["_meta"]["runId"].as_str().unwrap();
    let (status, seen) = b.get(&format!("/runs/{run_a}")).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["status"], "succeeded");
    let (_, own) = a.get(&format!("/runs/{run_a}")).await;
    assert_eq!(seen["events"], own["events"]);
    let stream = b
        .http
        .get(b.at(&format!("/runs/{run_a}/stream")))
        .send()
        .await
        .unwrap();
    let events = parse_sse(&stream.text().await.unwrap());
    assert_eq!(events.last().unwrap().event.as_deref(), Some("end"));
    assert_eq!(events.len() as u64, own["events"].as_u64().unwrap() + 1);

    // The session document is in the bucket, not in the project.
    let fs = S3Fs::connect(config(&bucket, "state")).await.unwrap();
    assert!(fs
        .read_file("/sessions/chat.shared-1.session.json")
        .await
        .is_ok());
    assert!(!project
        .dir
        .path()
        .join(".wasm-agent/sessions/chat.shared-1.session.json")
        .exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_follows_a_run_going_on_at_another() {
    let bucket = new_bucket("serve-follow").await;
    let llm = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "sleep 2; echo slept"})),
        Turn::tool_call("t2", "finish", json!({"result": {"label": "slow"}})),
    ]);
    let project = Project::new(&llm);
    project.agent("triage", TRIAGE);
    let a = serve(&project, &bucket, &[]);
    let b = serve(&project, &bucket, &[]);
    let response = a
        .http
        .post(a.at("/agents/triage/slow-1"))
        .header("content-type", "application/json")
        .header("x-webhook", "true")
        .body(json!({"number": 1, "title": "slow"}).to_string())
        .send()
        .await
        .unwrap();
    let (status, accepted) = status_json(response).await;
    assert_eq!(status, 202);
    let run_id = accepted["runId"].as_str().unwrap();
    // B knows the run while it is still going on (A saved it at start).
    let (status, running) = b.get(&format!("/runs/{run_id}")).await;
    assert_eq!(status, 200, "{running}");
    assert_eq!(running["status"], "running");
    let stream = b
        .http
        .get(b.at(&format!("/runs/{run_id}/stream")))
        .send()
        .await
        .unwrap();
    let events = parse_sse(&stream.text().await.unwrap());
    let end = events.last().unwrap();
    assert_eq!(end.event.as_deref(), Some("end"));
    assert_eq!(end.data["result"], json!({"label": "slow"}));
    assert!(events.iter().any(|e| e.data["type"] == "tool_call"
        && e.data["output"]
            .as_str()
            .is_some_and(|o| o.contains("slept"))));
}

#[tokio::test(flavor = "multi_thread")]
async fn bucket_sandboxes_write_to_the_bucket() {
    let bucket = new_bucket("serve-sbx").await;
    let seaweed = SeaweedServer::shared();
    let server = Server::start(
        &["--allow-buckets"],
        &[
            ("AWS_ACCESS_KEY_ID", seaweed.access_key()),
            ("AWS_SECRET_ACCESS_KEY", seaweed.secret_key()),
        ],
    );
    let (status, created) = server
        .post(
            "/sandboxes",
            json!({"kind": "bucket", "url": format!("s3://{bucket}/ws"),
                   "endpoint": seaweed.endpoint(), "region": seaweed.region(), "path_style": true}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["kind"], "bucket");
    let (_, code) = server.exec(id, "echo in the bucket > /note.txt").await;
    assert_eq!(code, 0);
    let fs = S3Fs::connect(config(&bucket, "ws")).await.unwrap();
    assert_eq!(fs.read_file("/note.txt").await.unwrap(), b"in the bucket\n");
}
