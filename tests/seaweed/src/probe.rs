//! Readiness: weed answers S3 with signature checks on, and its volume
//! server is registered with its master.
//!
//! Answering S3 is not enough. On a restart the volume server's first
//! heartbeat may reach the master before the master has become leader
//! again ("raft.Server: Not current leader"); the next try comes seconds
//! later, and until then reads of existing objects fail with 500 ("volume 1
//! not found") and writes wait (seen with 4.48 under load, up to 19 s). So
//! the master must also list the volume server with every volume that is on
//! disk.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

/// Timeout of each connect, read and write of a probe.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The HTTP status of an anonymous `GET /` (ListBuckets) on 127.0.0.1:`port`.
///
/// With identities configured SeaweedFS answers 403: that answer means the
/// S3 gateway is up *and* checks signatures. Connection errors (nothing
/// listening yet) and malformed answers come back as `Err`.
pub(crate) fn anonymous_list_status(port: u16) -> std::io::Result<u16> {
    get(port, "/").map(|(status, _)| status)
}

/// How many volumes the master on `master_port` lists for the volume server
/// on `volume_port`; `None` while that server is not registered.
pub(crate) fn volumes_reported(master_port: u16, volume_port: u16) -> std::io::Result<Option<u64>> {
    let (status, body) = get(master_port, "/dir/status")?;
    if status != 200 {
        return Err(invalid(format!("/dir/status answered {status}")));
    }
    Ok(volumes_of_node(
        &String::from_utf8_lossy(&body),
        &format!("127.0.0.1:{volume_port}"),
    ))
}

/// The number of volume files (`*.dat`) in a data directory: the volumes
/// the master must know about before reads can find them.
pub(crate) fn volumes_on_disk(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "dat"))
        .count() as u64
}

/// The `Volumes` count of the data node whose `Url` is `url` in the
/// master's `/dir/status` JSON. A string search, not a JSON parser: the
/// crate stays std-only, and the field order (`Url`, `PublicUrl`,
/// `Volumes`) is that of weed's topology struct.
fn volumes_of_node(status_json: &str, url: &str) -> Option<u64> {
    let node = status_json.find(&format!("\"Url\":\"{url}\""))?;
    let rest = &status_json[node..];
    let field = rest.find("\"Volumes\":")? + "\"Volumes\":".len();
    let digits: String = rest[field..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Sends `GET path` to 127.0.0.1:`port`; returns the status and the body.
fn get(port: u16, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let status = parse_status(&response).ok_or_else(|| {
        let start = String::from_utf8_lossy(&response[..response.len().min(64)]).into_owned();
        invalid(format!("not an HTTP status line: {start:?}"))
    })?;
    let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok((status, Vec::new()));
    };
    let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
    let body = &response[end + 4..];
    if head.contains("\r\ntransfer-encoding: chunked") {
        let body = dechunk(body).ok_or_else(|| invalid(format!("bad chunked body from {path}")))?;
        return Ok((status, body));
    }
    Ok((status, body.to_vec()))
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_field = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_field.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

/// The status code of an HTTP/1.x status line.
fn parse_status(head: &[u8]) -> Option<u16> {
    let line = std::str::from_utf8(head).ok()?.lines().next()?;
    let mut words = line.split(' ');
    if !words.next()?.starts_with("HTTP/1.") {
        return None;
    }
    words.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn status_lines_are_parsed() {
        assert_eq!(parse_status(b"HTTP/1.1 403 Forbidden\r\nX: y"), Some(403));
        assert_eq!(parse_status(b"HTTP/1.0 200 OK\r\n"), Some(200));
        assert_eq!(parse_status(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(parse_status(b""), None);
    }

    #[test]
    fn the_volumes_of_a_data_node_are_read_from_the_topology() {
        let json = r#"{"Topology":{"Max":31,"Free":30,"DataCenters":[{"Id":"DefaultDataCenter","Racks":[{"Id":"DefaultRack","DataNodes":[{"Url":"127.0.0.1:19440","PublicUrl":"127.0.0.1:19440","Volumes":12,"EcShards":0,"Max":31,"VolumeIds":" 1"}]}]}]}}"#;
        assert_eq!(volumes_of_node(json, "127.0.0.1:19440"), Some(12));
        assert_eq!(volumes_of_node(json, "127.0.0.1:1944"), None);
        let empty = r#"{"Topology":{"Max":0,"Free":0,"DataCenters":null,"Layouts":null}}"#;
        assert_eq!(volumes_of_node(empty, "127.0.0.1:19440"), None);
    }

    #[test]
    fn volume_files_are_counted() {
        let dir = std::env::temp_dir().join(format!(
            "wasm-agent-seaweed-probe-test-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(dir.join("sub.dat")).unwrap();
        for name in ["b_1.dat", "b_1.idx", "3.dat", "notes.txt"] {
            std::fs::write(dir.join(name), b"").unwrap();
        }
        // The directory named like a volume file does not count.
        assert_eq!(volumes_on_disk(&dir), 2);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(volumes_on_disk(&dir), 0);
    }

    #[test]
    fn a_closed_port_is_an_error() {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        assert!(anonymous_list_status(port).is_err());
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        assert_eq!(dechunk(b"5\r\nab"), None);
    }

    #[test]
    fn the_status_of_a_server_is_read() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            // Other tests of this binary probe ports on 127.0.0.1 and may
            // connect here first: answer only the request under test, read
            // to the end of its head (one read may return part of it).
            loop {
                let (mut conn, _) = listener.accept().unwrap();
                let mut request = Vec::new();
                let mut buf = [0u8; 256];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                if request.starts_with(b"GET / HTTP/1.1\r\n") {
                    conn.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                        .unwrap();
                    return;
                }
            }
        });
        assert_eq!(anonymous_list_status(port).unwrap(), 403);
        server.join().unwrap();
    }
}
