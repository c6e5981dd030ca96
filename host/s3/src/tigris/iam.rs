//! Scoped access keys: a key that may use only the buckets it names, as
//! `Editor` (read, write, delete) or `ReadOnly`.
//!
//! Tigris' IAM endpoint is not S3: it takes form-encoded `POST`s with an
//! `Action` query parameter, signed with SigV4 for service `iam`, region
//! `auto`, and answers JSON (`Accept: application/json`; XML is parsed
//! too). Two actions are used:
//!
//! - `CreateAccessKeyWithBucketsRole`, form field `Req` holding
//!   `{"req_uuid", "name", "buckets_role": [{"bucket", "role"}]}`; it only
//!   needs the caller to hold `Editor` on those buckets, not Admin;
//! - `DeleteAccessKey`, form fields `Action`, `Version=2010-05-08`,
//!   `AccessKeyId` (AWS IAM's shape).
//!
//! These shapes follow Tigris' own clients (`tigris-boto3-ext`'s `_iam.py`,
//! the `@tigrisdata/iam` package); Tigris' reference pages document the
//! dashboard and CLI flows, not this wire format.

use std::fmt;
use std::time::{Duration, SystemTime};

use std::sync::Arc;

use aws_sdk_s3::config::{Credentials, ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_s3::primitives::{ByteStream, SdkBody};
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use tokio::sync::OnceCell;

use super::error::{ErrorKind, TigrisError};
use super::{names, Tigris};

/// The Tigris IAM endpoint Tigris' own SDKs and CLI use. (Tigris' IAM
/// pages name `https://iam.storage.dev` for the AWS CLI; override with
/// [`Tigris::with_iam_endpoint`] or `TIGRIS_STORAGE_IAM_ENDPOINT`.)
pub const TIGRIS_IAM_ENDPOINT: &str = "https://iam.storageapi.dev";

/// How long one IAM request may take, connection included.
const IAM_TIMEOUT: Duration = Duration::from_secs(60);

/// What a scoped key may do on its bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Read, write and delete objects, and change the bucket's settings.
    Editor,
    /// Read and list objects only.
    ReadOnly,
}

impl Role {
    /// The name Tigris uses (`Editor`, `ReadOnly`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "Editor",
            Role::ReadOnly => "ReadOnly",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A new access key. The secret is shown by Tigris only once: keep it.
/// It is never printed (`Debug` redacts it).
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    /// Access key id (`tid_…`).
    pub id: String,
    /// Display name given at creation.
    pub name: String,
    /// The buckets the key may use, and how.
    pub grants: Vec<(String, Role)>,
    secret: String,
}

impl AccessKey {
    /// The secret access key (`tsec_…`).
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The key as credentials for an [`S3Config`](crate::S3Config), e.g. to
    /// mount the bucket it is scoped to.
    pub fn credentials(&self) -> crate::Credentials {
        crate::Credentials::new(&self.id, &self.secret)
    }
}

// Hand-written so the secret can never reach a log line or an error.
impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("grants", &self.grants)
            .field("secret", &"** redacted **")
            .finish()
    }
}

/// Where IAM requests go, how they travel, and the keys that sign them.
#[derive(Clone)]
pub(crate) struct Iam {
    pub endpoint: String,
    connector: Arc<aws_smithy_http_client::Connector>,
    /// `None`: the client was built from an SDK client and no keys were
    /// given for IAM.
    credentials: Option<crate::Credentials>,
    /// The AWS chain's provider for [`crate::Credentials::Environment`],
    /// loaded on first use.
    chain: Arc<OnceCell<Option<SharedCredentialsProvider>>>,
}

impl Iam {
    /// IAM at `endpoint` (over rustls; plain HTTP for `http://` URLs),
    /// signing with `credentials`.
    pub fn new(endpoint: String, credentials: Option<crate::Credentials>) -> Iam {
        use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
        let connector = aws_smithy_http_client::Connector::builder()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build();
        Iam {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            connector: Arc::new(connector),
            credentials,
            chain: Arc::new(OnceCell::new()),
        }
    }

    /// The endpoint from `TIGRIS_STORAGE_IAM_ENDPOINT` or
    /// `TIGRIS_IAM_ENDPOINT`, else [`TIGRIS_IAM_ENDPOINT`].
    pub fn endpoint_from_env() -> String {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        env("TIGRIS_STORAGE_IAM_ENDPOINT")
            .or_else(|| env("TIGRIS_IAM_ENDPOINT"))
            .unwrap_or_else(|| TIGRIS_IAM_ENDPOINT.to_owned())
    }

