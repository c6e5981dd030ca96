//! `wasm-agent diff FORK` and `wasm-agent merge FORK`.
//!
//! A location holding a portable fork's manifest is diffed and merged by
//! the portable layer on any server. Without one, `merge` on Tigris is a
//! native bucket merge into the fork's parent; Tigris offers no diff.

use clap::{Args, ValueEnum};
use wasm_agent::s3::S3Fs;
use wasm_agent::vfs::{Errno, OnConflict};
use wasm_agent::Result;

use super::{connect, count, failed, invalid, tigris_failed, whole_bucket};
use crate::progress::Progress;
use crate::s3_args::{Backend, S3Args};

/// Arguments of `wasm-agent diff`.
#[derive(Args)]
#[command(after_help = "\
Output: one line per changed file, `A` added, `M` modified, `D` deleted:
  A /notes/new.md
  M /src/main.rs
  D /old.txt

Example:
  wasm-agent diff s3://project/agent-1 --endpoint http://127.0.0.1:8333")]
pub struct DiffArgs {
    /// The fork: a location made by `wasm-agent fork` (portable).
    #[arg(value_name = "FORK")]
    fork: String,
    #[command(flatten)]
    s3: S3Args,
}

/// Arguments of `wasm-agent merge`.
#[derive(Args)]
#[command(after_help = "\
Output (portable): the changes applied (`A`, `M`, `D` lines), then one
`C /path (reason)` line per conflict: a path the base changed too since the
fork changed it. Exit status 1 when conflicts were left unmerged.

Examples:
  wasm-agent merge s3://project/agent-1 --endpoint http://127.0.0.1:8333
  wasm-agent merge s3://project/agent-1 --on-conflict take-fork

  # Tigris: a native merge of a bucket fork into its parent.
  wasm-agent merge s3://project-agent-1 --into s3://project")]
pub struct MergeArgs {
    /// The fork to merge into its base.
    #[arg(value_name = "FORK")]
    fork: String,
    /// What to do with a path changed in both (portable forks; default
    /// keep-base).
    #[arg(long, value_enum, value_name = "POLICY")]
    on_conflict: Option<Policy>,
    /// Tigris: the parent bucket (default: the bucket the fork was made
    /// from, as Tigris reports it).
    #[arg(long, value_name = "s3://BUCKET")]
    into: Option<String>,
    #[command(flatten)]
    s3: S3Args,
}

/// `--on-conflict`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Policy {
    /// Leave the path as the base has it, merge the rest, exit 1.
    KeepBase,
    /// Write the fork's version over the base's.
    TakeFork,
    /// Merge nothing at all if any path conflicts, exit 1.
    Fail,
}

/// Prints a fork's changes.
pub async fn diff(args: DiffArgs) -> Result<i32> {
    let fork = open_fork(&args.fork, &args.s3, "diff").await?;
    let changes = fork
        .changes()
        .await
        .map_err(|err| failed(format!("cannot diff {}", fork.config().url()), err))?;
    print!("{changes}");
    Ok(0)
}

/// Merges a fork into its base.
pub async fn merge(args: MergeArgs) -> Result<i32> {
    let config = args.s3.config(&args.fork)?;
    let url = config.url();
    let fork = connect(config.clone()).await?;
    let Some(base) = fork.base() else {
        if args.s3.backend() == Backend::Tigris {
            return merge_native(&args, &whole_bucket(&config, "merge")?).await;
        }
        return Err(not_a_fork(&url));
    };
    let base_url = base.config().url();
    if let Some(into) = &args.into {
        let into = args.s3.config(into)?.url();
        if into != base_url {
            return Err(invalid(format!(
                "--into {into}: {url} is a portable fork of {base_url} and merges only into it"
            )));
        }
    }
    let policy = args.on_conflict.unwrap_or(Policy::KeepBase);
    let on_conflict = match policy {
        Policy::KeepBase => OnConflict::KeepOurs,
        Policy::TakeFork => OnConflict::TakeTheirs,
        Policy::Fail => OnConflict::Fail,
    };
    let spinner = Progress::spinner("merging");
    let result = fork.merge_into_base(on_conflict).await;
    drop(spinner);
    let merged = match result {
        Ok(merged) => merged,
        // With `fail`, conflicts come back as this error, nothing written.
        Err(err) if policy == Policy::Fail && err.errno() == Errno::Exist => {
            eprintln!("wasm-agent: {err}");
            return Ok(1);
        }
        Err(err) => return Err(failed(format!("cannot merge {url} into {base_url}"), err)),
    };
    print!("{}", merged.applied);
    for conflict in &merged.conflicts {
        println!("C {} ({})", conflict.path, conflict.reason);
    }
    eprintln!(
        "merged {} of {url} into {base_url}",
        count(merged.applied.len(), "change")
    );
    if merged.conflicts.is_empty() {
        return Ok(0);
    }
    if policy == Policy::TakeFork {
        eprintln!(
            "{} resolved with the fork's version",
            count(merged.conflicts.len(), "conflict")
        );
        return Ok(0);
    }
    let (n, them) = match merged.conflicts.len() {
        1 => ("1 conflict".to_owned(), "it"),
        n => (format!("{n} conflicts"), "them"),
    };
    eprintln!(
        "{n} left as the base has {them} (--on-conflict take-fork writes the fork's version)"
    );
    Ok(1)
}

/// A Tigris bucket merge of `fork` into `--into` or its source.
async fn merge_native(args: &MergeArgs, fork: &str) -> Result<i32> {
    if args.on_conflict.is_some() {
        return Err(invalid(format!(
            "--on-conflict: s3://{fork} is a Tigris fork, and Tigris settles conflicting \
             objects by its own rule; drop --on-conflict"
        )));
    }
    let tigris = args.s3.tigris_client("merge").await?;
    let parent = match &args.into {
        Some(into) => whole_bucket(&args.s3.config(into)?, "merge")?,
        None => tigris
            .bucket_info(fork)
            .await
            .map_err(tigris_failed)?
            .fork_source
            .ok_or_else(|| {
                invalid(format!(
                    "s3://{fork} is not a fork (Tigris names no source bucket for it); \
                     give --into s3://PARENT"
                ))
            })?,
    };
    let version = tigris.merge(fork, &parent).await.map_err(tigris_failed)?;
    let at = match version {
        Some(version) => format!(" (merge snapshot {version})"),
        None => String::new(),
    };
    println!("merged s3://{fork} into s3://{parent}{at}");
    Ok(0)
}

/// Opens `url`, which must be a portable fork.
async fn open_fork(url: &str, s3: &S3Args, command: &str) -> Result<S3Fs> {
    let config = s3.config(url)?;
    let url = config.url();
    let fork = connect(config).await?;
    if fork.base().is_some() {
        return Ok(fork);
    }
    let mut err = not_a_fork(&url).to_string();
    if s3.backend() == Backend::Tigris {
        err.push_str(&format!(
            "; Tigris has no {command} of bucket forks (a portable fork made with \
             `wasm-agent fork` works on Tigris too)"
        ));
    }
    Err(invalid(err))
}

/// The refusal of a location that holds no fork manifest.
fn not_a_fork(url: &str) -> wasm_agent::Error {
    invalid(format!(
        "{url} is not a fork: it holds no .wasm-agent-fork.json (forks are made by \
         `wasm-agent fork SRC DST`)"
    ))
}
