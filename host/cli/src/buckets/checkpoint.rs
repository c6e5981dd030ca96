//! `wasm-agent checkpoint SRC NAME`, `checkpoint list SRC` and
//! `restore SRC ID`.
//!
//! On Tigris a checkpoint is a labelled snapshot and its id the snapshot
//! version; restoring forks the bucket at it into a new bucket.
//!
//! Elsewhere a checkpoint is a copy kept in a *checkpoint store*: the
//! checkpoint `NAME` of `s3://BUCKET/PREFIX` is the location
//! `STORE/NAME`, where STORE is `--store`, by default
//! `s3://BUCKET-checkpoints/PREFIX` (a bucket of its own, so checkpoints
//! never show inside the location they copy; it must exist). Its id is its
//! name; `checkpoint list` lists the store; `restore` copies
//! `STORE/ID` into the empty location given with `--as`.

use clap::{Args, Subcommand};
use wasm_agent::s3::S3Config;
use wasm_agent::vfs::{FileType, Vfs};
use wasm_agent::Result;

use super::{connect, count, failed, invalid, print_snapshots, tigris_failed, whole_bucket};
use crate::progress::Progress;
use crate::s3_args::{Backend, S3Args};

/// Arguments of `wasm-agent checkpoint`.
#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "\
Examples:
  # Tigris (a snapshot-enabled bucket): prints the checkpoint's id.
  wasm-agent checkpoint s3://agent-ws step-1

  # Any S3 server: copies s3://project/main into s3://project-checkpoints/main/step-1.
  wasm-agent checkpoint s3://project/main step-1 --endpoint http://127.0.0.1:8333

  wasm-agent checkpoint list s3://agent-ws"
)]
pub struct CheckpointArgs {
    #[command(subcommand)]
    list: Option<CheckpointCommand>,
    /// The location to checkpoint: s3://BUCKET[/PREFIX] (a whole bucket on
    /// Tigris).
    #[arg(value_name = "SRC", required = true)]
    src: Option<String>,
    /// The checkpoint's name (letters, digits, '.', '_', '-').
    #[arg(value_name = "NAME", required = true)]
    name: Option<String>,
    #[command(flatten)]
    store: StoreArg,
    #[command(flatten)]
    s3: S3Args,
}

/// `checkpoint list`.
#[derive(Subcommand)]
enum CheckpointCommand {
    /// List checkpoints, oldest first on Tigris (id, time, name,
    /// tab-separated), by name in a portable store.
    #[command(after_help = "\
Examples:
  wasm-agent checkpoint list s3://agent-ws
  wasm-agent checkpoint list s3://project/main --endpoint http://127.0.0.1:8333")]
    List {
        /// The checkpointed location: s3://BUCKET[/PREFIX].
        #[arg(value_name = "SRC")]
        src: String,
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        s3: S3Args,
    },
}

/// Where portable checkpoints are kept.
#[derive(Args)]
struct StoreArg {
    /// Portable checkpoints: keep them under this location instead of
    /// s3://BUCKET-checkpoints/PREFIX.
    #[arg(long, value_name = "s3://BUCKET[/PREFIX]")]
    store: Option<String>,
}

/// Arguments of `wasm-agent restore`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  # Tigris: a new bucket forked at the checkpoint (default name
  # <bucket>-restore-<unix time>).
  wasm-agent restore s3://agent-ws 1751631910169675092 --as s3://agent-ws-retry

  # Any S3 server: copies the checkpoint into an empty location.
  wasm-agent restore s3://project/main step-1 --as s3://project/main-step-1 \\
      --endpoint http://127.0.0.1:8333")]
pub struct RestoreArgs {
    /// The checkpointed location: s3://BUCKET[/PREFIX].
    #[arg(value_name = "SRC")]
    src: String,
    /// The checkpoint's id, as `checkpoint` printed it.
    #[arg(value_name = "ID")]
    id: String,
    /// Where to restore: a new bucket s3://BUCKET (Tigris), or an empty
    /// location (portable, required).
    #[arg(long = "as", value_name = "s3://BUCKET[/PREFIX]")]
    new: Option<String>,
    #[command(flatten)]
    store: StoreArg,
    #[command(flatten)]
    s3: S3Args,
}