    /// The same endpoint and connection pool, other keys.
    pub fn with_credentials(&self, credentials: crate::Credentials) -> Iam {
        Iam {
            credentials: Some(credentials),
            chain: Arc::new(OnceCell::new()),
            ..self.clone()
        }
    }

    /// Another endpoint, the same keys.
    pub fn with_endpoint(&self, endpoint: String) -> Iam {
        Iam {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            ..self.clone()
        }
    }

    /// The signing identity, resolved now (temporary keys may rotate).
    async fn identity(&self, op: &'static str, target: &str) -> Result<Identity, TigrisError> {
        let denied = |why: String| {
            TigrisError::new(ErrorKind::AccessDenied, op, target, why).with_hint(
                "set TIGRIS_STORAGE_ACCESS_KEY_ID and TIGRIS_STORAGE_SECRET_ACCESS_KEY, \
                 or give keys with Tigris::with_iam_credentials",
            )
        };
        let credentials =
            match &self.credentials {
                None => return Err(denied(
                    "no keys to sign IAM requests with (the client was made from an SDK client)"
                        .into(),
                )),
                Some(crate::Credentials::Anonymous) => {
                    return Err(denied("anonymous access cannot manage access keys".into()))
                }
                Some(crate::Credentials::Static {
                    access_key_id,
                    secret_access_key,
                    session_token,
                }) => Credentials::new(
                    access_key_id,
                    secret_access_key,
                    session_token.clone(),
                    None,
                    "wasm-agent",
                ),
                Some(crate::Credentials::Environment) => {
                    let provider = self.chain.get_or_init(load_chain).await;
                    let Some(provider) = provider else {
                        return Err(denied("the AWS credential chain found no keys".into()));
                    };
                    provider.provide_credentials().await.map_err(|e| {
                        denied(format!("no keys from the AWS credential chain: {e}"))
                    })?
                }
            };
        Ok(Identity::from(credentials))
    }
}

/// The AWS credential chain (environment, profile files, web identity,
/// container and instance metadata), as the S3 client loads it.
async fn load_chain() -> Option<SharedCredentialsProvider> {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .load()
        .await
        .credentials_provider()
}

impl Tigris {
    /// Creates an access key named `name` that may use each listed bucket
    /// with its role, and nothing else.
    ///
    /// The caller's keys need `Editor` on those buckets (or Admin).
    pub async fn create_access_key(
        &self,
        name: &str,
        grants: &[(&str, Role)],
    ) -> Result<AccessKey, TigrisError> {
        const OP: &str = "create access key";
        if name.is_empty() || name.len() > 128 || name.chars().any(char::is_control) {
            return Err(TigrisError::invalid(
                OP,
                name,
                "the key name must be 1 to 128 printable characters",
            ));
        }
        if grants.is_empty() {
            return Err(TigrisError::invalid(
                OP,
                name,
                "name at least one bucket: a key without buckets can do nothing",
            ));
        }
        for (bucket, _) in grants {
            names::bucket(OP, bucket)?;
        }
        let request = serde_json::json!({
            "req_uuid": request_id(),
            "name": name,
            "buckets_role": grants
                .iter()
                .map(|(bucket, role)| serde_json::json!({"bucket": bucket, "role": role.as_str()}))
                .collect::<Vec<_>>(),
        });
        let body = self
            .iam_post(
                OP,
                name,
                "CreateAccessKeyWithBucketsRole",
                &[("Req", request.to_string())],
            )
            .await?;
        let fields = parse_access_key(&body).ok_or_else(|| {
            // The body may hold the new secret: describe it, never show it.
            TigrisError::new(
                ErrorKind::BadResponse,
                OP,
                name,
                format!(
                    "Tigris answered without an access key id and secret ({} bytes, not shown)",
                    body.len()
                ),
            )
            .with_hint(
                "the key may have been created anyway: look for it under this name in the \
                 Tigris dashboard and delete it",
            )
        })?;
        Ok(AccessKey {
            id: fields.0,
            secret: fields.1,
            name: fields.2.unwrap_or_else(|| name.to_owned()),
            grants: grants.iter().map(|(b, r)| (b.to_string(), *r)).collect(),
        })
    }

