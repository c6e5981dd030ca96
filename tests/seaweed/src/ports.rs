//! The TCP ports of one `weed mini`, all chosen free on 127.0.0.1.
//!
//! Every component of `weed mini` listens on an HTTP port and on a gRPC port,
//! and several of them have fixed defaults (admin 23646, S3 8333, ...), so
//! two servers started with defaults collide. Each server here gets its own
//! ports, picked at random and checked by binding them.
//!
//! Two choices avoid the usual races of "find a free port, close it, hand it
//! to another process":
//! - ports come from 10000..32767, below Linux's ephemeral range
//!   (32768..60999): the kernel never hands them out for `bind(0)` or for the
//!   local end of an outgoing connection, so nothing grabs them between the
//!   check and weed's own bind unless it, too, picks ports at random;
//! - each gRPC port is its HTTP port + 10000, weed's own convention. The
//!   admin server's maintenance worker dials the admin gRPC port at exactly
//!   that offset whatever `-admin.port.grpc` says (seen with 4.48: it
//!   retries and fills the log with "connection refused" otherwise).

use std::net::{Ipv4Addr, TcpListener};

use crate::random;

/// Lowest HTTP port tried; its gRPC twin is 10000 higher.
const FIRST: u16 = 10_000;
/// Number of HTTP ports tried from; the highest gRPC port is then 32766.
const SPAN: u16 = 12_767;
/// The gRPC port of a component is its HTTP port plus this.
const GRPC_OFFSET: u16 = 10_000;
/// Candidates drawn before giving up: only a machine with thousands of
/// listeners in the range fails this.
const ATTEMPTS: usize = 1_000;

/// The HTTP ports of the five components `weed mini` runs; see
/// [`Ports::grpc`] for their gRPC twins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ports {
    pub(crate) master: u16,
    pub(crate) volume: u16,
    pub(crate) filer: u16,
    pub(crate) s3: u16,
    pub(crate) admin: u16,
}

impl Ports {
    /// Picks five HTTP ports whose gRPC twins are free as well.
    pub(crate) fn pick() -> Result<Ports, String> {
        let mut chosen: Vec<u16> = Vec::with_capacity(5);
        for _ in 0..ATTEMPTS {
            if chosen.len() == 5 {
                break;
            }
            let port = FIRST + (random::next_u64() % u64::from(SPAN)) as u16;
            let taken = chosen
                .iter()
                .any(|&c| c == port || c + GRPC_OFFSET == port || c == port + GRPC_OFFSET);
            if !taken && is_free(port) && is_free(Ports::grpc(port)) {
                chosen.push(port);
            }
        }
        match chosen[..] {
            [master, volume, filer, s3, admin] => Ok(Ports {
                master,
                volume,
                filer,
                s3,
                admin,
            }),
            _ => Err(format!(
                "found only {} of the 5 free port pairs needed in 127.0.0.1:{FIRST}..{} \
                 after {ATTEMPTS} tries; free some ports or stop other servers",
                chosen.len(),
                FIRST + SPAN + GRPC_OFFSET
            )),
        }
    }

    /// The gRPC port that goes with the HTTP port `http`.
    pub(crate) fn grpc(http: u16) -> u16 {
        http + GRPC_OFFSET
    }

    /// Every port the server listens on, HTTP and gRPC.
    pub(crate) fn all(&self) -> Vec<u16> {
        let http = [self.master, self.volume, self.filer, self.s3, self.admin];
        http.iter()
            .copied()
            .chain(http.iter().map(|&p| Ports::grpc(p)))
            .collect()
    }

    /// The `weed mini` flags that put every component on these ports.
    pub(crate) fn flags(&self) -> Vec<String> {
        let named = [
            ("master", self.master),
            ("volume", self.volume),
            ("filer", self.filer),
            ("s3", self.s3),
            ("admin", self.admin),
        ];
        named
            .iter()
            .flat_map(|&(name, port)| {
                [
                    format!("-{name}.port={port}"),
                    format!("-{name}.port.grpc={}", Ports::grpc(port)),
                ]
            })
            .collect()
    }
}

/// Whether nothing listens on 127.0.0.1:`port` right now.
fn is_free(port: u16) -> bool {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picked_ports_are_distinct_free_and_below_the_ephemeral_range() {
        let ports = Ports::pick().unwrap();
        let all = ports.all();
        let distinct: std::collections::HashSet<u16> = all.iter().copied().collect();
        assert_eq!(distinct.len(), 10, "{ports:?}");
        for port in all {
            assert!((FIRST..32_768).contains(&port), "{port}");
            assert!(is_free(port), "{port} is taken");
        }
    }

    #[test]
    fn a_port_in_use_is_not_free() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        assert!(!is_free(listener.local_addr().unwrap().port()));
    }

    #[test]
    fn flags_name_every_port() {
        let ports = Ports {
            master: 10001,
            volume: 10002,
            filer: 10003,
            s3: 10004,
            admin: 10005,
        };
        let flags = ports.flags();
        assert!(flags.contains(&"-s3.port=10004".to_string()));
        assert!(flags.contains(&"-admin.port.grpc=20005".to_string()));
        assert_eq!(flags.len(), 10);
    }
}
