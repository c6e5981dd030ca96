//! The TCP ports of one `weed mini`, all chosen free on 127.0.0.1.
//!
//! Every component of `weed mini` listens on an HTTP port and on a gRPC port,
//! and several of them have fixed defaults (admin 23646, S3 8333, ...), so
//! two servers started with defaults collide. Each server here gets its own
//! ports. Three choices keep two servers from ever picking the same ones:
//!
//! - **Blocks claimed with a file lock.** The HTTP ports are cut into blocks
//!   of [`BLOCK`]; a server takes one block by locking its file under
//!   `$TMPDIR/wasm-agent-seaweed-ports/` and keeps the lock for its lifetime,
//!   stopped or running. Two servers, in one process or in two `cargo test`
//!   runs, therefore never draw from the same block, even while the first
//!   one has picked its ports but weed has not bound them yet (weed binds
//!   them over about a second; measured clashes without this were frequent
//!   with two test runs at once). The kernel drops the lock when the process
//!   dies, so no stale claim survives.
//! - **Below the ephemeral range.** Ports come from 10000..30000, under
//!   Linux's ephemeral range (32768..60999): the kernel never hands them out
//!   for `bind(0)` or for the local end of an outgoing connection.
//! - **gRPC port = HTTP port + 10000**, weed's own convention. The admin
//!   server's maintenance worker dials the admin gRPC port at exactly that
//!   offset whatever `-admin.port.grpc` says (seen with 4.48: it retries and
//!   fills the log with "connection refused" otherwise).
//!
//! Every port is also checked by binding it, for programs that are not this
//! harness; one of those can still take a port before weed does, which the
//! server handles by starting again on other ports.

use std::fs::{File, OpenOptions};
use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;

use crate::random;

/// Lowest HTTP port; its gRPC twin is 10000 higher.
const FIRST: u16 = 10_000;
/// HTTP ports per claimed block.
const BLOCK: u16 = 50;
/// Number of blocks. HTTP ports then stay in 10000..20000 and their gRPC
/// twins in 20000..30000, so no server's gRPC port can be another server's
/// HTTP port (with more blocks the two ranges overlapped and two claimed
/// blocks could still share a port).
const BLOCKS: u16 = 200;
/// The gRPC port of a component is its HTTP port plus this.
const GRPC_OFFSET: u16 = 10_000;

/// The HTTP ports of the five components `weed mini` runs (see
/// [`Ports::grpc`] for their gRPC twins), and the claim on their block.
#[derive(Debug)]
pub(crate) struct Ports {
    pub(crate) master: u16,
    pub(crate) volume: u16,
    pub(crate) filer: u16,
    pub(crate) s3: u16,
    pub(crate) admin: u16,
    /// The locked block file; dropping it frees the block.
    _claim: File,
}

impl Ports {
    /// Claims a free block and picks five HTTP ports in it whose gRPC twins
    /// are free as well.
    pub(crate) fn pick() -> Result<Ports, String> {
        let dir = std::env::temp_dir().join("wasm-agent-seaweed-ports");
        std::fs::create_dir_all(&dir).map_err(|err| {
            format!(
                "cannot create the port-claim directory {}: {err}",
                dir.display()
            )
        })?;
        let start = (random::next_u64() % u64::from(BLOCKS)) as u16;
        for step in 0..BLOCKS {
            let block = (start + step) % BLOCKS;
            let Some(claim) = claim(dir.join(format!("block-{block}.lock")))? else {
                continue;
            };
            if let [master, volume, filer, s3, admin] = free_pairs(block)[..] {
                return Ok(Ports {
                    master,
                    volume,
                    filer,
                    s3,
                    admin,
                    _claim: claim,
                });
            }
        }
        Err(format!(
            "no free block of ports in 127.0.0.1:{FIRST}..{}: all {BLOCKS} are claimed by \
             running servers (see {}) or hold fewer than 5 free port pairs",
            FIRST + BLOCKS * BLOCK + GRPC_OFFSET,
            dir.display()
        ))
    }

