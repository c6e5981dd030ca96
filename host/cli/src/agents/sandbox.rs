//! Turning an agent's [`SandboxSpec`] into the harness's sandbox for one
//! run.

use std::sync::Arc;

use wasm_agent::s3::{Addressing, S3Config, S3Fs};
use wasm_agent::vfs::{HostDirFs, OverlayFs, Vfs};
use wasm_agent_harness::SandboxSource;

use super::definition::{SandboxKind, SandboxSpec};

/// The sandbox of one run; `run` names the run (forks are named after
/// it). Errors say what could not be opened and why.
pub async fn open(
    spec: &SandboxSpec,
    runtime: &wasm_agent::Runtime,
    run: &str,
) -> Result<SandboxSource, String> {
    match (&spec.kind, spec.fork) {
        (SandboxKind::Memory, _) => Ok(SandboxSource::Memory),
        (SandboxKind::HostDir(path), false) => {
            if !path.is_dir() {
                return Err(format!(
                    "the sandbox directory {} does not exist; create it or change 'sandbox'",
                    path.display()
                ));
            }
            Ok(SandboxSource::HostDir(path.clone()))
        }
        (SandboxKind::HostDir(path), true) => {
            // Reads come from the directory, writes stay in the run's
            // memory: the directory itself is never changed.
            let lower = HostDirFs::new(path)
                .map_err(|e| format!("cannot use {} as the sandbox: {e}", path.display()))?;
            let fs: Arc<dyn Vfs> = Arc::new(OverlayFs::new(Arc::new(lower)));
            Ok(custom(runtime, fs))
        }
        (
            SandboxKind::Bucket {
                url,
                endpoint,
                region,
                path_style,
            },
            fork,
        ) => {
            let mut config = S3Config::from_url(url)
                .map_err(|e| format!("{url}: {}", e.detail().unwrap_or("not a bucket URL")))?;
            if let Some(endpoint) = endpoint {
                config.endpoint = Some(endpoint.clone());
            }
            if let Some(region) = region {
                config.region = Some(region.clone());
            }
            if *path_style {
                config.addressing = Addressing::PathStyle;
            }
            if !fork {
                return Ok(SandboxSource::Bucket(Box::new(config)));
            }
            let bucket = config.bucket.clone();
            let prefix = format!("{}-forks/{run}", config.prefix.trim_matches('/'));
            let base = S3Fs::connect(config)
                .await
                .map_err(|e| format!("cannot open the bucket {url}: {e}"))?;
            let fork = base
                .fork_to(&bucket, &prefix)
                .await
                .map_err(|e| format!("cannot fork {url} to s3://{bucket}/{prefix}: {e}"))?;
            Ok(custom(runtime, Arc::new(fork)))
        }
    }
}

fn custom(runtime: &wasm_agent::Runtime, fs: Arc<dyn Vfs>) -> SandboxSource {
    let sandbox = wasm_agent::Sandbox::builder(runtime).fs(fs).build();
    SandboxSource::Custom(Arc::new(sandbox))
}