/// Checkpoints, or lists checkpoints.
pub async fn run(args: CheckpointArgs) -> Result<i32> {
    if let Some(CheckpointCommand::List { src, store, s3 }) = args.list {
        return list(&src, &store, &s3).await;
    }
    let (Some(src), Some(name)) = (args.src, args.name) else {
        return Err(invalid("checkpoint: give the location and a name".into()));
    };
    let src = args.s3.config(&src)?;
    match args.s3.backend() {
        Backend::Tigris => {
            refuse_store(&args.store)?;
            let bucket = whole_bucket(&src, "checkpoint")?;
            let tigris = args.s3.tigris_client("checkpoint").await?;
            let id = tigris
                .checkpoint(&bucket, Some(&name))
                .await
                .map_err(tigris_failed)?;
            eprintln!("Tigris checkpoint '{name}' of s3://{bucket}");
            println!("{id}");
        }
        Backend::Portable => {
            check_name(&name)?;
            let store = store_of(&src, &args.store, &args.s3)?;
            // Opening the store first turns a missing store bucket into
            // advice instead of a failed copy.
            let store_fs = open_store(&store).await?;
            if store_fs.metadata(&format!("/{name}")).await.is_ok() {
                return Err(invalid(format!(
                    "checkpoint '{name}' exists already in {}; choose another name",
                    store.url()
                )));
            }
            let target = args.s3.config(&format!("{}/{name}", store.url()))?;
            let src_url = src.url();
            let fs = connect(src).await?;
            let progress = Progress::bar("checkpoint");
            let copied = fs
                .copy_to(&target.bucket, &target.prefix, &progress.callback())
                .await
                .map_err(|err| failed(format!("cannot checkpoint {src_url} as '{name}'"), err))?;
            drop(progress);
            // An empty location copies nothing; its directory marker makes
            // the checkpoint exist all the same.
            if copied == 0 {
                store_fs.create_dir_all(&format!("/{name}")).await?;
                Vfs::flush(&store_fs).await?;
            }
            eprintln!(
                "portable checkpoint '{name}' of {src_url}: {} copied to {}",
                count(copied, "object"),
                target.url()
            );
            println!("{name}");
        }
    }
    Ok(0)
}

/// Lists the checkpoints of a location.
async fn list(src: &str, store: &StoreArg, s3: &S3Args) -> Result<i32> {
    let src = s3.config(src)?;
    match s3.backend() {
        Backend::Tigris => {
            refuse_store(store)?;
            let bucket = whole_bucket(&src, "checkpoint list")?;
            let tigris = s3.tigris_client("checkpoint list").await?;
            let checkpoints = tigris
                .list_checkpoints(&bucket)
                .await
                .map_err(tigris_failed)?;
            print_snapshots(&checkpoints);
        }
        Backend::Portable => {
            let store = store_of(&src, store, s3)?;
            let store_fs = open_store(&store).await?;
            let mut names: Vec<String> = store_fs
                .read_dir("/")
                .await
                .map_err(|err| failed(format!("cannot list {}", store.url()), err))?
                .into_iter()
                .filter(|entry| entry.file_type == FileType::Dir)
                .map(|entry| entry.name)
                .collect();
            names.sort();
            for name in names {
                println!("{name}");
            }
        }
    }
    Ok(0)
}

