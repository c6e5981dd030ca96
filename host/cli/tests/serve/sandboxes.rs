//! The sandbox API: lifecycle, files, snapshots, forks, concurrency.

use crate::server::{assert_error, Server};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn lifecycle_create_exec_fork_diverge_delete() {
    let server = Server::start(&[], &[]);
    let id = server.sandbox().await;
    let (out, code) = server
        .exec(
            &id,
            "mkdir -p /work && echo base > /work/a.txt && cat /work/a.txt",
        )
        .await;
    assert_eq!((out.as_str(), code), ("base\n", 0));

    let (status, fork) = server
        .post(&format!("/sandboxes/{id}/fork"), json!({}))
        .await;
    assert_eq!(status, 201, "{fork}");
    let fork_id = fork["id"].as_str().unwrap();
    assert_eq!(fork["parent"], id.as_str());

    // Each side changes the file; neither sees the other's change.
    server.exec(&id, "echo parent >> /work/a.txt").await;
    server.exec(fork_id, "echo child >> /work/a.txt").await;
    assert_eq!(
        server.exec(&id, "cat /work/a.txt").await.0,
        "base\nparent\n"
    );
    assert_eq!(
        server.exec(fork_id, "cat /work/a.txt").await.0,
        "base\nchild\n"
    );

    let (_, listed) = server.get("/sandboxes").await;
    let ids: Vec<_> = listed["sandboxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert!(
        ids.contains(&json!(id)) && ids.contains(&json!(fork_id)),
        "{listed}"
    );

    let response = server
        .http
        .delete(server.at(&format!("/sandboxes/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (status, body) = server.get(&format!("/sandboxes/{id}")).await;
    assert_eq!(status, 404);
    assert_error(&body, "not_found");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.ends_with("list them with GET /sandboxes, create one with POST /sandboxes"),
        "{message}"
    );
    // The fork lives on without its parent.
    assert_eq!(
        server.exec(fork_id, "cat /work/a.txt").await.0,
        "base\nchild\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_options_and_failing_commands() {
    let server = Server::start(&[], &[]);
    let id = server.sandbox().await;
    let (status, body) = server
        .post(
            &format!("/sandboxes/{id}/exec"),
            json!({"command": "mkdir -p /d && cd /d && pwd; echo $GREETING; tr a-z A-Z; ls /nope",
                   "env": {"GREETING": "hi"}, "stdin": "shout"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stdout"], "/d\nhi\nSHOUT");
    assert_ne!(body["exit_code"], 0);
    assert!(body["stderr"].as_str().unwrap().contains("/nope"), "{body}");
    assert!(body["duration_ms"].is_u64());

    let (_, body) = server
        .post(
            &format!("/sandboxes/{id}/exec"),
            json!({"command": "pwd", "cwd": "/d"}),
        )
        .await;
    assert_eq!(body["stdout"], "/d\n");
    let (_, body) = server
        .post(
            &format!("/sandboxes/{id}/exec"),
            json!({"command": "sleep 5", "timeout": 0.3}),
        )
        .await;
    assert_eq!(body["exit_code"], 124, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn files_write_read_list_stat_remove() {
    let server = Server::start(&[], &[]);
    let id = server.sandbox().await;
    let files = server.at(&format!("/sandboxes/{id}/files"));
    let bytes: Vec<u8> = (0..=255).collect();
    let response = server
        .http
        .put(format!("{files}?path=/data/sub/bin.dat"))
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let got = server
        .http
        .get(format!("{files}?path=/data/sub/bin.dat"))
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers()["content-type"], "application/octet-stream");
    assert_eq!(got.bytes().await.unwrap().to_vec(), bytes);
    // Commands see what the API wrote.
    assert_eq!(
        server.exec(&id, "wc -c < /data/sub/bin.dat").await.0.trim(),
        "256"
    );

    let (status, listing) = server
        .get(&format!("/sandboxes/{id}/files?path=/data&list"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(listing["entries"][0]["name"], "sub");
    assert_eq!(listing["entries"][0]["type"], "dir");
    let (_, listing) = server
        .get(&format!("/sandboxes/{id}/files/list?path=/data/sub"))
        .await;
    assert_eq!(listing["entries"][0]["path"], "/data/sub/bin.dat");
    assert_eq!(listing["entries"][0]["size"], 256);

    let (status, stat) = server
        .get(&format!("/sandboxes/{id}/stat?path=/data/sub/bin.dat"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (stat["type"].as_str(), stat["size"].as_u64()),
        (Some("file"), Some(256))
    );

    // A directory with contents needs ?recursive.
    let response = server
        .http
        .delete(format!("{files}?path=/data"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let response = server
        .http
        .delete(format!("{files}?path=/data&recursive"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (status, body) = server
        .get(&format!("/sandboxes/{id}/stat?path=/data"))
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["details"]["path"], "/data");
    let (status, body) = server.get(&format!("/sandboxes/{id}/stat")).await;
    assert_eq!(status, 400);
    assert_error(&body, "invalid_request");
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshots_restore_into_new_sandboxes() {
    let server = Server::start(&[], &[]);
    let id = server.sandbox().await;
    server.exec(&id, "echo v1 > /f").await;
    let (status, snap) = server
        .post(&format!("/sandboxes/{id}/snapshots"), json!({}))
        .await;
    assert_eq!(status, 201, "{snap}");
    server.exec(&id, "echo v2 > /f").await;
    let (status, restored) = server
        .post("/sandboxes", json!({"kind": "snapshot", "of": snap["id"]}))
        .await;
    assert_eq!(status, 201, "{restored}");
    let restored = restored["id"].as_str().unwrap();
    assert_eq!(server.exec(restored, "cat /f").await.0, "v1\n");
    assert_eq!(server.exec(&id, "cat /f").await.0, "v2\n");
    // fork as a create kind too
    let (_, forked) = server
        .post("/sandboxes", json!({"kind": "fork", "of": id}))
        .await;
    assert_eq!(
        server
            .exec(forked["id"].as_str().unwrap(), "cat /f")
            .await
            .0,
        "v2\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn host_dirs_only_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hello.txt"), "from the host\n").unwrap();
    let path = dir.path().to_str().unwrap();
    let closed = Server::start(&[], &[]);
    let (status, body) = closed
        .post("/sandboxes", json!({"kind": "host_dir", "path": path}))
        .await;
    assert_eq!(status, 403);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--allow-host-dirs"));

    let open = Server::start(&["--allow-host-dirs"], &[]);
    let (status, body) = open
        .post("/sandboxes", json!({"kind": "host_dir", "path": path}))
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap();
    assert_eq!(open.exec(id, "cat /hello.txt").await.0, "from the host\n");
    open.exec(id, "echo back > /out.txt").await;
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "back\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hundred_concurrent_execs() {
    let server = std::sync::Arc::new(Server::start(&[], &[]));
    let id = server.sandbox().await;
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (server, id) = (server.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            let (status, body) = server
                .post(
                    &format!("/sandboxes/{id}/exec"),
                    json!({"command": format!("echo {i} > /f{i} && cat /f{i} | wc -c")}),
                )
                .await;
            (i, status, body)
        }));
    }
    for task in tasks {
        let (i, status, body) = task.await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["exit_code"], 0, "{body}");
        assert_eq!(
            body["stdout"].as_str().unwrap().trim(),
            (format!("{i}\n").len()).to_string()
        );
    }
    let (_, listing) = server
        .get(&format!("/sandboxes/{id}/files/list?path=/"))
        .await;
    let files = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"].as_str().unwrap().starts_with('f'))
        .count();
    assert_eq!(files, 100);
}
