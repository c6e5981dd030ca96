//! Checks shared by the tests: the Tigris headers a request carried, the
//! SigV4 signature of an IAM request, Tigris-shaped answers.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use wasm_agent_s3::tigris::TigrisError;

use crate::mock::{Recorded, Reply, ACCESS_KEY, SECRET_KEY};

/// Asserts the request carried exactly these Tigris headers (names any
/// case), nothing more.
#[track_caller]
pub fn assert_tigris_headers(request: &Recorded, expected: &[(&str, &str)]) {
    let mut sent = request.tigris_headers();
    sent.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect();
    want.sort();
    assert_eq!(sent, want, "Tigris headers of {}", request.line());
}

/// Asserts an error's message never shows the test's secret key.
#[track_caller]
pub fn assert_no_secret(shown: &str) {
    assert!(!shown.contains(SECRET_KEY), "secret leaked: {shown}");
}

/// Asserts `err` is of `kind` and its message holds each of `parts`.
#[track_caller]
pub fn assert_error(err: &TigrisError, kind: wasm_agent_s3::tigris::ErrorKind, parts: &[&str]) {
    let shown = err.to_string();
    assert_eq!(err.kind(), kind, "{shown}");
    for part in parts {
        assert!(shown.contains(part), "'{part}' missing from: {shown}");
    }
    assert_no_secret(&shown);
    assert_no_secret(&format!("{err:?}"));
}

/// Signs the request again, as received, with the test's keys and the
/// time it claims, for service `iam` in region `auto`, and asserts the
/// `Authorization` sent is that signature: the body, URL and headers
/// were not changed after signing, and the scope is Tigris IAM's.
#[track_caller]
pub fn assert_signed_for_iam(request: &Recorded, endpoint: &str) {
    let authorization = request
        .header("authorization")
        .expect("Authorization header");
    let date = request.header("x-amz-date").expect("x-amz-date header");
    let day = &date[..8];
    assert!(
        authorization.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{day}/auto/iam/aws4_request, "
        )),
        "{authorization}"
    );
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders");
    for name in ["host", "content-type", "x-amz-content-sha256", "x-amz-date"] {
        assert!(
            signed.split(';').any(|h| h == name),
            "{name} not signed: {signed}"
        );
    }
    let identity: Identity =
        aws_sdk_s3::config::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test").into();
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("auto")
        .name("iam")
        .time(parse_amz_date(date))
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let url = format!("{endpoint}{}?{}", request.path, request.query);
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(n, _)| {
            signed.split(';').any(|h| h == n)
                && !matches!(n.as_str(), "host" | "x-amz-date" | "x-amz-content-sha256")
        })
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signable = SignableRequest::new(
        &request.method,
        url,
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let expected: Vec<(&str, &str)> = instructions.headers().collect();
    let value = |name: &str| expected.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    assert_eq!(
        request.header("x-amz-content-sha256"),
        value("x-amz-content-sha256"),
        "body hash"
    );
    assert_eq!(Some(authorization), value("authorization"), "signature");
}

/// `20240131T235959Z` as a time.
fn parse_amz_date(text: &str) -> SystemTime {
    let num = |r: std::ops::Range<usize>| text[r].parse::<i64>().expect("x-amz-date digits");
    let (y, m, d) = (num(0..4), num(4..6), num(6..8));
    let (hh, mm, ss) = (num(9..11), num(11..13), num(13..15));
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss;
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
}

/// A `ListBuckets` answer listing snapshots as Tigris does: each entry's
/// name `<version>[; name=<label>]`, its date the snapshot's time.
pub fn snapshot_listing(entries: &[(&str, Option<&str>, &str)]) -> Reply {
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult>\
         <Owner><ID>owner</ID><DisplayName>owner</DisplayName></Owner><Buckets>",
    );
    for (version, label, date) in entries {
        let name = match label {
            Some(label) => format!("{version}; name={label}"),
            None => version.to_string(),
        };
        body.push_str(&format!(
            "<Bucket><Name>{name}</Name><CreationDate>{date}</CreationDate></Bucket>"
        ));
    }
    body.push_str("</Buckets></ListAllMyBucketsResult>");
    Reply::xml(200, &body)
}

/// A `CreateAccessKeyWithBucketsRole` answer in Tigris' JSON.
pub fn access_key_created(id: &str, secret: &str, name: &str) -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"CreateAccessKeyResult":{{"AccessKey":{{"AccessKeyId":"{id}","SecretAccessKey":"{secret}","UserName":"{name}","Status":"Active"}}}}}}"#
        ),
    )
}

/// The `Req` JSON of a `CreateAccessKeyWithBucketsRole` request.
pub fn create_key_request(request: &Recorded) -> serde_json::Value {
    let form = form_fields(&request.text());
    let req = form
        .iter()
        .find(|(k, _)| k == "Req")
        .map(|(_, v)| v.clone())
        .expect("Req field");
    serde_json::from_str(&req).expect("Req is JSON")
}

/// The fields of an `application/x-www-form-urlencoded` body.
pub fn form_fields(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn amz_dates_parse() {
    let t = parse_amz_date("20240131T235959Z");
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    assert_eq!(secs, 1_706_745_599);
}