/// Restores a checkpoint into a new bucket or location.
pub async fn restore(args: RestoreArgs) -> Result<i32> {
    let src = args.s3.config(&args.src)?;
    let id = &args.id;
    match args.s3.backend() {
        Backend::Tigris => {
            refuse_store(&args.store)?;
            let bucket = whole_bucket(&src, "restore")?;
            let tigris = args.s3.tigris_client("restore").await?;
            let restored = match &args.new {
                Some(new) => {
                    let new = whole_bucket(&args.s3.config(new)?, "restore")?;
                    tigris.restore_as(&bucket, id, &new).await.map(|()| new)
                }
                None => tigris.restore(&bucket, id).await,
            }
            .map_err(tigris_failed)?;
            eprintln!("Tigris restore of s3://{bucket} at checkpoint {id}: a new bucket");
            println!("s3://{restored}");
        }
        Backend::Portable => {
            let Some(new) = &args.new else {
                return Err(invalid(format!(
                    "restore {} {id}: a portable restore copies the checkpoint into a new \
                     location; give --as s3://BUCKET/PREFIX (an empty location)",
                    src.url()
                )));
            };
            check_name(id)?;
            let new = args.s3.config(new)?;
            let store = store_of(&src, &args.store, &args.s3)?;
            let store_fs = open_store(&store).await?;
            let is_checkpoint = store_fs
                .metadata(&format!("/{id}"))
                .await
                .is_ok_and(|meta| meta.file_type == FileType::Dir);
            if !is_checkpoint {
                return Err(invalid(format!(
                    "{} has no checkpoint '{id}'; list them with `wasm-agent checkpoint \
                     list {}`",
                    store.url(),
                    src.url()
                )));
            }
            let checkpoint = connect(args.s3.config(&format!("{}/{id}", store.url()))?).await?;
            let progress = Progress::bar("restoring");
            let copied = checkpoint
                .copy_to(&new.bucket, &new.prefix, &progress.callback())
                .await
                .map_err(|err| failed(format!("cannot restore '{id}' to {}", new.url()), err))?;
            drop(progress);
            eprintln!(
                "portable restore of checkpoint '{id}' of {}: {} copied",
                src.url(),
                count(copied, "object")
            );
            println!("{}", new.url());
        }
    }
    Ok(0)
}

/// The portable checkpoint store of `src`.
fn store_of(src: &S3Config, store: &StoreArg, s3: &S3Args) -> Result<S3Config> {
    if let Some(url) = &store.store {
        return s3.config(url);
    }
    let mut url = format!("s3://{}-checkpoints", src.bucket);
    if !src.prefix.is_empty() {
        url = format!("{url}/{}", src.prefix);
    }
    s3.config(&url).map_err(|err| {
        invalid(format!(
            "the default checkpoint store of {} cannot be used ({err}); pass --store \
             s3://BUCKET[/PREFIX]",
            src.url()
        ))
    })
}

/// Connects to a checkpoint store, with advice when its bucket is missing.
async fn open_store(store: &S3Config) -> Result<wasm_agent::s3::S3Fs> {
    let url = store.url();
    wasm_agent::s3::S3Fs::connect(store.clone())
        .await
        .map_err(|err| {
            failed(
                format!(
                    "cannot open the checkpoint store {url} (create bucket '{}', or pass \
                     --store s3://BUCKET[/PREFIX])",
                    store.bucket
                ),
                err,
            )
        })
}

/// `--store` is for portable checkpoints only.
fn refuse_store(store: &StoreArg) -> Result<()> {
    match &store.store {
        Some(url) => Err(invalid(format!(
            "--store {url}: Tigris keeps checkpoints in the bucket itself; \
             --store is for portable checkpoints"
        ))),
        None => Ok(()),
    }
}

/// A portable checkpoint name is one path component of the store.
fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "checkpoint name '{name}': use 1 to 128 letters, digits, '.', '_' or '-', \
             not starting with '.'"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_safe_component() {
        assert!(check_name("step-1.b_2").is_ok());
        for bad in ["", ".hidden", "..", "a/b", "a b", &"x".repeat(129)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_store_is_a_sibling_bucket() {
        let s3 = S3Args::default();
        let none = StoreArg { store: None };
        let src = s3.config("s3://proj/main/x").unwrap();
        assert_eq!(
            store_of(&src, &none, &s3).unwrap().url(),
            "s3://proj-checkpoints/main/x"
        );
        let src = s3.config("s3://proj").unwrap();
        assert_eq!(
            store_of(&src, &none, &s3).unwrap().url(),
            "s3://proj-checkpoints"
        );
        let long = format!("s3://{}", "b".repeat(60));
        let err = store_of(&s3.config(&long).unwrap(), &none, &s3)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--store"), "{err}");
        let given = StoreArg {
            store: Some("s3://elsewhere/cp".into()),
        };
        assert_eq!(
            store_of(&src, &given, &s3).unwrap().url(),
            "s3://elsewhere/cp"
        );
    }
}
