//! Building a sandbox filesystem from `--mount` / `--memory` flags.

use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use wasm_agent::vfs::{path::normalize, DevFs, HostDirFs, MemFs, MountFs, Vfs};
use wasm_agent::{Error, ErrorKind, Result};

/// Flags choosing what the sandbox filesystem holds.
#[derive(Args)]
pub struct SandboxArgs {
    /// Mount a host directory: HOST:GUEST, or HOST:GUEST:ro for read-only.
    /// May be repeated.
    #[arg(long = "mount", value_name = "HOST:GUEST[:ro]")]
    mounts: Vec<String>,
    /// Start from an empty in-memory filesystem instead of mounting the
    /// current directory.
    #[arg(long)]
    memory: bool,
}

struct MountSpec {
    host: PathBuf,
    guest: String,
    read_only: bool,
}

fn parse_mount(spec: &str) -> Result<MountSpec> {
    let bad = || {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("--mount {spec}: expected HOST:GUEST or HOST:GUEST:ro"),
        )
    };
    let parts: Vec<&str> = spec.split(':').collect();
    let (host, guest, read_only) = match parts.as_slice() {
        [host, guest] => (host, guest, false),
        [host, guest, "ro"] => (host, guest, true),
        [host, guest, "rw"] => (host, guest, false),
        _ => return Err(bad()),
    };
    if host.is_empty() || !guest.starts_with('/') {
        return Err(bad());
    }
    Ok(MountSpec {
        host: PathBuf::from(host),
        guest: normalize(guest)?,
        read_only,
    })
}

fn host_dir(host: &PathBuf, read_only: bool) -> Result<Arc<dyn Vfs>> {
    let fs = if read_only {
        HostDirFs::read_only(host)
    } else {
        HostDirFs::new(host)
    };
    let fs = fs.map_err(|err| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("cannot mount {}: {err}", host.display()),
        )
    })?;
    Ok(Arc::new(fs))
}

impl SandboxArgs {
    /// The filesystem and the working directory of the sandbox.
    pub async fn build(&self) -> Result<(Arc<dyn Vfs>, String)> {
        let root: Arc<dyn Vfs> = Arc::new(MemFs::new());
        let mut mount_fs = MountFs::new(root.clone());
        mount_fs.mount("/dev", DevFs::shared())?;
        let mut cwd = "/".to_string();
        if !self.memory {
            let here = std::env::current_dir().map_err(|err| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot read the current directory: {err}"),
                )
            })?;
            let guest = normalize(&here.to_string_lossy())?;
            // Mount points get real parent directories, so `cd ..` and
            // `ls /` work as on the host.
            root.create_dir_all(&guest).await?;
            mount_fs.mount(&guest, host_dir(&here, false)?)?;
            cwd = guest;
        }
        for spec in &self.mounts {
            let spec = parse_mount(spec)?;
            root.create_dir_all(&spec.guest).await?;
            mount_fs.mount(&spec.guest, host_dir(&spec.host, spec.read_only)?)?;
        }
        Ok((Arc::new(mount_fs), cwd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mount_specs() {
        let spec = parse_mount("/data:/work:ro").unwrap();
        assert_eq!(spec.guest, "/work");
        assert!(spec.read_only);
        assert!(!parse_mount("/data:/work").unwrap().read_only);
        assert!(parse_mount("/data").is_err());
        assert!(parse_mount("/data:relative").is_err());
        assert!(parse_mount("/data:/w:xx").is_err());
    }
}
