//! Writing a scripted turn to the socket: whole or streamed, intact or broken on purpose.

use std::io;
use std::net::{Shutdown, TcpStream};

use crate::api::{Api, Ctx};
use crate::http;
use crate::script::{Failure, Fault, Reply};

/// Sends an error turn: the provider's status and body, plus `retry-after` when scripted.
pub(crate) fn send_failure(
    out: &mut TcpStream,
    api: Api,
    ctx: &Ctx,
    failure: &Failure,
    mut headers: Vec<(String, String)>,
) -> io::Result<bool> {
    let (status, body) = api.failure(failure, ctx);
    let retry_after = match failure {
        Failure::RateLimited { retry_after } | Failure::Raw { retry_after, .. } => *retry_after,
        _ => None,
    };
    if let Some(secs) = retry_after {
        headers.push(("retry-after".into(), secs.to_string()));
    }
    http::write_full(out, status, &headers, body.as_bytes(), body.len())?;
    Ok(true)
}

/// Sends a reply, broken as `fault` says; false when the connection was dropped on purpose.
pub(crate) fn send_reply(
    out: &mut TcpStream,
    api: Api,
    ctx: &Ctx,
    reply: &Reply,
    stream: bool,
    fault: Option<Fault>,
) -> io::Result<bool> {
    let mut headers = api.response_headers(ctx);
    if stream {
        headers.insert(
            0,
            (
                "content-type".into(),
                "text/event-stream; charset=utf-8".into(),
            ),
        );
        headers.push(("cache-control".into(), "no-cache".into()));
        send_stream(out, api, ctx, reply, &headers, fault)
    } else {
        headers.insert(0, ("content-type".into(), "application/json".into()));
        let body = api.json(reply, ctx).to_string();
        let half = &body[..floor_char_boundary(&body, body.len() / 2)];
        match fault {
            None => http::write_full(out, 200, &headers, body.as_bytes(), body.len())?,
            Some(Fault::Truncated) => {
                http::write_full(out, 200, &headers, half.as_bytes(), half.len())?
            }
            // Every JSON body ends in `}`; without it the body is valid HTTP, invalid JSON.
            Some(Fault::InvalidJson) => {
                let cut = &body[..body.len() - 1];
                http::write_full(out, 200, &headers, cut.as_bytes(), cut.len())?
            }
            Some(Fault::ErrorEvent) => {
                let (status, body) = api.failure(&Failure::Server, ctx);
                http::write_full(out, status, &headers, body.as_bytes(), body.len())?
            }
            Some(Fault::Disconnected) => {
                http::write_full(out, 200, &headers, half.as_bytes(), body.len())?;
                let _ = out.shutdown(Shutdown::Both);
                return Ok(false);
            }
        }
        Ok(true)
    }
}

fn send_stream(
    out: &mut TcpStream,
    api: Api,
    ctx: &Ctx,
    reply: &Reply,
    headers: &[(String, String)],
    fault: Option<Fault>,
) -> io::Result<bool> {
    let mut events = api.stream(reply, ctx);
    let middle = events.len() / 2;
    match fault {
        None => {}
        Some(Fault::Truncated | Fault::Disconnected) => events.truncate(middle),
        Some(Fault::ErrorEvent) => {
            events.truncate(middle);
            events.extend(api.error_events(ctx, middle));
        }
        Some(Fault::InvalidJson) => {
            let data = &mut events[middle].data;
            data.truncate(floor_char_boundary(data, data.len() / 2));
        }
    }
    http::start_chunked(out, 200, headers)?;
    for event in &events {
        http::write_chunk(out, event.encode().as_bytes())?;
    }
    if fault == Some(Fault::Disconnected) {
        let _ = out.shutdown(Shutdown::Both);
        return Ok(false);
    }
    http::end_chunks(out)?;
    Ok(true)
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}
