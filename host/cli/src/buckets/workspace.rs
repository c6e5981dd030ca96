//! `wasm-agent workspace create | delete | forks | forks-delete`: Tigris'
//! agent workspaces (a bucket per agent with an optional TTL, snapshots
//! and a scoped key) and fork sets (one fork of a base per agent).
//!
//! A created key's secret is printed once, on stdout, labelled; it never
//! appears in an error. A partial failure prints what was made and the
//! command that removes it.

use clap::{Args, Subcommand, ValueEnum};
use std::time::Duration;
use wasm_agent::s3::tigris::{
    CreateForksError, ErrorKind as TigrisErrorKind, Fork, ForkOptions, ForkSet, Role, Tigris,
    Workspace, WorkspaceOptions,
};
use wasm_agent::{Error, ErrorKind, Result};

use super::{bucket_name, count};
use crate::progress::Progress;
use crate::s3_args::S3Args;

/// `wasm-agent workspace ...`.
#[derive(Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace bucket, with an optional TTL, snapshots and a key
    /// scoped to it (its secret is printed once).
    #[command(after_help = "\
Examples:
  wasm-agent workspace create agent-7 --snapshots --key editor
  wasm-agent workspace create scratch-7 --ttl 3")]
    Create(CreateArgs),
    /// Delete a workspace: revoke its key, then delete the bucket and
    /// everything in it.
    #[command(after_help = "\
Example:
  wasm-agent workspace delete agent-7 --key-id tid_AbCdEf")]
    Delete(DeleteArgs),
    /// Snapshot BASE once and create N forks of it at that snapshot, each
    /// with an optional scoped key; prints one line per fork.
    #[command(after_help = "\
Output: `snapshot VERSION`, then per fork `s3://BUCKET` and, with --key,
`access_key_id=ID secret_access_key=SECRET` on the same line.

Example:
  wasm-agent workspace forks agent-base 4 --prefix run-42 --key editor")]
    Forks(ForksArgs),
    /// Delete forks made by `workspace forks`: revoke the keys given, then
    /// delete each bucket.
    #[command(after_help = "\
Example:
  wasm-agent workspace forks-delete run-42-0 run-42-1 --key-id tid_A --key-id tid_B")]
    ForksDelete(ForksDeleteArgs),
}

/// `--key`: the role of a scoped key.
#[derive(Clone, Copy, ValueEnum)]
enum KeyRole {
    /// Read, write and delete objects.
    Editor,
    /// Read and list objects only.
    ReadOnly,
}

impl From<KeyRole> for Role {
    fn from(role: KeyRole) -> Role {
        match role {
            KeyRole::Editor => Role::Editor,
            KeyRole::ReadOnly => Role::ReadOnly,
        }
    }
}

/// Arguments of `workspace create`.
#[derive(Args)]
pub struct CreateArgs {
    /// The workspace's bucket name (NAME or s3://NAME).
    #[arg(value_name = "NAME")]
    name: String,
    /// Objects expire this many days after they were last written (not
    /// with --snapshots: Tigris refuses a TTL on snapshot-enabled buckets).
    #[arg(long, value_name = "DAYS")]
    ttl: Option<u32>,
    /// Enable snapshots, for checkpoints and forks.
    #[arg(long)]
    snapshots: bool,
    /// Also create an access key that may use only this bucket.
    #[arg(long, value_enum, value_name = "ROLE")]
    key: Option<KeyRole>,
    #[command(flatten)]
    s3: S3Args,
}

/// Arguments of `workspace delete`.
#[derive(Args)]
pub struct DeleteArgs {
    /// The workspace's bucket name (NAME or s3://NAME).
    #[arg(value_name = "NAME")]
    name: String,
    /// The id of the workspace's key, revoked before the bucket is deleted.
    #[arg(long, value_name = "ID")]
    key_id: Option<String>,
    #[command(flatten)]
    s3: S3Args,
}

/// Arguments of `workspace forks`.
#[derive(Args)]
pub struct ForksArgs {
    /// The snapshot-enabled bucket to fork (NAME or s3://NAME).
    #[arg(value_name = "BASE")]
    base: String,
    /// How many forks.
    #[arg(value_name = "N")]
    count: usize,
    /// Fork i is named PREFIX-i (default: BASE-fork-<unix time>).
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<String>,
    /// Also create one key per fork, usable on that fork only.
    #[arg(long, value_enum, value_name = "ROLE")]
    key: Option<KeyRole>,
    #[command(flatten)]
    s3: S3Args,
}

