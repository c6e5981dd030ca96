//! How to reach an S3 server: the endpoint flags shared by `exec --s3`
//! and the bucket commands, and the choice between Tigris' native
//! operations and the portable ones that work on any S3 server.

use clap::Args;
use wasm_agent::s3::{Addressing, S3Config, Tigris};
use wasm_agent::{Error, ErrorKind, Result};

/// Endpoint, region and addressing of the S3 server.
#[derive(Args, Debug, Clone, Default)]
pub struct S3Args {
    /// S3 endpoint URL (default: AWS, or Tigris when the
    /// TIGRIS_STORAGE_ACCESS_KEY_ID variable is set).
    /// Example: --endpoint http://127.0.0.1:8333
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Region (default: the AWS environment's, else us-east-1; `auto` for
    /// Tigris and R2).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Name the bucket in the URL path instead of the host name (what most
    /// local S3 servers need; chosen automatically for local endpoints).
    #[arg(long, conflicts_with = "virtual_hosted")]
    pub path_style: bool,
    /// Name the bucket in the host name (what AWS and Tigris want).
    #[arg(long)]
    pub virtual_hosted: bool,
    /// The server is Tigris: use its native snapshots, forks, merges and
    /// scoped keys. Implied by a Tigris endpoint (*.storage.dev,
    /// *.tigris.dev), or by TIGRIS_STORAGE_ACCESS_KEY_ID without --endpoint.
    #[arg(long)]
    pub tigris: bool,
}

/// Which implementation of forks and snapshots a command uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Tigris' own bucket-level operations.
    Tigris,
    /// wasm-agent's copy-on-write layer over plain S3 calls.
    Portable,
}

impl S3Args {
    /// True when any flag was given (for commands where they need a bucket).
    pub fn any(&self) -> bool {
        self.endpoint.is_some()
            || self.region.is_some()
            || self.path_style
            || self.virtual_hosted
            || self.tigris
    }

    /// Tigris with `--tigris`, a Tigris endpoint, or Tigris keys in the
    /// environment and no `--endpoint` (keys alone must not turn a local
    /// server into Tigris); portable otherwise.
    pub fn backend(&self) -> Backend {
        let tigris_env =
            std::env::var_os("TIGRIS_STORAGE_ACCESS_KEY_ID").is_some_and(|value| !value.is_empty());
        let tigris = match &self.endpoint {
            _ if self.tigris => true,
            Some(endpoint) => is_tigris_host(endpoint),
            None => tigris_env,
        };
        if tigris {
            Backend::Tigris
        } else {
            Backend::Portable
        }
    }

    /// The configuration of `url` (`s3://bucket[/prefix]`) with these flags.
    pub fn config(&self, url: &str) -> Result<S3Config> {
        let config = S3Config::from_url(url).map_err(|err| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("{url}: {}", err.detail().unwrap_or("not a bucket URL")),
            )
        })?;
        Ok(self.apply(config))
    }

    /// Applies the backend's defaults, then the flags, to `config`.
    fn apply(&self, mut config: S3Config) -> S3Config {
        if self.backend() == Backend::Tigris {
            config = config.tigris();
            // Tigris' virtual-hosted default is for its own host names; a
            // stand-in on 127.0.0.1 needs the automatic choice.
            if self.endpoint.is_some() {
                config.addressing = Addressing::Auto;
            }
        }
        if let Some(endpoint) = &self.endpoint {
            config.endpoint = Some(endpoint.clone());
        }
        if let Some(region) = &self.region {
            config.region = Some(region.clone());
        }
        if self.path_style {
            config.addressing = Addressing::PathStyle;
        } else if self.virtual_hosted {
            config.addressing = Addressing::VirtualHosted;
        }
        config
    }

    /// A Tigris client for these flags, or an error naming `command` when
    /// the backend is not Tigris.
    pub async fn tigris_client(&self, command: &str) -> Result<Tigris> {
        if self.backend() != Backend::Tigris {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{command} needs Tigris, and {} is not Tigris; \
                     pass --tigris (or a Tigris --endpoint, or set TIGRIS_STORAGE_ACCESS_KEY_ID)",
                    self.endpoint.as_deref().unwrap_or("the default endpoint")
                ),
            ));
        }
        Ok(Tigris::connect(&self.apply(S3Config::new(String::new()))).await)
    }
}

/// True for Tigris' host names (`t3.storage.dev`, `fly.storage.tigris.dev`).
fn is_tigris_host(endpoint: &str) -> bool {
    let host = endpoint
        .split("://")
        .nth(1)
        .unwrap_or(endpoint)
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ["storage.dev", "tigris.dev"]
        .iter()
        .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tigris_hosts_are_recognised() {
        assert!(is_tigris_host("https://t3.storage.dev"));
        assert!(is_tigris_host("https://fly.storage.tigris.dev/"));
        assert!(is_tigris_host("T3.STORAGE.DEV"));
        assert!(!is_tigris_host("http://127.0.0.1:8333"));
        assert!(!is_tigris_host("https://notstorage.dev"));
        assert!(!is_tigris_host("https://s3.amazonaws.com"));
    }

    #[test]
    fn the_flag_or_the_endpoint_chooses_tigris() {
        let local = S3Args {
            endpoint: Some("http://127.0.0.1:9000".into()),
            ..S3Args::default()
        };
        assert_eq!(local.backend(), Backend::Portable);
        let forced = S3Args {
            tigris: true,
            ..local.clone()
        };
        assert_eq!(forced.backend(), Backend::Tigris);
        let remote = S3Args {
            endpoint: Some("https://t3.storage.dev".into()),
            ..S3Args::default()
        };
        assert_eq!(remote.backend(), Backend::Tigris);
    }

    #[test]
    fn a_tigris_stand_in_keeps_automatic_addressing() {
        let args = S3Args {
            endpoint: Some("http://127.0.0.1:9000".into()),
            tigris: true,
            ..S3Args::default()
        };
        let config = args.config("s3://bucket-a/p").unwrap();
        assert_eq!(config.addressing, Addressing::Auto);
        assert_eq!(config.region.as_deref(), Some("auto"));
        assert_eq!(config.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(config.prefix, "p");
        let err = args.config("bucket-a").unwrap_err().to_string();
        assert!(err.contains("s3://"), "{err}");
    }
}
