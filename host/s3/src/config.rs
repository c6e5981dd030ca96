//! Where a bucket is and how to reach it.
//!
//! [`S3Config`] names a bucket (with an optional key prefix), the endpoint,
//! region, credentials and addressing style, plus the knobs of the local
//! cache. [`S3Config::from_url`] reads the `s3://bucket/prefix` form the
//! CLI takes; [`S3Config::tigris`] fills in Tigris' endpoint and region.

use std::fmt;
use std::time::Duration;

use wasm_agent_vfs::{Errno, VfsError, VfsResult};

/// Tigris' S3 endpoint, used when `TIGRIS_STORAGE_ENDPOINT` is not set.
pub const TIGRIS_ENDPOINT: &str = "https://t3.storage.dev";

/// How requests name the bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressing {
    /// Virtual-hosted for remote endpoints (`bucket.host/key`, what AWS
    /// and Tigris want), path-style for local ones (`host/bucket/key`,
    /// what MinIO, SeaweedFS and other servers on localhost answer).
    #[default]
    Auto,
    /// Always `https://host/bucket/key`.
    PathStyle,
    /// Always `https://bucket.host/key`.
    VirtualHosted,
}

/// Where the access keys come from.
#[derive(Clone, Default)]
pub enum Credentials {
    /// The AWS chain: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, then the
    /// shared config and credentials files (`AWS_PROFILE`), then web
    /// identity, ECS and EC2 instance metadata.
    #[default]
    Environment,
    /// Keys given directly.
    Static {
        /// Access key id.
        access_key_id: String,
        /// Secret access key (never printed).
        secret_access_key: String,
        /// Session token of temporary credentials.
        session_token: Option<String>,
    },
    /// No signature at all, for public buckets.
    Anonymous,
}

impl Credentials {
    /// Keys given directly.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials::Static {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }
}

// Hand-written so a secret can never reach a log line or an error message.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Environment => f.write_str("Environment"),
            Credentials::Anonymous => f.write_str("Anonymous"),
            Credentials::Static {
                access_key_id,
                session_token,
                ..
            } => f
                .debug_struct("Static")
                .field("access_key_id", access_key_id)
                .field("secret_access_key", &"** redacted **")
                .field(
                    "session_token",
                    &session_token.as_ref().map(|_| "** redacted **"),
                )
                .finish(),
        }
    }
}

/// When changes reach the bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WritePolicy {
    /// Every change a command makes is uploaded when the command finishes
    /// (each [`Vfs::settle`](wasm_agent_vfs::Vfs::settle): the end of a
    /// sandbox `exec` or file operation), and on `fsync`. Within one
    /// command, temporary files that are renamed or removed before it ends
    /// (`sed -i`, editors) cost no request.
    #[default]
    WriteThrough,
    /// Changes stay in the local cache until [`S3Fs::flush`] is called
    /// (or `fsync`).
    ///
    /// [`S3Fs::flush`]: crate::S3Fs::flush
    WriteBack,
}

/// Everything needed to mount one bucket (or a prefix of it).
#[derive(Debug, Clone)]
pub struct S3Config {
    /// Bucket name.
    pub bucket: String,
    /// Key prefix the filesystem root maps to, without leading or trailing
    /// `/` (empty: the whole bucket).
    pub prefix: String,
    /// Endpoint URL (`None`: AWS's endpoint for the region).
    pub endpoint: Option<String>,
    /// Region (`auto` for Tigris and R2). `None`: the AWS chain's region,
    /// else `us-east-1`.
    pub region: Option<String>,
    /// Where the keys come from.
    pub credentials: Credentials,
    /// Path-style or virtual-hosted requests.
    pub addressing: Addressing,
    /// When writes are uploaded.
    pub write_policy: WritePolicy,
    /// Refuse every write with `EROFS`.
    pub read_only: bool,
    /// Read the bucket as it was at this Tigris snapshot version (implies
    /// `read_only`).
    pub snapshot_version: Option<String>,
    /// Use Tigris extensions (server-side rename) where they exist.
    /// `None`: detect from the endpoint's host name.
    pub tigris: Option<bool>,
    /// Attempts per request, the first included, for throttling, 5xx and
    /// connection errors (with exponential backoff).
    pub max_attempts: u32,
    /// First backoff delay between attempts.
    pub initial_backoff: Duration,
    /// How long a listing's view of an object (size, ETag) is trusted
    /// before a stat or a cached read asks the bucket again. New objects
    /// always appear at once: absent paths are never cached.
    pub metadata_ttl: Duration,
    /// Objects up to this size are read whole on first access and cached;
    /// larger ones are read in ranges.
    pub whole_read_limit: u64,
    /// Uploads larger than this use multipart upload.
    pub multipart_threshold: u64,
    /// Part size of multipart uploads (S3's minimum is 5 MiB).
    pub part_size: u64,
    /// Bytes of unmodified object contents kept in memory.
    pub cache_bytes: u64,
}

impl S3Config {
    /// A bucket with every other setting at its default.
    pub fn new(bucket: impl Into<String>) -> S3Config {
        S3Config {
            bucket: bucket.into(),
            prefix: String::new(),
            endpoint: None,
            region: None,
            credentials: Credentials::Environment,
            addressing: Addressing::Auto,
            write_policy: WritePolicy::WriteThrough,
            read_only: false,
            snapshot_version: None,
            tigris: None,
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            metadata_ttl: Duration::from_secs(1),
            whole_read_limit: 8 << 20,
            multipart_threshold: 16 << 20,
            part_size: 8 << 20,
            cache_bytes: 256 << 20,
        }
    }

