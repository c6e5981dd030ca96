//! `S3Fs::fork_to` on Tigris: whole buckets fork natively.

use wasm_agent_s3::{Credentials, S3Config, S3Fs};

use crate::mock::{MockTigris, Reply};
use crate::support::assert_tigris_headers;

#[tokio::test]
async fn fork_to_between_whole_buckets_is_a_native_fork() {
    let server = MockTigris::start(
        |req| match (req.method.as_str(), req.has_param("list-type")) {
            ("PUT", _) => Reply::ok(),
            (_, true) => Reply::xml(
                200,
                "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount>\
             <IsTruncated>false</IsTruncated></ListBucketResult>",
            ),
            _ => Reply::s3_error(404, "NoSuchKey", "The specified key does not exist."),
        },
    )
    .await;
    let mut config = S3Config::new("agent-base");
    config.endpoint = Some(server.endpoint().to_owned());
    config.region = Some("auto".into());
    config.credentials = Credentials::new("tid_test", "tsec_test");
    config.tigris = Some(true);
    config.max_attempts = 1;
    let client = wasm_agent_s3::build_client(&config).await;
    let base = S3Fs::with_client(config, client);
    let fork = base.fork_to("agent-run-1", "").await.unwrap();
    assert_eq!(fork.config().bucket, "agent-run-1");
    assert!(fork.base().is_none(), "a native fork has no manifest");
    let requests = server.requests();
    let put = requests
        .iter()
        .find(|r| r.method == "PUT")
        .expect("the fork request");
    assert_eq!(put.line(), "PUT /agent-run-1");
    assert_tigris_headers(put, &[("X-Tigris-Fork-Source-Bucket", "agent-base")]);
    // No manifest was written.
    assert_eq!(requests.iter().filter(|r| r.method == "PUT").count(), 1);
}
