//! Just enough HTTP/1.1 for LLM clients: one request read from a keep-alive connection, a
//! response with `content-length`, or a chunked `text/event-stream` of SSE events.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// Requests larger than this are refused rather than buffered: no test prompt comes near it.
const MAX_BODY: usize = 64 << 20;

/// One parsed request.
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    /// Header names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Whether the client wants the connection closed after this exchange.
    pub fn wants_close(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

/// The first header called `name` (case-insensitive).
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn bad(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

/// Reads one request; `Ok(None)` when the client closed the connection between requests.
pub(crate) fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut words = line.split_whitespace();
    let (Some(method), Some(path)) = (words.next(), words.next()) else {
        return Err(bad(format!("malformed request line {line:?}")));
    };
    let (method, path) = (method.to_string(), path.to_string());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(bad("connection closed inside the request headers"));
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            return Err(bad(format!("malformed header line {trimmed:?}")));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    if header(&headers, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        // curl waits a second for this before sending a body over 1 KiB.
        let mut out = reader.get_ref();
        out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        out.flush()?;
    }
    let chunked = header(&headers, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(reader)?
    } else {
        let len = match header(&headers, "content-length") {
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| bad(format!("bad content-length {v:?}")))?,
            None => 0,
        };
        if len > MAX_BODY {
            return Err(bad(format!(
                "request body of {len} bytes is over the limit"
            )));
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        body
    };
    Ok(Some(Request {
        method,
        path,
        headers,
        body,
    }))
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| bad(format!("bad chunk size line {line:?}")))?;
        if body.len() + size > MAX_BODY {
            return Err(bad("chunked request body is over the limit"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        // The CRLF after the chunk data, or the trailer section after the last chunk.
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                break;
            }
            if size != 0 {
                return Err(bad("chunk data longer than its size"));
            }
        }
        if size == 0 {
            return Ok(body);
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        529 => "Overloaded",
        _ => "Status",
    }
}

fn head(status: u16, headers: &[(String, String)]) -> String {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out
}

/// Writes a whole response. `declared_len` above `body.len()` announces bytes that never
/// come, which is how a non-streaming reply is cut off.
pub(crate) fn write_full(
    out: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    declared_len: usize,
) -> io::Result<()> {
    let mut text = head(status, headers);
    text.push_str(&format!("content-length: {declared_len}\r\n\r\n"));
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(body);
    out.write_all(&bytes)?;
    out.flush()
}

/// Starts a chunked response; send the body with [`write_chunk`] and [`end_chunks`].
pub(crate) fn start_chunked(
    out: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
) -> io::Result<()> {
    let mut text = head(status, headers);
    text.push_str("transfer-encoding: chunked\r\n\r\n");
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Sends one chunk, flushed so the client sees each SSE event as it would from a provider.
pub(crate) fn write_chunk(out: &mut TcpStream, data: &[u8]) -> io::Result<()> {
    if data.is_empty() {
        return Ok(());
    }
    let mut bytes = format!("{:x}\r\n", data.len()).into_bytes();
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(b"\r\n");
    out.write_all(&bytes)?;
    out.flush()
}

/// Ends a chunked body.
pub(crate) fn end_chunks(out: &mut TcpStream) -> io::Result<()> {
    out.write_all(b"0\r\n\r\n")?;
    out.flush()
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    /// The `event:` line; OpenAI chat streams have none.
    pub name: Option<String>,
    /// The `data:` payload, one line.
    pub data: String,
}

impl Event {
    /// An event whose name is its JSON `type`, as Anthropic and the Responses API send.
    pub fn typed(data: serde_json::Value) -> Event {
        let name = data["type"].as_str().map(str::to_string);
        Event {
            name,
            data: data.to_string(),
        }
    }

    /// A bare `data:` event, as OpenAI chat completions send.
    pub fn data(data: impl Into<String>) -> Event {
        Event {
            name: None,
            data: data.into(),
        }
    }

    /// The event in SSE wire form, blank line included.
    pub fn encode(&self) -> String {
        match &self.name {
            Some(name) => format!("event: {name}\ndata: {}\n\n", self.data),
            None => format!("data: {}\n\n", self.data),
        }
    }
}