    /// Parses `s3://bucket[/prefix]`. The prefix may be given with or
    /// without a trailing `/`.
    pub fn from_url(url: &str) -> VfsResult<S3Config> {
        let invalid = |why: &str| {
            VfsError::new(Errno::Inval, "s3", url)
                .with_detail(format!("{why}; expected s3://bucket or s3://bucket/prefix"))
        };
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| invalid("the URL does not start with s3://"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        check_bucket_name(bucket).map_err(|why| invalid(&why))?;
        let mut config = S3Config::new(bucket);
        config.prefix = prefix.trim_matches('/').to_owned();
        Ok(config)
    }

    /// Tigris settings: endpoint from `TIGRIS_STORAGE_ENDPOINT` (default
    /// [`TIGRIS_ENDPOINT`]), region `auto`, virtual-hosted addressing,
    /// Tigris extensions on, and keys from `TIGRIS_STORAGE_ACCESS_KEY_ID` /
    /// `TIGRIS_STORAGE_SECRET_ACCESS_KEY` when both are set (else the AWS
    /// chain).
    pub fn tigris(mut self) -> S3Config {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        self.endpoint = Some(env("TIGRIS_STORAGE_ENDPOINT").unwrap_or(TIGRIS_ENDPOINT.into()));
        self.region = Some("auto".into());
        self.addressing = Addressing::VirtualHosted;
        self.tigris = Some(true);
        if let (Some(id), Some(secret)) = (
            env("TIGRIS_STORAGE_ACCESS_KEY_ID"),
            env("TIGRIS_STORAGE_SECRET_ACCESS_KEY"),
        ) {
            self.credentials = Credentials::new(id, secret);
        }
        self
    }

    /// The key a normalised absolute path maps to (`/a/b` → `prefix/a/b`;
    /// the root maps to the prefix itself, possibly empty).
    pub(crate) fn key_of(&self, path: &str) -> String {
        let rel = path.trim_start_matches('/');
        match (self.prefix.is_empty(), rel.is_empty()) {
            (true, _) => rel.to_owned(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}/{rel}", self.prefix),
        }
    }

    /// Whether Tigris extensions apply: set explicitly, or the endpoint is
    /// a Tigris host.
    pub(crate) fn is_tigris(&self) -> bool {
        self.tigris.unwrap_or_else(|| {
            self.endpoint.as_deref().is_some_and(|e| {
                e.contains(".storage.dev") || e.contains(".storageapi.dev") || e.contains("tigris")
            })
        })
    }

    /// True when requests should name the bucket in the path.
    pub(crate) fn path_style(&self) -> bool {
        match self.addressing {
            Addressing::PathStyle => true,
            Addressing::VirtualHosted => false,
            Addressing::Auto => self.endpoint.as_deref().is_some_and(is_local_endpoint),
        }
    }

    /// `s3://bucket/prefix`, for messages.
    pub fn url(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}", self.bucket)
        } else {
            format!("s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

/// True for endpoints on this machine or a private network name, where
/// virtual-hosted names (`bucket.localhost`) do not resolve.
fn is_local_endpoint(endpoint: &str) -> bool {
    let host = endpoint
        .split("://")
        .nth(1)
        .unwrap_or(endpoint)
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    host == "localhost"
        || host.parse::<std::net::Ipv4Addr>().is_ok()
        || endpoint.contains("://[")
        || !host.contains('.')
}

/// Checks S3's bucket naming rules, so a typo fails before any request.
pub(crate) fn check_bucket_name(name: &str) -> Result<(), String> {
    if !(3..=63).contains(&name.len()) {
        return Err(format!(
            "bucket name '{name}' must be 3 to 63 characters long"
        ));
    }
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    if !name.chars().all(ok_char) {
        return Err(format!(
            "bucket name '{name}' may hold only lowercase letters, digits, '-' and '.'"
        ));
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
        return Err(format!(
            "bucket name '{name}' must start and end with a letter or digit"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_bucket_and_prefix() {
        let c = S3Config::from_url("s3://my-bucket").unwrap();
        assert_eq!((c.bucket.as_str(), c.prefix.as_str()), ("my-bucket", ""));
        let c = S3Config::from_url("s3://my-bucket/a/b/").unwrap();
        assert_eq!(c.prefix, "a/b");
        assert_eq!(c.key_of("/"), "a/b");
        assert_eq!(c.key_of("/x/y"), "a/b/x/y");
        assert_eq!(c.url(), "s3://my-bucket/a/b");
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        let err = S3Config::from_url("http://x").unwrap_err().to_string();
        assert!(err.contains("does not start with s3://"), "{err}");
        let err = S3Config::from_url("s3://No_Caps").unwrap_err().to_string();
        assert!(err.contains("lowercase"), "{err}");
        let err = S3Config::from_url("s3://ab").unwrap_err().to_string();
        assert!(err.contains("3 to 63"), "{err}");
    }

    #[test]
    fn local_endpoints_use_path_style() {
        let mut c = S3Config::new("b");
        c.endpoint = Some("http://127.0.0.1:8333".into());
        assert!(c.path_style());
        c.endpoint = Some("http://minio:9000".into());
        assert!(c.path_style());
        c.endpoint = Some("https://t3.storage.dev".into());
        assert!(!c.path_style());
        assert!(c.is_tigris());
        c.addressing = Addressing::PathStyle;
        assert!(c.path_style());
    }

    #[test]
    fn secrets_never_print() {
        let c = Credentials::new("AKID", "very-secret");
        let shown = format!("{c:?}");
        assert!(
            shown.contains("AKID") && !shown.contains("very-secret"),
            "{shown}"
        );
    }
}
