//! The bucket commands: `fork`, `snapshot`, `checkpoint`, `restore`,
//! `diff`, `merge` and `workspace`.
//!
//! Each works on one of two backends (see [`S3Args::backend`]):
//!
//! | Command | Tigris | Portable (any S3 server) |
//! |---|---|---|
//! | `fork` | native bucket fork (`--at` a snapshot) | `S3Fs::fork_to`: a manifest, reads go through to the base |
//! | `snapshot` | native snapshot → version | `--to`: `S3Fs::copy_to`, server-side copies |
//! | `checkpoint`, `restore` | labelled snapshot, fork at it | copies into a checkpoint store (see [`checkpoint`]) |
//! | `diff`, `merge` | native merge (`merge` only) | a portable fork's `changes()` / `merge_into_base` |
//! | `workspace` | buckets, fork sets, scoped keys | refused |
//!
//! A location holding a portable fork's manifest is a portable fork on
//! every backend (Tigris is an S3 server too), so `diff` and `merge` decide
//! by the manifest first and by the backend only without one.
//!
//! Results go to stdout (a location, a version, a change list: what a
//! script captures); notes on what was done go to stderr; progress is drawn
//! on stderr only when it is a terminal.

mod changes;
mod checkpoint;
mod fork;
mod snapshot;
mod workspace;

use clap::Subcommand;
use wasm_agent::s3::tigris::TigrisError;
use wasm_agent::s3::{S3Config, S3Fs};
use wasm_agent::vfs::VfsError;
use wasm_agent::{Error, ErrorKind, Result};

use crate::s3_args::S3Args;

/// The bucket subcommands, flattened into the CLI's command list.
#[derive(Subcommand)]
pub enum Command {
    /// Fork a bucket location: a Tigris bucket fork, or a portable
    /// copy-on-write fork that stores only what it changes.
    Fork(fork::ForkArgs),
    /// Snapshot a bucket: a Tigris snapshot version, or a portable copy
    /// (`--to`); `snapshot list` lists a Tigris bucket's snapshots.
    Snapshot(snapshot::SnapshotArgs),
    /// Checkpoint a bucket under a name; `checkpoint list` lists them.
    Checkpoint(checkpoint::CheckpointArgs),
    /// Restore a checkpoint into a new bucket (or location).
    Restore(checkpoint::RestoreArgs),
    /// List what a fork changed relative to its base: `A`dded,
    /// `M`odified and `D`eleted files.
    Diff(changes::DiffArgs),
    /// Merge a fork into its base; exit status 1 if conflicts were left.
    Merge(changes::MergeArgs),
    /// Tigris workspaces: a bucket per agent with an optional TTL, snapshots
    /// and scoped key; sets of forks, one per agent.
    #[command(
        subcommand,
        after_help = "\
Examples:
  wasm-agent workspace create agent-7 --snapshots --key editor
  wasm-agent workspace forks agent-7 4 --prefix run-42
  wasm-agent workspace forks-delete run-42-0 run-42-1 run-42-2 run-42-3
  wasm-agent workspace delete agent-7 --key-id tid_AbCdEf"
    )]
    Workspace(workspace::WorkspaceCommand),
}

/// Runs a bucket command; its exit status.
pub async fn run(command: Command) -> Result<i32> {
    match command {
        Command::Fork(args) => fork::run(args).await,
        Command::Snapshot(args) => snapshot::run(args).await,
        Command::Checkpoint(args) => checkpoint::run(args).await,
        Command::Restore(args) => checkpoint::restore(args).await,
        Command::Diff(args) => changes::diff(args).await,
        Command::Merge(args) => changes::merge(args).await,
        Command::Workspace(command) => workspace::run(command).await,
    }
}

/// Connects to `config`'s location (a fork is mounted over its base).
async fn connect(config: S3Config) -> Result<S3Fs> {
    let url = config.url();
    S3Fs::connect(config)
        .await
        .map_err(|err| failed(format!("cannot open {url}"), err))
}

/// `what: err`, keeping the filesystem error as the source.
fn failed(what: String, err: VfsError) -> Error {
    Error::new(ErrorKind::Filesystem, format!("{what}: {err}")).with_source(err)
}

/// A Tigris failure; its message names the operation, the bucket and
/// what to do, and never a secret.
fn tigris_failed(err: TigrisError) -> Error {
    Error::new(ErrorKind::Io, err.to_string()).with_source(err)
}

/// A refused argument.
fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

/// The bucket of `config`, which must name a whole bucket: Tigris' native
/// operations work on buckets, not prefixes.
fn whole_bucket(config: &S3Config, command: &str) -> Result<String> {
    if config.prefix.is_empty() {
        return Ok(config.bucket.clone());
    }
    Err(invalid(format!(
        "{}: Tigris' {command} works on whole buckets, not prefixes; \
         give s3://{} (or drop --tigris to use the portable {command})",
        config.url(),
        config.bucket
    )))
}

/// A bucket named as `NAME` or `s3://NAME` (workspace commands), checked
/// to be a whole bucket.
fn bucket_name(arg: &str, s3: &S3Args, command: &str) -> Result<String> {
    let url = if arg.starts_with("s3://") {
        arg.to_owned()
    } else {
        format!("s3://{arg}")
    };
    whole_bucket(&s3.config(&url)?, command)
}

/// `1 object`, `2 objects`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Prints Tigris snapshots (and checkpoints, which are snapshots) one per
/// line: version, creation time, name (`-` when unnamed).
fn print_snapshots(snapshots: &[wasm_agent::s3::tigris::Snapshot]) {
    for snapshot in snapshots {
        println!(
            "{}\t{}\t{}",
            snapshot.version,
            utc(snapshot.created),
            snapshot.name.as_deref().unwrap_or("-")
        );
    }
}

/// `SystemTime` as UTC `YYYY-MM-DDTHH:MM:SSZ` (the listing's creation
/// times), or `-` when unknown.
fn utc(time: Option<std::time::SystemTime>) -> String {
    let Some(secs) = time
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
    else {
        return "-".to_owned();
    };
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn times_print_in_utc() {
        assert_eq!(utc(None), "-");
        assert_eq!(utc(Some(UNIX_EPOCH)), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_751_631_910);
        assert_eq!(utc(Some(t)), "2025-07-04T12:25:10Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(utc(Some(leap)), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn native_operations_need_whole_buckets() {
        let s3 = S3Args::default();
        assert_eq!(bucket_name("ws-1", &s3, "fork").unwrap(), "ws-1");
        assert_eq!(bucket_name("s3://ws-1", &s3, "fork").unwrap(), "ws-1");
        let err = bucket_name("s3://ws-1/p", &s3, "fork")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("whole buckets") && err.contains("s3://ws-1"),
            "{err}"
        );
        let err = bucket_name("Bad_Name", &s3, "fork")
            .unwrap_err()
            .to_string();
        assert!(err.contains("lowercase"), "{err}");
    }
}
