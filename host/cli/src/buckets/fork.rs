//! `wasm-agent fork SRC DST`: a Tigris bucket fork, or a portable
//! copy-on-write fork (`S3Fs::fork_to`).

use clap::Args;
use wasm_agent::Result;

use super::{connect, failed, invalid, tigris_failed, whole_bucket};
use crate::s3_args::{Backend, S3Args};

/// Arguments of `wasm-agent fork`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  # Any S3 server: the fork is one manifest object; it reads through to the
  # base and stores only what it changes. DST must be empty.
  wasm-agent fork s3://project/main s3://project/agent-1 --endpoint http://127.0.0.1:8333

  # Tigris: a new bucket sharing the source's objects, now or at a snapshot.
  wasm-agent fork s3://project s3://project-agent-1 --at 1751631910169675092")]
pub struct ForkArgs {
    /// The location to fork: s3://BUCKET[/PREFIX] (a whole bucket on Tigris).
    #[arg(value_name = "SRC")]
    src: String,
    /// Where the fork goes: an empty location in an existing bucket
    /// (portable), or the new bucket's name as s3://BUCKET (Tigris).
    #[arg(value_name = "DST")]
    dst: String,
    /// Fork SRC as it was at this Tigris snapshot version (see
    /// `wasm-agent snapshot list`).
    #[arg(long, value_name = "SNAPSHOT")]
    at: Option<String>,
    #[command(flatten)]
    s3: S3Args,
}

/// Forks and prints the fork's location.
pub async fn run(args: ForkArgs) -> Result<i32> {
    let src = args.s3.config(&args.src)?;
    let dst = args.s3.config(&args.dst)?;
    match args.s3.backend() {
        Backend::Tigris => {
            let source = whole_bucket(&src, "fork")?;
            let fork = whole_bucket(&dst, "fork")?;
            let tigris = args.s3.tigris_client("fork").await?;
            tigris
                .fork(&source, &fork, args.at.as_deref())
                .await
                .map_err(tigris_failed)?;
            let at = match &args.at {
                Some(version) => format!(" at snapshot {version}"),
                None => String::new(),
            };
            eprintln!("Tigris fork of s3://{source}{at}: a new bucket sharing its objects");
            println!("s3://{fork}");
        }
        Backend::Portable => {
            if let Some(version) = &args.at {
                return Err(invalid(format!(
                    "--at {version}: forking at a snapshot needs Tigris; a portable fork \
                     reads its base as it is now. To fork a frozen state, copy it first \
                     (wasm-agent snapshot {} --to s3://BUCKET/PREFIX) and fork the copy",
                    src.url()
                )));
            }
            let (src_url, dst_url) = (src.url(), dst.url());
            let base = connect(src).await?;
            let fork = base
                .fork_to(&dst.bucket, &dst.prefix)
                .await
                .map_err(|err| failed(format!("cannot fork {src_url} to {dst_url}"), err))?;
            eprintln!(
                "portable fork of {src_url}: reads go through to it, changes stay in the fork"
            );
            println!("{}", fork.config().url());
        }
    }
    Ok(0)
}