    /// Deletes (revokes) the access key `id`; it stops working at once.
    pub async fn delete_access_key(&self, id: &str) -> Result<(), TigrisError> {
        const OP: &str = "delete access key";
        if id.is_empty() {
            return Err(TigrisError::invalid(OP, id, "the access key id is empty"));
        }
        self.iam_post(
            OP,
            id,
            "DeleteAccessKey",
            &[
                ("Action", "DeleteAccessKey".into()),
                ("Version", "2010-05-08".into()),
                ("AccessKeyId", id.into()),
            ],
        )
        .await?;
        Ok(())
    }

    /// Signs and sends one IAM action; returns the body of a 2xx answer.
    async fn iam_post(
        &self,
        op: &'static str,
        target: &str,
        action: &str,
        form: &[(&str, String)],
    ) -> Result<bytes::Bytes, TigrisError> {
        let unavailable = |why: String| TigrisError::new(ErrorKind::Unavailable, op, target, why);
        let identity = self.iam.identity(op, target).await?;
        let url = format!("{}/?Action={action}", self.iam.endpoint);
        let body = form_encode(form);
        let request = signed_request(&url, body, &identity)
            .map_err(|why| TigrisError::new(ErrorKind::InvalidInput, op, target, why))?;
        let call = self.iam.connector.call(request);
        let response = match tokio::time::timeout(IAM_TIMEOUT, call).await {
            Err(_) => {
                return Err(unavailable(format!(
                    "{} did not answer within {}s",
                    self.iam.endpoint,
                    IAM_TIMEOUT.as_secs()
                )))
            }
            Ok(Err(e)) => {
                return Err(unavailable(format!(
                    "cannot reach {}: {}",
                    self.iam.endpoint,
                    aws_sdk_s3::error::DisplayErrorContext(&e)
                )))
            }
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        let body = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| unavailable(format!("the connection broke while reading: {e}")))?
            .into_bytes();
        if (200..300).contains(&status) {
            return Ok(body);
        }
        let (code, message) = parse_error(&body);
        Err(TigrisError::from_status(
            op,
            target,
            Some(status),
            code,
            message.unwrap_or_else(|| "the IAM endpoint refused the request".into()),
        ))
    }
}

/// A form-encoded `POST` to `url`, signed for IAM in region `auto`, with
/// the body's SHA-256 in `x-amz-content-sha256` (Tigris' clients send it).
fn signed_request(url: &str, body: String, identity: &Identity) -> Result<HttpRequest, String> {
    const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
    const ACCEPT: &str = "application/json";
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region("auto")
        .name("iam")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .map_err(|e| format!("cannot sign the request: {e}"))?
        .into();
    let headers = [("content-type", CONTENT_TYPE), ("accept", ACCEPT)];
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .map_err(|e| format!("cannot sign a request to {url}: {e}"))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| format!("cannot sign a request to {url}: {e}"))?
        .into_parts();
    let mut request = http::Request::builder()
        .method("POST")
        .uri(url)
        .header("content-type", CONTENT_TYPE)
        .header("accept", ACCEPT)
        .body(SdkBody::from(body))
        .map_err(|e| format!("invalid IAM endpoint URL {url}: {e}"))?;
    instructions.apply_to_request_http1x(&mut request);
    HttpRequest::try_from(request).map_err(|e| format!("invalid request to {url}: {e}"))
}

