//! gzip streams over readers and writers: compressing one member,
//! decompressing any number of concatenated members, and reading the
//! facts `gzip -l` shows.

use flate2::{Compression, GzBuilder};
use std::io::{self, Read, Write};

/// What to record in the gzip header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Original file name (GNU stores it unless `-n`).
    pub name: Option<Vec<u8>>,
    /// Modification time in seconds since the epoch, 0 for none.
    pub mtime: u32,
}

/// Compresses all of `input` into one gzip member on `output`; returns
/// `(bytes read, bytes written)`.
pub fn compress(
    input: &mut dyn Read,
    output: &mut dyn Write,
    level: u32,
    header: &Header,
) -> io::Result<(u64, u64)> {
    let mut builder = GzBuilder::new().mtime(header.mtime).operating_system(3);
    if let Some(name) = &header.name {
        builder = builder.filename(name.clone());
    }
    let mut counter = CountingWriter {
        inner: output,
        count: 0,
    };
    let mut enc = builder.write(&mut counter, Compression::new(level));
    let read = io::copy(input, &mut enc)?;
    enc.finish()?;
    Ok((read, counter.count))
}

struct CountingWriter<'a> {
    inner: &'a mut dyn Write,
    count: u64,
}

impl Write for CountingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Why decompression failed, in GNU gzip's words.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The data does not start with the gzip magic number.
    NotGzip,
    /// The data ends inside a member.
    UnexpectedEof,
    /// Corrupt deflate data or a bad check value; the text is GNU's.
    Invalid(&'static str),
    /// Writing the output failed.
    Write(io::ErrorKind, String),
}

/// Result of decompressing a whole input.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    /// Decompressed bytes written.
    pub written: u64,
    /// Non-gzip bytes followed the last member (GNU warns and ignores them).
    pub trailing_garbage: bool,
}

/// Decompresses every gzip member in `data` onto `output`.
pub fn decompress(data: &[u8], output: &mut dyn Write) -> Result<Decoded, DecodeError> {
    if !data.starts_with(&[0x1f, 0x8b]) {
        return Err(DecodeError::NotGzip);
    }
    let mut rest = data;
    let mut decoded = Decoded::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let mut dec = flate2::bufread::GzDecoder::new(rest);
        loop {
            let n = match dec.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(classify(&e)),
            };
            output
                .write_all(&buf[..n])
                .map_err(|e| DecodeError::Write(e.kind(), e.to_string()))?;
            decoded.written += n as u64;
        }
        rest = dec.into_inner();
        if rest.is_empty() {
            return Ok(decoded);
        }
        if !rest.starts_with(&[0x1f, 0x8b]) {
            // GNU is silent about zero padding (as tape blocks leave).
            decoded.trailing_garbage = rest.iter().any(|b| *b != 0);
            return Ok(decoded);
        }
    }
}

fn classify(e: &io::Error) -> DecodeError {
    let text = e.to_string();
    if e.kind() == io::ErrorKind::UnexpectedEof {
        DecodeError::UnexpectedEof
    } else if text.contains("checksum") || text.contains("crc") {
        DecodeError::Invalid("invalid compressed data--crc error")
    } else if text.contains("length") {
        DecodeError::Invalid("invalid compressed data--length error")
    } else {
        DecodeError::Invalid("invalid compressed data--format violated")
    }
}

/// Size of the member header at the start of `data` (magic through the
/// optional fields), or `None` if it is not a gzip header.
pub fn header_len(data: &[u8]) -> Option<usize> {
    if data.len() < 10 || data[..2] != [0x1f, 0x8b] {
        return None;
    }
    let flags = data[3];
    let mut at = 10;
    if flags & 4 != 0 {
        let xlen = u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]) as usize;
        at += 2 + xlen;
    }
    for bit in [8u8, 16] {
        if flags & bit != 0 {
            at += data.get(at..)?.iter().position(|b| *b == 0)? + 1;
        }
    }
    if flags & 2 != 0 {
        at += 2;
    }
    (at <= data.len()).then_some(at)
}

/// `gzip -l` facts: uncompressed size from the last trailer (modulo 2^32, as
/// GNU reads it) and the deflate payload size of a single-member file.
pub fn list_sizes(data: &[u8]) -> Option<(u64, u64)> {
    let hlen = header_len(data)?;
    if data.len() < hlen + 8 {
        return None;
    }
    let tail = &data[data.len() - 4..];
    let isize = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as u64;
    Some((isize, (data.len() - hlen - 8) as u64))
}

/// GNU's compression ratio: saved bytes over input size, in percent.
pub fn ratio(uncompressed: u64, payload: u64) -> f64 {
    if uncompressed == 0 {
        0.0
    } else {
        100.0 * (uncompressed as f64 - payload as f64) / uncompressed as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_concatenated_members() {
        let mut gz = Vec::new();
        let header = Header {
            name: Some(b"a.txt".to_vec()),
            mtime: 1_700_000_000,
        };
        compress(&mut &b"hello\n"[..], &mut gz, 6, &header).unwrap();
        assert_eq!(header_len(&gz), Some(10 + 6));
        let mut twice = gz.clone();
        twice.extend_from_slice(&gz);
        let mut out = Vec::new();
        let d = decompress(&twice, &mut out).unwrap();
        assert_eq!(out, b"hello\nhello\n");
        assert!(!d.trailing_garbage);
        assert_eq!(list_sizes(&gz).map(|s| s.0), Some(6));
    }

    #[test]
    fn errors_are_classified() {
        assert_eq!(
            decompress(b"junk", &mut Vec::new()),
            Err(DecodeError::NotGzip)
        );
        let mut gz = Vec::new();
        compress(
            &mut &b"some data to compress"[..],
            &mut gz,
            9,
            &Header::default(),
        )
        .unwrap();
        assert_eq!(
            decompress(&gz[..gz.len() - 5], &mut Vec::new()),
            Err(DecodeError::UnexpectedEof)
        );
        let mut bad = gz.clone();
        let n = bad.len();
        bad[n - 8] ^= 0xff;
        assert!(matches!(
            decompress(&bad, &mut Vec::new()),
            Err(DecodeError::Invalid(_))
        ));
        let mut garbage = gz.clone();
        garbage.extend_from_slice(b"xyz");
        assert!(
            decompress(&garbage, &mut Vec::new())
                .unwrap()
                .trailing_garbage
        );
    }

    #[test]
    fn ratio_matches_gnu() {
        assert_eq!(format!("{:.1}", ratio(6, 8)), "-33.3");
        assert_eq!(ratio(0, 2), 0.0);
    }
}
