//! The S3 backend against a real S3 server (SeaweedFS on 127.0.0.1,
//! installed and started by the harness), one bucket per test.

mod faults;
mod forks;
mod interop;
mod posix;
mod support;
