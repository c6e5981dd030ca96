//! Building the SDK client from an [`S3Config`].

use aws_config::BehaviorVersion;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{Region, RequestChecksumCalculation, ResponseChecksumValidation};
use aws_sdk_s3::Client;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use std::time::Duration;

use crate::config::{Credentials, S3Config};

/// Builds a client for `config`: one connection pool, rustls on ring for
/// HTTPS (plain HTTP for local servers), retries with exponential backoff
/// on throttling, 5xx and connection errors.
pub async fn build_client(config: &S3Config) -> Client {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
    if let Some(region) = &config.region {
        loader = loader.region(Region::new(region.clone()));
    }
    loader = match &config.credentials {
        // The chain is only consulted for keys: a region or endpoint from
        // the environment must not override an explicit configuration.
        Credentials::Environment => loader,
        Credentials::Static {
            access_key_id,
            secret_access_key,
            session_token,
        } => loader.credentials_provider(aws_sdk_s3::config::Credentials::new(
            access_key_id,
            secret_access_key,
            session_token.clone(),
            None,
            "wasm-agent",
        )),
        Credentials::Anonymous => loader.no_credentials(),
    };
    let shared = loader.load().await;

    let retry = RetryConfig::standard()
        .with_max_attempts(config.max_attempts.max(1))
        .with_initial_backoff(config.initial_backoff)
        .with_max_backoff(Duration::from_secs(20));
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(60))
        .build();
    let mut builder = aws_sdk_s3::config::Builder::from(&shared)
        .retry_config(retry)
        .timeout_config(timeouts)
        .force_path_style(config.path_style())
        // Some S3-compatible servers (R2, older MinIO, Ceph) reject the
        // streaming checksum trailers the SDK adds by default; S3 itself
        // does not require them.
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
    if shared.region().is_none() {
        builder = builder.region(Region::new("us-east-1"));
    }
    if let Some(endpoint) = &config.endpoint {
        builder = builder.endpoint_url(endpoint);
    }
    Client::from_conf(builder.build())
}
