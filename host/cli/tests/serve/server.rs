//! A `wasm-agent serve` child process for one test, stopped on drop.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running server.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The client tests use (no default token).
    pub http: reqwest::Client,
}

impl Server {
    /// Starts `wasm-agent serve --port 0 ARGS` with `env` and waits until
    /// it prints its address.
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_in(None, args, env)
    }

    /// [`Server::start`] with `dir` as the working directory.
    pub fn start_in(dir: Option<&std::path::Path>, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_wasm-agent"));
        command
            .args(["serve", "--port", "0"])
            .args(args)
            .env_remove("WASM_AGENT_TOKEN")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        let mut child = command.spawn().expect("start wasm-agent serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut line)
            .expect("read the server's first line");
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .filter(|url| url.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| {
                let status = child.wait().ok();
                panic!("the server did not print its address: {line:?} (exit {status:?})")
            })
            .to_string();
        Server {
            child,
            url,
            http: reqwest::Client::new(),
        }
    }

    /// Sends SIGTERM and waits (up to 60 s) for the server to exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        self.signal("TERM");
        self.wait()
    }

    /// Sends the signal `name` (`TERM`, `INT`).
    pub fn signal(&self, name: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -{name} {pid}");
    }

    /// Waits (up to 60 s) for the server to exit.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        for _ in 0..600 {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the server did not exit within 60 s of SIGTERM");
    }

    /// `url` + `path`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// POSTs JSON, returns the status and the JSON answer.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(self.at(path))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        status_json(response).await
    }

    /// GETs, returns the status and the JSON answer.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        status_json(self.http.get(self.at(path)).send().await.unwrap()).await
    }

    /// Creates a memory sandbox and returns its id.
    pub async fn sandbox(&self) -> String {
        let (status, body) = self
            .post("/sandboxes", serde_json::json!({"kind": "memory"}))
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_string()
    }

    /// Runs `command` in sandbox `id`; returns (stdout, exit code).
    pub async fn exec(&self, id: &str, command: &str) -> (String, i64) {
        let (status, body) = self
            .post(
                &format!("/sandboxes/{id}/exec"),
                serde_json::json!({ "command": command }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        (
            body["stdout"].as_str().unwrap().to_string(),
            body["exit_code"].as_i64().unwrap(),
        )
    }
}

/// The status and the body as JSON (`Null` when empty).
pub async fn status_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    };
    (status, body)
}

/// Asserts `body` is the error envelope of `kind`.
#[track_caller]
pub fn assert_error(body: &Value, kind: &str) {
    assert_eq!(body["error"]["type"], kind, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
