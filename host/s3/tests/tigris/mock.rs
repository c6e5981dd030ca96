//! A stand-in for Tigris on 127.0.0.1: records every request (method,
//! path, query, headers, body) and answers what the test's handler says,
//! in Tigris' shapes (S3 XML errors, headers, IAM JSON).
//!
//! HTTP/1.1 only as far as the SDK and the IAM client need it: keep-alive,
//! `Content-Length` and chunked bodies, `Expect: 100-continue`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wasm_agent_s3::{Credentials, S3Config, Tigris};

/// Keys the test client signs with.
pub const ACCESS_KEY: &str = "tid_TESTKEY";
/// The secret of [`ACCESS_KEY`] (must never show in an error).
pub const SECRET_KEY: &str = "tsec_TOP_SECRET_VALUE";

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `PUT`…
    pub method: String,
    /// The path without the query, percent-decoding not applied, and
    /// without the trailing `/` the SDK puts after a path-style bucket
    /// (`PUT /bucket/` is recorded as `/bucket`).
    pub path: String,
    /// The raw query string (empty when none).
    pub query: String,
    /// Headers, names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of header `name` (any case), if sent once or more.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the query has parameter `name` (with or without a value).
    pub fn has_param(&self, name: &str) -> bool {
        self.query
            .split('&')
            .any(|p| p == name || p.starts_with(&format!("{name}=")))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The names of every `x-tigris-*` / `tigris-*` header sent.
    pub fn tigris_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter(|(n, _)| n.starts_with("x-tigris-") || n.starts_with("tigris-"))
            .cloned()
            .collect()
    }

    /// `METHOD /path`, for assertions and messages.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    /// An empty answer with `status`.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// `200 OK`, empty.
    pub fn ok() -> Reply {
        Reply::status(200)
    }

    /// An S3 XML body with `status`.
    pub fn xml(status: u16, body: &str) -> Reply {
        Reply::status(status)
            .header("content-type", "application/xml")
            .body(body)
    }

    /// An S3 error document, as Tigris sends it.
    pub fn s3_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::xml(
            status,
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
                 <Message>{message}</Message><RequestId>req-1</RequestId></Error>"
            ),
        )
    }

    /// A JSON body with `status`.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::status(status)
            .header("content-type", "application/json")
            .body(body)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: &str) -> Reply {
        self.body = body.as_bytes().to_vec();
        self
    }

    /// Waits this long before answering.
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// The server; stops when dropped.
pub struct MockTigris {
    endpoint: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for MockTigris {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl MockTigris {
    /// Starts a server that answers every request with `handler`.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> MockTigris {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, handler.clone(), log.clone()));
            }
        });
        MockTigris {
            endpoint,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The `METHOD /path` of every request so far.
    pub fn lines(&self) -> Vec<String> {
        self.requests().iter().map(Recorded::line).collect()
    }

    /// A Tigris client for this server (S3 and IAM both here), one attempt
    /// per request so every request is seen once.
    pub async fn tigris(&self) -> Tigris {
        let mut config = S3Config::new("unused");
        config.endpoint = Some(self.endpoint.clone());
        config.region = Some("auto".into());
        config.credentials = Credentials::new(ACCESS_KEY, SECRET_KEY);
        config.max_attempts = 1;
        Tigris::connect(&config)
            .await
            .with_iam_endpoint(self.endpoint.clone())
    }
}

/// Serves one connection: requests in turn until the client closes it.
async fn serve(mut stream: TcpStream, handler: Arc<Handler>, log: Arc<Mutex<Vec<Recorded>>>) {
    let mut buffer = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buffer).await {
            Some(request) => request,
            None => return,
        };
        log.lock().unwrap().push(request.clone());
        let reply = handler(&request);
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", reply.body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&reply.body);
        if stream.write_all(&bytes).await.is_err() {
            return;
        }
    }
}

/// Reads one request from `stream`, keeping extra bytes in `buffer`.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end + 4;
        }
        fill(stream, buffer).await?;
    };
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    parsed.parse(&buffer[..head_end]).ok()?;
    let method = parsed.method?.to_owned();
    let target = parsed.path?.to_owned();
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    buffer.drain(..head_end);
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    if get("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await
            .ok()?;
    }
    let body = if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        read_chunked(stream, buffer).await?
    } else {
        let length: usize = get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buffer.len() < length {
            fill(stream, buffer).await?;
        }
        buffer.drain(..length).collect()
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    let path = match path.strip_suffix('/') {
        Some(bucket) if !bucket.is_empty() => bucket.to_owned(),
        _ => path,
    };
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// A chunked body, trailers skipped.
async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(end) = find(buffer, b"\r\n") {
                break end;
            }
            fill(stream, buffer).await?;
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        buffer.drain(..line_end + 2);
        if size == 0 {
            // Trailers, then an empty line.
            loop {
                let end = loop {
                    if let Some(end) = find(buffer, b"\r\n") {
                        break end;
                    }
                    fill(stream, buffer).await?;
                };
                buffer.drain(..end + 2);
                if end == 0 {
                    return Some(body);
                }
            }
        }
        while buffer.len() < size + 2 {
            fill(stream, buffer).await?;
        }
        body.extend(buffer.drain(..size));
        buffer.drain(..2);
    }
}

/// Reads more bytes; `None` at end of stream.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