/// Arguments of `workspace forks-delete`.
#[derive(Args)]
pub struct ForksDeleteArgs {
    /// The forks' bucket names (NAME or s3://NAME).
    #[arg(value_name = "FORK", required = true)]
    forks: Vec<String>,
    /// A fork key to revoke first; may be repeated.
    #[arg(long = "key-id", value_name = "ID")]
    key_ids: Vec<String>,
    #[command(flatten)]
    s3: S3Args,
}

/// Runs a workspace command.
pub async fn run(command: WorkspaceCommand) -> Result<i32> {
    match command {
        WorkspaceCommand::Create(args) => create(args).await,
        WorkspaceCommand::Delete(args) => delete(args).await,
        WorkspaceCommand::Forks(args) => forks(args).await,
        WorkspaceCommand::ForksDelete(args) => forks_delete(args).await,
    }
}

async fn create(args: CreateArgs) -> Result<i32> {
    let tigris = args.s3.tigris_client("workspace create").await?;
    let name = bucket_name(&args.name, &args.s3, "workspace create")?;
    let options = WorkspaceOptions {
        ttl: args
            .ttl
            .map(|days| Duration::from_secs(u64::from(days) * 24 * 60 * 60)),
        snapshots: args.snapshots,
        credentials: args.key.map(Role::from),
    };
    let workspace = tigris
        .create_workspace(&name, options)
        .await
        .map_err(|err| {
            let mut message = err.error.to_string();
            if let Some(made) = &err.created {
                message.push_str(&format!(
                    "\nbucket '{}' was created and is still there; remove it with \
                     `wasm-agent workspace delete {}`",
                    made.bucket, made.bucket
                ));
            }
            Error::new(ErrorKind::Io, message)
        })?;
    print_workspace(&workspace);
    Ok(0)
}

/// The workspace, its settings and its key, one labelled line each.
fn print_workspace(workspace: &Workspace) {
    println!("workspace: s3://{}", workspace.bucket);
    let snapshots = if workspace.snapshots {
        "enabled"
    } else {
        "disabled"
    };
    println!("snapshots: {snapshots}");
    if let Some(days) = workspace.ttl_days {
        println!("ttl: {}", count(days as usize, "day"));
    }
    if let Some(key) = &workspace.credentials {
        println!("access key id: {}", key.id);
        println!("secret access key: {}", key.secret());
        eprintln!("the secret is shown only this once: store it now");
    }
}

async fn delete(args: DeleteArgs) -> Result<i32> {
    let tigris = args.s3.tigris_client("workspace delete").await?;
    let name = bucket_name(&args.name, &args.s3, "workspace delete")?;
    let mut left = Vec::new();
    revoke(&tigris, args.key_id.iter(), &mut left).await;
    let workspace = Workspace {
        bucket: name.clone(),
        credentials: None,
        snapshots: false,
        ttl_days: None,
    };
    if let Err(err) = tigris.teardown_workspace(&workspace).await {
        left.extend(
            err.failures
                .iter()
                .map(|(what, why)| format!("{what}: {why}")),
        );
    }
    finish_teardown(left, &[name])
}

async fn forks(args: ForksArgs) -> Result<i32> {
    let tigris = args.s3.tigris_client("workspace forks").await?;
    let base = bucket_name(&args.base, &args.s3, "workspace forks")?;
    let options = ForkOptions {
        prefix: args.prefix.clone(),
        credentials: args.key.map(Role::from),
    };
    let spinner = Progress::spinner(&format!("creating {} of {base}", count(args.count, "fork")));
    let result = tigris.create_forks(&base, args.count, options).await;
    drop(spinner);
    match result {
        Ok(set) => {
            print_forks(&set);
            Ok(0)
        }
        Err(err) => Err(forks_failed(err)),
    }
}

/// The fork set: its snapshot, then one line per fork.
fn print_forks(set: &ForkSet) {
    println!("snapshot {}", set.snapshot);
    let mut keys = false;
    for fork in &set.forks {
        match &fork.credentials {
            Some(key) => {
                keys = true;
                println!(
                    "s3://{} access_key_id={} secret_access_key={}",
                    fork.bucket,
                    key.id,
                    key.secret()
                );
            }
            None => println!("s3://{}", fork.bucket),
        }
    }
    if keys {
        eprintln!("the secrets are shown only this once: store them now");
    }
}

