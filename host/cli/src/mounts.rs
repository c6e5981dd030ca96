//! Building a sandbox filesystem from `--mount` / `--memory` flags.

use crate::s3_args::S3Args;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use wasm_agent::s3::S3Fs;
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
    /// Mount a bucket (or a prefix of one) at GUEST (default /workspace,
    /// which becomes the working directory); `:ro` mounts it read-only.
    /// May be repeated. Keys come from the AWS environment (AWS_* vars,
    /// ~/.aws) or, for Tigris, TIGRIS_STORAGE_ACCESS_KEY_ID and
    /// TIGRIS_STORAGE_SECRET_ACCESS_KEY. Changes are saved when each
    /// command ends. Example: --s3 s3://my-bucket/project
    #[arg(long = "s3", value_name = "s3://BUCKET[/PREFIX][:GUEST[:ro]]")]
    buckets: Vec<String>,
    /// How to reach the server of the --s3 buckets.
    #[command(flatten)]
    s3: S3Args,
    /// Read --s3 buckets at this Tigris snapshot version (read-only).
    #[arg(long, value_name = "VERSION", requires = "buckets")]
    snapshot: Option<String>,
}

/// A `--s3` flag taken apart.
#[derive(Debug)]
struct BucketSpec {
    url: String,
    guest: String,
    read_only: bool,
}

fn parse_bucket(spec: &str) -> Result<BucketSpec> {
    let bad = |why: &str| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("--s3 {spec}: {why}; expected s3://BUCKET[/PREFIX][:GUEST[:ro]]"),
        )
    };
    let rest = spec
        .strip_prefix("s3://")
        .ok_or_else(|| bad("the URL does not start with s3://"))?;
    let parts: Vec<&str> = rest.split(':').collect();
    let (location, guest, read_only) = match parts.as_slice() {
        [location] => (*location, "/workspace", false),
        [location, guest] => (*location, *guest, false),
        [location, guest, "ro"] => (*location, *guest, true),
        [location, guest, "rw"] => (*location, *guest, false),
        _ => return Err(bad("too many ':'")),
    };
    if !guest.starts_with('/') {
        return Err(bad("the mount point must be an absolute path"));
    }
    Ok(BucketSpec {
        url: format!("s3://{location}"),
        guest: normalize(guest)?,
        read_only,
    })
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
        // The shared S3 flags cannot name --s3 in clap's `requires` (the
        // bucket commands have no such flag), so the check is here.
        if self.buckets.is_empty() && self.s3.any() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "--endpoint, --region, --path-style, --virtual-hosted and --tigris \
                 configure --s3 buckets; add --s3 s3://BUCKET[/PREFIX]",
            ));
        }
        let root: Arc<dyn Vfs> = Arc::new(MemFs::new());
        let mut mount_fs = MountFs::new(root.clone());
        mount_fs.mount("/dev", DevFs::shared())?;
        let mut cwd = "/".to_string();
        if !self.memory && self.buckets.is_empty() {
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
        for (index, spec) in self.buckets.iter().enumerate() {
            let spec = parse_bucket(spec)?;
            let bucket = self.connect(&spec).await?;
            root.create_dir_all(&spec.guest).await?;
            mount_fs.mount(&spec.guest, bucket)?;
            if index == 0 {
                cwd = spec.guest;
            }
        }
        Ok((Arc::new(mount_fs), cwd))
    }

    /// Connects to one `--s3` bucket with the shared endpoint flags.
    async fn connect(&self, spec: &BucketSpec) -> Result<Arc<dyn Vfs>> {
        let mut config = self.s3.config(&spec.url)?;
        config.read_only = spec.read_only;
        config.snapshot_version = self.snapshot.clone();
        let fs = S3Fs::connect(config).await.map_err(|err| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("cannot mount {}: {err}", spec.url),
            )
        })?;
        Ok(Arc::new(fs))
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

    #[test]
    fn parses_bucket_specs() {
        let spec = parse_bucket("s3://b-1/p/q").unwrap();
        assert_eq!(
            (spec.url.as_str(), spec.guest.as_str()),
            ("s3://b-1/p/q", "/workspace")
        );
        assert!(!spec.read_only);
        let spec = parse_bucket("s3://b-1:/data:ro").unwrap();
        assert_eq!(
            (spec.url.as_str(), spec.guest.as_str()),
            ("s3://b-1", "/data")
        );
        assert!(spec.read_only);
        let err = parse_bucket("b-1").unwrap_err().to_string();
        assert!(err.contains("s3://"), "{err}");
        assert!(parse_bucket("s3://b:rel").is_err());
    }
}
