//! A fresh bucket per test and clients for it.

use aws_sdk_s3::Client;
use wasm_agent_s3::{S3Config, S3Fs, WritePolicy};
use wasm_agent_seaweed::SeaweedServer;

pub use wasm_agent_s3_support::new_bucket;

/// The configuration for `bucket` on `server`.
pub fn config(server: &SeaweedServer, bucket: &str) -> S3Config {
    wasm_agent_s3_support::config_on(server, bucket, "")
}

/// A filesystem on a new bucket with the given write policy.
pub async fn new_fs(hint: &str, policy: WritePolicy) -> (S3Fs, S3Config) {
    let mut config = new_bucket(hint).await;
    config.write_policy = policy;
    let fs = S3Fs::connect(config.clone()).await.expect("connect");
    (fs, config)
}

/// An independent SDK client for the same bucket: "another tool".
pub async fn other_client(config: &S3Config) -> Client {
    wasm_agent_s3::build_client(config).await
}

/// The bytes of `key` as another client reads them.
pub async fn get(client: &Client, bucket: &str, key: &str) -> Option<Vec<u8>> {
    match client.get_object().bucket(bucket).key(key).send().await {
        Ok(out) => Some(out.body.collect().await.unwrap().into_bytes().to_vec()),
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            assert_eq!(status, Some(404), "get {key}: {e:?}");
            None
        }
    }
}

/// Every key in the bucket, sorted.
pub async fn keys(client: &Client, bucket: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_objects_v2()
            .bucket(bucket)
            .set_continuation_token(token)
            .send()
            .await
            .unwrap();
        out.extend(
            page.contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned)),
        );
        match page.next_continuation_token() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    out.sort();
    out
}

/// PUT by another client.
pub async fn put(client: &Client, bucket: &str, key: &str, data: &[u8]) {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(data.to_vec().into())
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "put {key}: {e:?}\nserver log:\n{}",
                SeaweedServer::shared().log_tail()
            )
        });
}
