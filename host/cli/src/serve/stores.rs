//! Where a server keeps sessions and run records: the project's
//! `.wasm-agent/sessions` (runs in memory only), or with
//! `--store s3://bucket/prefix` both in the bucket (`<prefix>/sessions/`,
//! `<prefix>/runs/`), so several servers continue each other's sessions
//! and read each other's runs.

use super::runs::RunStore;
use super::ServeArgs;
use crate::agents::Project;
use std::sync::Arc;
use wasm_agent::s3::S3Fs;
use wasm_agent::vfs::Vfs;
use wasm_agent::{Error, ErrorKind, Result};
use wasm_agent_harness::store::{SessionStore, VfsStore};

/// The session store (none without a project and `--store`) and the run
/// store (only with `--store`).
pub async fn open(
    args: &ServeArgs,
    project: Option<&Project>,
) -> Result<(Option<Arc<dyn SessionStore>>, Option<RunStore>)> {
    let Some(url) = &args.store else {
        if args.s3.any() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "--endpoint, --region, --path-style, --virtual-hosted and --tigris configure \
                 the --store bucket; add --store s3://BUCKET[/PREFIX]",
            ));
        }
        let sessions = match project {
            Some(project) => Some(
                project
                    .session_store()
                    .map_err(|e| Error::new(ErrorKind::Io, e))?,
            ),
            None => None,
        };
        return Ok((sessions, None));
    };
    let mut config = args.s3.config(url)?;
    // Other servers write here too: every read asks the bucket whether
    // the object changed (a cheap If-None-Match), never a stale copy.
    config.metadata_ttl = std::time::Duration::ZERO;
    let fs = S3Fs::connect(config).await.map_err(|e| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("--store {url}: cannot open the bucket: {e}"),
        )
    })?;
    let fs: Arc<dyn Vfs> = Arc::new(fs);
    let sessions: Arc<dyn SessionStore> = Arc::new(VfsStore::new(fs.clone(), "/sessions"));
    Ok((Some(sessions), Some(RunStore::new(fs, "/runs"))))
}
