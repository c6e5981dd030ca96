//! RFC 4648 base32 (with padding), for jq's `@base32` and `@base32d`.

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Encodes `data` as padded base32 text.
pub fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = block.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        // Each input byte count maps to a fixed number of output symbols.
        let symbols = [0, 2, 4, 5, 7, 8][chunk.len()];
        for i in 0..8 {
            if i < symbols {
                out.push(ALPHABET[(bits >> (35 - 5 * i) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base32 text, ignoring padding; `None` on a character outside
/// the alphabet.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut nbits) = (0u64, 0u32);
    for c in text.iter().filter(|c| **c != b'=') {
        let v = ALPHABET.iter().position(|a| a == c)? as u64;
        acc = acc << 5 | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
            acc &= (1 << nbits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ];
        for (plain, enc) in cases {
            assert_eq!(super::encode(plain.as_bytes()), enc);
            assert_eq!(super::decode(enc.as_bytes()).unwrap(), plain.as_bytes());
        }
        assert_eq!(super::decode(b"M1"), None);
    }
}
