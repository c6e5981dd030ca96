//! A raw HTTP/1.1 client over std's TcpStream, so the tests see the exact bytes on the wire.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;

/// A response as read off the socket.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// False when the connection ended before the body did (short of content-length, or a
    /// chunked body without its last chunk).
    pub complete: bool,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        (self.headers.iter())
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("body is UTF-8")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    /// The SSE events as (event name, data) pairs.
    pub fn events(&self) -> Vec<(Option<String>, String)> {
        let text = self.text();
        let mut events = Vec::new();
        for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
            let mut name = None;
            let mut data = Vec::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event: ") {
                    name = Some(v.to_string());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data.push(v);
                } else {
                    panic!("unexpected SSE line {line:?}");
                }
            }
            events.push((name, data.join("\n")));
        }
        events
    }

    /// The data of every event parsed as JSON, `[DONE]` excluded.
    pub fn event_json(&self) -> Vec<Value> {
        (self.events().into_iter())
            .filter(|(_, d)| d != "[DONE]")
            .map(|(_, d)| serde_json::from_str(&d).unwrap_or_else(|e| panic!("{e}: {d}")))
            .collect()
    }
}

/// A keep-alive connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    pub fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Conn {
            reader: BufReader::new(stream),
        }
    }

    pub fn send(&mut self, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
        let mut req = format!(
            "POST {path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
             content-length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        self.reader.get_mut().write_all(req.as_bytes()).unwrap();
        self.read_response()
    }

    fn line(&mut self) -> Option<String> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
        }
    }

    fn read_response(&mut self) -> Response {
        let status_line = self.line().expect("a status line");
        let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let line = self.line().expect("header line");
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
            complete: true,
        };
        if response.header("transfer-encoding") == Some("chunked") {
            loop {
                let Some(size) = self.line() else {
                    response.complete = false;
                    break;
                };
                let size = usize::from_str_radix(&size, 16).unwrap();
                let mut chunk = vec![0; size + 2];
                if self.reader.read_exact(&mut chunk).is_err() {
                    response.complete = false;
                    break;
                }
                assert!(chunk.ends_with(b"\r\n"));
                if size == 0 {
                    break;
                }
                response.body.extend_from_slice(&chunk[..size]);
            }
        } else {
            let len: usize = response.header("content-length").unwrap().parse().unwrap();
            let mut body = Vec::new();
            let _ = (&mut self.reader).take(len as u64).read_to_end(&mut body);
            response.complete = body.len() == len;
            response.body = body;
        }
        response
    }
}

pub const ANTHROPIC: &[(&str, &str)] = &[
    ("x-api-key", "sk-test"),
    ("anthropic-version", "2023-06-01"),
];
pub const OPENAI: &[(&str, &str)] = &[("authorization", "Bearer sk-test")];

/// One request on a fresh connection.
pub fn post(addr: SocketAddr, path: &str, headers: &[(&str, &str)], body: &Value) -> Response {
    Conn::open(addr).send(path, headers, &body.to_string())
}