/// A fork set that failed part-way: what was made goes to stdout (keys
/// included, whose secrets exist nowhere else), the failure and the
/// command that removes what was made to the error.
fn forks_failed(err: CreateForksError) -> Error {
    let mut message = String::new();
    match &err.created {
        None => message.push_str("no forks were created:"),
        Some(set) => {
            print_forks(set);
            message.push_str(&format!(
                "created {} of '{}' before failing:",
                count(set.forks.len(), "fork"),
                set.base
            ));
        }
    }
    for (name, error) in &err.failures {
        message.push_str(&format!("\n  {name}: {error}"));
    }
    if !err.not_attempted.is_empty() {
        message.push_str(&format!(
            "\n  not attempted: {}",
            err.not_attempted.join(", ")
        ));
    }
    if let Some(set) = err.created.as_ref().filter(|set| !set.forks.is_empty()) {
        let mut cleanup = String::from("wasm-agent workspace forks-delete");
        for fork in &set.forks {
            cleanup.push_str(&format!(" {}", fork.bucket));
        }
        for key in set.forks.iter().filter_map(|f| f.credentials.as_ref()) {
            cleanup.push_str(&format!(" --key-id {}", key.id));
        }
        message.push_str(&format!("\nremove what was created with: {cleanup}"));
    }
    Error::new(ErrorKind::Io, message)
}

async fn forks_delete(args: ForksDeleteArgs) -> Result<i32> {
    let tigris = args.s3.tigris_client("workspace forks-delete").await?;
    let mut buckets = Vec::new();
    for fork in &args.forks {
        buckets.push(bucket_name(fork, &args.s3, "workspace forks-delete")?);
    }
    let mut left = Vec::new();
    revoke(&tigris, args.key_ids.iter(), &mut left).await;
    let set = ForkSet {
        base: String::new(),
        snapshot: String::new(),
        forks: buckets
            .iter()
            .map(|bucket| Fork {
                bucket: bucket.clone(),
                credentials: None,
            })
            .collect(),
    };
    if let Err(err) = tigris.teardown_forks(&set).await {
        left.extend(
            err.failures
                .iter()
                .map(|(what, why)| format!("{what}: {why}")),
        );
    }
    finish_teardown(left, &buckets)
}

/// Revokes each key; a key already gone counts as revoked.
async fn revoke<'a>(
    tigris: &Tigris,
    ids: impl Iterator<Item = &'a String>,
    left: &mut Vec<String>,
) {
    for id in ids {
        match tigris.delete_access_key(id).await {
            Err(err) if err.kind() != TigrisErrorKind::NotFound => {
                left.push(format!("access key {id}: {err}"));
            }
            _ => eprintln!("revoked access key {id}"),
        }
    }
}

/// Reports a teardown: the buckets removed, or everything left behind.
fn finish_teardown(left: Vec<String>, buckets: &[String]) -> Result<i32> {
    if left.is_empty() {
        for bucket in buckets {
            println!("deleted s3://{bucket}");
        }
        return Ok(0);
    }
    let mut message = format!("teardown left {} behind:", count(left.len(), "resource"));
    for line in &left {
        message.push_str(&format!("\n  {line}"));
    }
    message.push_str("\nrun the command again to retry them");
    Err(Error::new(ErrorKind::Io, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_fork_set_names_its_cleanup() {
        let set = ForkSet {
            base: "base-b".into(),
            snapshot: "17".into(),
            forks: vec![Fork {
                bucket: "run-0".into(),
                credentials: None,
            }],
        };
        let err = CreateForksError {
            created: Some(set),
            failures: Vec::new(),
            not_attempted: vec!["run-2".into()],
        };
        let message = forks_failed(err).to_string();
        assert!(message.contains("created 1 fork of 'base-b'"), "{message}");
        assert!(message.contains("not attempted: run-2"), "{message}");
        assert!(
            message.ends_with("wasm-agent workspace forks-delete run-0"),
            "{message}"
        );
    }

    #[test]
    fn teardowns_list_what_is_left() {
        assert_eq!(finish_teardown(Vec::new(), &["a-b-c".into()]).unwrap(), 0);
        let err = finish_teardown(vec!["bucket 'x': gone wrong".into()], &[])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("teardown left 1 resource behind:"), "{err}");
    }
}
