//! `wasm-agent snapshot SRC` and `snapshot list SRC`.
//!
//! On Tigris a snapshot is native and named by a version. Elsewhere it is
//! a copy (`S3Fs::copy_to`, server-side copies) into a location given with
//! `--to`: there is no registry of portable snapshots, they are wherever
//! `--to` put them. `--to` makes a copy on Tigris too.

use clap::{Args, Subcommand};
use wasm_agent::s3::S3Config;
use wasm_agent::Result;

use super::{connect, count, failed, invalid, print_snapshots, tigris_failed, whole_bucket};
use crate::progress::Progress;
use crate::s3_args::{Backend, S3Args};

/// Arguments of `wasm-agent snapshot`.
#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "\
Examples:
  # Tigris: prints the snapshot's version.
  wasm-agent snapshot s3://project --name before-refactor

  # Any S3 server: a copy made by server-side copies (TO must be empty).
  wasm-agent snapshot s3://project/main --to s3://archive/main-2025-07-04 \\
      --endpoint http://127.0.0.1:8333

  wasm-agent snapshot list s3://project"
)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    list: Option<SnapshotCommand>,
    /// The location to snapshot: s3://BUCKET[/PREFIX] (a whole bucket on
    /// Tigris).
    #[arg(value_name = "SRC", required = true)]
    src: Option<String>,
    /// Label of a Tigris snapshot.
    #[arg(long, value_name = "NAME", conflicts_with = "to")]
    name: Option<String>,
    /// Make a portable snapshot: copy SRC into this empty location.
    #[arg(long, value_name = "s3://BUCKET[/PREFIX]")]
    to: Option<String>,
    #[command(flatten)]
    s3: S3Args,
}

/// `snapshot list`.
#[derive(Subcommand)]
enum SnapshotCommand {
    /// List a Tigris bucket's snapshots, oldest first: version, creation
    /// time (UTC) and label, tab-separated.
    #[command(after_help = "\
Example:
  wasm-agent snapshot list s3://project
  1751631910169675092	2025-07-04T12:25:10Z	before-refactor")]
    List {
        /// The bucket: s3://BUCKET.
        #[arg(value_name = "SRC")]
        src: String,
        #[command(flatten)]
        s3: S3Args,
    },
}

/// Takes or lists snapshots.
pub async fn run(args: SnapshotArgs) -> Result<i32> {
    if let Some(SnapshotCommand::List { src, s3 }) = args.list {
        return list(&src, &s3).await;
    }
    let Some(src) = args.src else {
        return Err(invalid("snapshot: give the location to snapshot".into()));
    };
    let src = args.s3.config(&src)?;
    if let Some(to) = &args.to {
        let to = args.s3.config(to)?;
        return copy(src, &to).await;
    }
    match args.s3.backend() {
        Backend::Tigris => {
            let bucket = whole_bucket(&src, "snapshot")?;
            let tigris = args.s3.tigris_client("snapshot").await?;
            let version = tigris
                .take_snapshot(&bucket, args.name.as_deref())
                .await
                .map_err(tigris_failed)?;
            eprintln!("Tigris snapshot of s3://{bucket}; read it with exec --s3 s3://{bucket} --snapshot {version}");
            println!("{version}");
            Ok(0)
        }
        Backend::Portable => Err(invalid(format!(
            "{}: a portable snapshot is a copy; give --to s3://BUCKET/PREFIX (an empty \
             location) to copy it there (snapshots named by a version need Tigris: --tigris)",
            src.url()
        ))),
    }
}

/// A portable snapshot: `src` copied into `to` with a progress bar.
async fn copy(src: S3Config, to: &S3Config) -> Result<i32> {
    let (src_url, to_url) = (src.url(), to.url());
    let fs = connect(src).await?;
    let progress = Progress::bar("copying");
    let copied = fs
        .copy_to(&to.bucket, &to.prefix, &progress.callback())
        .await
        .map_err(|err| failed(format!("cannot copy {src_url} to {to_url}"), err))?;
    drop(progress);
    eprintln!(
        "portable snapshot of {src_url}: {} copied",
        count(copied, "object")
    );
    if let Some(base) = fs.base() {
        eprintln!(
            "note: {src_url} is a fork, so the copy is a fork of the same base, {}: \
             files the fork did not change are read from that base as it is at the time",
            base.config().url()
        );
    }
    println!("{to_url}");
    Ok(0)
}

/// Lists a Tigris bucket's snapshots; on a portable backend, says where
/// snapshots are instead.
async fn list(src: &str, s3: &S3Args) -> Result<i32> {
    let config = s3.config(src)?;
    if s3.backend() == Backend::Portable {
        return Err(invalid(format!(
            "{}: portable snapshots are plain copies, kept wherever `snapshot --to` put \
             them, with no registry to list; mount one with `wasm-agent exec --s3 \
             s3://BUCKET/PREFIX`, or use Tigris (--tigris) for listed snapshots",
            config.url()
        )));
    }
    let bucket = whole_bucket(&config, "snapshot list")?;
    let tigris = s3.tigris_client("snapshot list").await?;
    let snapshots = tigris
        .list_snapshots(&bucket)
        .await
        .map_err(tigris_failed)?;
    print_snapshots(&snapshots);
    Ok(0)
}