    /// The gRPC port that goes with the HTTP port `http`.
    pub(crate) fn grpc(http: u16) -> u16 {
        http + GRPC_OFFSET
    }

    /// Every port the server listens on, HTTP and gRPC.
    pub(crate) fn all(&self) -> Vec<u16> {
        let http = self.http();
        http.iter()
            .copied()
            .chain(http.iter().map(|&p| Ports::grpc(p)))
            .collect()
    }

    /// The `weed mini` flags that put every component on these ports.
    pub(crate) fn flags(&self) -> Vec<String> {
        let named = ["master", "volume", "filer", "s3", "admin"];
        named
            .iter()
            .zip(self.http())
            .flat_map(|(name, port)| {
                [
                    format!("-{name}.port={port}"),
                    format!("-{name}.port.grpc={}", Ports::grpc(port)),
                ]
            })
            .collect()
    }

    fn http(&self) -> [u16; 5] {
        [self.master, self.volume, self.filer, self.s3, self.admin]
    }
}

/// The lock on `path`, or `None` if another server holds it.
fn claim(path: PathBuf) -> Result<Option<File>, String> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|err| format!("cannot open the port claim {}: {err}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(err)) => Err(format!(
            "cannot lock the port claim {}: {err}",
            path.display()
        )),
    }
}

/// Up to five HTTP ports of `block`, in random order, free along with their
/// gRPC twins.
fn free_pairs(block: u16) -> Vec<u16> {
    let first = FIRST + block * BLOCK;
    let offset = (random::next_u64() % u64::from(BLOCK)) as u16;
    (0..BLOCK)
        .map(|i| first + (offset + i) % BLOCK)
        .filter(|&port| is_free(port) && is_free(Ports::grpc(port)))
        .take(5)
        .collect()
}

/// Whether nothing listens on 127.0.0.1:`port` right now.
fn is_free(port: u16) -> bool {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn picked_ports_are_distinct_free_and_below_the_ephemeral_range() {
        let ports = Ports::pick().unwrap();
        let all = ports.all();
        let distinct: HashSet<u16> = all.iter().copied().collect();
        assert_eq!(distinct.len(), 10, "{ports:?}");
        for port in all {
            assert!((FIRST..32_768).contains(&port), "{port}");
            assert!(is_free(port), "{port} is taken");
        }
    }

    #[test]
    fn servers_alive_at_once_never_share_a_port() {
        let held: Vec<Ports> = (0..20).map(|_| Ports::pick().unwrap()).collect();
        let mut seen = HashSet::new();
        for ports in &held {
            for port in ports.all() {
                assert!(seen.insert(port), "port {port} handed out twice");
            }
        }
    }

    #[test]
    fn no_http_port_is_the_grpc_port_of_another_block() {
        let highest_http = FIRST + BLOCKS * BLOCK - 1;
        let lowest_grpc = Ports::grpc(FIRST);
        assert!(
            highest_http < lowest_grpc,
            "{highest_http} >= {lowest_grpc}"
        );
        assert!(Ports::grpc(highest_http) < 32_768);
    }

    #[test]
    fn a_claimed_block_is_not_claimed_again_until_released() {
        let dir = std::env::temp_dir().join(format!(
            "wasm-agent-seaweed-claim-test-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("block.lock");
        let first = claim(path.clone()).unwrap().expect("a fresh block is free");
        assert!(claim(path.clone()).unwrap().is_none());
        drop(first);
        assert!(claim(path).unwrap().is_some());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_port_in_use_is_not_free() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        assert!(!is_free(listener.local_addr().unwrap().port()));
    }

    #[test]
    fn flags_name_every_port() {
        let ports = Ports::pick().unwrap();
        let flags = ports.flags();
        assert!(flags.contains(&format!("-s3.port={}", ports.s3)));
        assert!(flags.contains(&format!("-admin.port.grpc={}", ports.admin + 10_000)));
        assert_eq!(flags.len(), 10);
    }
}