/// `application/x-www-form-urlencoded`: unreserved bytes as they are,
/// space as `+`, everything else `%XX`.
fn form_encode(fields: &[(&str, String)]) -> String {
    let encode = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for byte in s.bytes() {
            match byte {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    out.push(byte as char)
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
        out
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A random version-4 UUID: the idempotency token Tigris expects in
/// `req_uuid`.
fn request_id() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // Two requests must never share a token (Tigris would answer the
        // second with the first's key): time plus a counter, if no RNG.
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos() as u64;
        let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        b[..8].copy_from_slice(&nanos.to_le_bytes());
        b[8..].copy_from_slice(&count.to_le_bytes());
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Id, secret and user name from a `CreateAccessKey` answer, JSON
/// (`{"CreateAccessKeyResult": {"AccessKey": {…}}}`) or AWS-style XML.
fn parse_access_key(body: &[u8]) -> Option<(String, String, Option<String>)> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let (id, secret, user) = if text.starts_with('{') {
        let json: serde_json::Value = serde_json::from_str(text).ok()?;
        let key = &json["CreateAccessKeyResult"]["AccessKey"];
        let field = |name: &str| key[name].as_str().map(str::to_owned);
        (
            field("AccessKeyId"),
            field("SecretAccessKey"),
            field("UserName"),
        )
    } else {
        (
            xml_field(text, "AccessKeyId"),
            xml_field(text, "SecretAccessKey"),
            xml_field(text, "UserName"),
        )
    };
    match (id, secret) {
        (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => {
            Some((id, secret, user.filter(|u| !u.is_empty())))
        }
        _ => None,
    }
}

/// The error code and message of a refused IAM request, JSON or XML.
fn parse_error(body: &[u8]) -> (Option<String>, Option<String>) {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.starts_with('{') {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
            let code = find_json(&json, &["Code", "code"]);
            let message = find_json(&json, &["Message", "message"]);
            return (code, message);
        }
    }
    let code = xml_field(text, "Code");
    let message = xml_field(text, "Message").or_else(|| {
        // Plain text: keep one short line of it.
        let line = text.lines().next().unwrap_or("").trim();
        (!line.is_empty() && !line.starts_with('<')).then(|| line.chars().take(200).collect())
    });
    (code, message)
}

/// The first string under one of `keys`, searched depth-first.
fn find_json(value: &serde_json::Value, keys: &[&str]) -> Option<String> {
    match value {
        serde_json::Value::Object(map) => keys
            .iter()
            .find_map(|k| map.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
            .or_else(|| map.values().find_map(|v| find_json(v, keys))),
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_json(v, keys)),
        _ => None,
    }
}

/// The text of the first `<tag>…</tag>`, with XML's five entities decoded.
fn xml_field(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = start + text[start..].find(&format!("</{tag}>"))?;
    Some(
        text[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_parse_from_json_and_xml() {
        let json = br#"{"CreateAccessKeyResult":{"AccessKey":{"AccessKeyId":"tid_a","SecretAccessKey":"tsec_b","UserName":"ws-key"}}}"#;
        assert_eq!(
            parse_access_key(json),
            Some(("tid_a".into(), "tsec_b".into(), Some("ws-key".into())))
        );
        let xml = b"<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey>\
            <AccessKeyId>tid_a</AccessKeyId><SecretAccessKey>ts&amp;c</SecretAccessKey>\
            </AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>";
        assert_eq!(
            parse_access_key(xml),
            Some(("tid_a".into(), "ts&c".into(), None))
        );
        assert_eq!(parse_access_key(br#"{"CreateAccessKeyResult":{}}"#), None);
    }

    #[test]
    fn errors_parse_from_json_xml_and_text() {
        let (code, message) =
            parse_error(br#"{"Error":{"Code":"AccessDenied","Message":"no Editor role"}}"#);
        assert_eq!(code.as_deref(), Some("AccessDenied"));
        assert_eq!(message.as_deref(), Some("no Editor role"));
        let (code, message) = parse_error(
            b"<ErrorResponse><Error><Code>NoSuchEntity</Code><Message>gone</Message></Error></ErrorResponse>",
        );
        assert_eq!(
            (code.as_deref(), message.as_deref()),
            (Some("NoSuchEntity"), Some("gone"))
        );
        assert_eq!(
            parse_error(b"bad gateway\n").1.as_deref(),
            Some("bad gateway")
        );
    }

    #[test]
    fn forms_are_url_encoded() {
        assert_eq!(
            form_encode(&[("Req", r#"{"a": "b/c"}"#.into()), ("X", "1".into())]),
            "Req=%7B%22a%22%3A+%22b%2Fc%22%7D&X=1"
        );
    }

    #[test]
    fn request_ids_are_v4_uuids() {
        let (a, b) = (request_id(), request_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn secrets_never_print() {
        let key = AccessKey {
            id: "tid_a".into(),
            name: "k".into(),
            grants: vec![("b".into(), Role::Editor)],
            secret: "tsec_very_secret".into(),
        };
        let shown = format!("{key:?}");
        assert!(
            shown.contains("tid_a") && !shown.contains("very_secret"),
            "{shown}"
        );
    }
}
