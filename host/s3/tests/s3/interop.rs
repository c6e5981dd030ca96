//! Bytes written here are the bytes another client reads, and back.

use wasm_agent_s3::{S3Fs, WritePolicy};
use wasm_agent_vfs::{OpenOptions, Vfs};

use crate::support::{get, new_fs, other_client, put};

fn every_byte() -> Vec<u8> {
    (0..=255u8).cycle().take(256 * 3).collect()
}

/// 20 MB of a non-repeating pattern (a multipart upload and ranged reads).
fn large() -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..20_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[tokio::test]
async fn binary_files_cross_unchanged() {
    let (fs, config) = new_fs("binary", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    fs.write_file("/bytes.bin", &every_byte()).await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    assert_eq!(
        get(&client, &config.bucket, "bytes.bin").await.unwrap(),
        every_byte()
    );
    put(&client, &config.bucket, "from-other.bin", &every_byte()).await;
    assert_eq!(fs.read_file("/from-other.bin").await.unwrap(), every_byte());
}

#[tokio::test]
async fn a_20_mb_file_crosses_both_ways() {
    let (fs, config) = new_fs("large", WritePolicy::WriteThrough).await;
    let client = other_client(&config).await;
    let data = large();
    fs.write_file("/big.bin", &data).await.unwrap();
    Vfs::settle(&fs).await.unwrap();
    let back = get(&client, &config.bucket, "big.bin").await.unwrap();
    assert!(back == data, "the bucket holds different bytes");

    put(&client, &config.bucket, "other-big.bin", &data).await;
    let fresh = S3Fs::connect(config.clone()).await.unwrap();
    assert_eq!(
        fresh.metadata("/other-big.bin").await.unwrap().len,
        20_000_000
    );
    // Ranged reads: a window in the middle, then the whole file.
    let file = fresh
        .open("/other-big.bin", OpenOptions::read())
        .await
        .unwrap();
    let mut buf = vec![0; 100_000];
    let n = file.read_at(&mut buf, 12_345_678).await.unwrap();
    assert_eq!(&buf[..n], &data[12_345_678..12_345_678 + n]);
    assert!(n > 0);
    assert!(fresh.read_file("/other-big.bin").await.unwrap() == data);
}
