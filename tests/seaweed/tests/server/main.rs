//! Tests of the SeaweedFS harness against real `weed mini` processes.
//!
//! - `auth`: the shared server checks signatures and behaves like AWS where
//!   the harness configured it to (missing bucket, non-empty bucket).
//! - `lifecycle`: private servers start, stop, restart with their data, and
//!   vanish when dropped.
//! - `reaping`: weed dies with the test process, however that process ends
//!   (runs this test binary again as a helper process).
//!
//! `http` and `sigv4` are a raw S3 client: the harness must not depend on an
//! SDK, and neither do its tests.

mod auth;
mod http;
mod lifecycle;
mod reaping;
mod sigv4;

use wasm_agent_seaweed::SeaweedServer;

use http::Response;
use sigv4::Signer;

/// Sends a request signed with the server's credentials.
pub fn signed(server: &SeaweedServer, method: &str, path: &str, body: &[u8]) -> Response {
    signed_as(
        server,
        server.access_key(),
        server.secret_key(),
        method,
        path,
        body,
    )
}

/// Sends a request signed with the given credentials.
pub fn signed_as(
    server: &SeaweedServer,
    access_key: &str,
    secret_key: &str,
    method: &str,
    path: &str,
    body: &[u8],
) -> Response {
    let port = s3_port(server);
    let signer = Signer {
        access_key,
        secret_key,
        region: server.region(),
    };
    let headers = signer.sign(method, &format!("127.0.0.1:{port}"), path, "", &[], body);
    http::send(port, method, path, &headers, body)
        .unwrap_or_else(|err| panic!("{method} {path} on {}: {err}", server.endpoint()))
}

/// Sends a request without any signature.
pub fn anonymous(server: &SeaweedServer, method: &str, path: &str, body: &[u8]) -> Response {
    http::send(s3_port(server), method, path, &[], body)
        .unwrap_or_else(|err| panic!("{method} {path} on {}: {err}", server.endpoint()))
}

/// The port of the server's endpoint.
pub fn s3_port(server: &SeaweedServer) -> u16 {
    let endpoint = server.endpoint();
    let port = endpoint
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("endpoint {endpoint} is not http://127.0.0.1:PORT"));
    port.parse().unwrap()
}

/// Asserts that a response has `status`, showing the body and weed's log
/// otherwise.
#[track_caller]
pub fn assert_status(server: &SeaweedServer, response: &Response, status: u16) {
    assert_eq!(
        response.status,
        status,
        "body: {}\n{}",
        response.text(),
        server.log_tail()
    );
}

/// Whether process `pid` runs a `weed` (not a zombie, not a reused pid).
pub fn weed_runs(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the parenthesised command name.
    let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
    let zombie = state.is_some_and(|s| s.starts_with('Z') || s.starts_with('X'));
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    !zombie && String::from_utf8_lossy(&cmdline).contains("weed")
}

/// Whether something accepts connections on 127.0.0.1:`port`.
pub fn port_answers(port: u16) -> bool {
    std::net::TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, port)).is_ok()
}

/// Polls `condition` for up to `seconds`; true as soon as it holds.
pub fn eventually(seconds: u64, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if condition() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
