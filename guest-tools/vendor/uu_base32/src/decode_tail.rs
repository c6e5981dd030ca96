// This file is part of the uutils coreutils package.
//
// For the full copyright and license information, please view the LICENSE
// file that was distributed with this source code.

//! wasm-agent: how GNU coreutils 9.1 decodes groups that are not plain and
//! complete: short groups, where decoding stops at an invalid byte or at the
//! end of the input, and groups with `=` padding.
//!
//! GNU decodes in groups (4 characters for base64, 8 for base32, 5 for z85,
//! 2 for base16, 8 for base2). A complete, valid group gives all its bytes.
//! An incomplete group is always an error (`invalid input`, status 1): a
//! missing `=` is never filled in. Before failing, GNU writes the bytes that
//! the leading valid characters of the group determine, up to the first `=`
//! or invalid byte, but only where its decoder looks at a short group at
//! all; [`PartialGroup`] says where that is. A complete group with `=` in
//! the wrong place fails the same way ([`decode_groups`]).

use std::io::{self, BufRead};
use uucore::encoding::{Format, SupportsFastDecodeAndEncode};
use uucore::error::{UResult, USimpleError};

/// How GNU treats the valid characters of an incomplete group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartialGroup {
    /// base64, base64url, base16, base2: every whole byte the valid
    /// characters determine is written (`QUJ*` and `QUJ` give `AB`).
    Decode,
    /// base32, base32hex: as [`PartialGroup::Decode`], but only before an
    /// invalid byte and only when the group, counting the invalid byte and
    /// whatever follows it, has its full 8 characters (gnulib's `decode_8`
    /// returns at once for fewer). So `MZXW6*AB` gives `foo`, while `MZXW6*`
    /// and `MZXW6` give nothing.
    DecodeIfGroupFull,
    /// z85: nothing of an incomplete group is written.
    Drop,
}

impl PartialGroup {
    /// GNU's behaviour for `format`.
    pub fn for_format(format: Format) -> Self {
        match format {
            Format::Base64
            | Format::Base64Url
            | Format::Base16
            | Format::Base2Lsbf
            | Format::Base2Msbf => Self::Decode,
            Format::Base32 | Format::Base32Hex => Self::DecodeIfGroupFull,
            // Base58 is decoded as one number, never in groups.
            Format::Z85 | Format::Base58 => Self::Drop,
        }
    }

    /// How many bytes after an invalid byte GNU reads into its group: the
    /// rest of the group, for [`PartialGroup::DecodeIfGroupFull`] only.
    /// `tail_len` is the number of characters of the group before the
    /// invalid byte.
    pub fn lookahead(self, tail_len: usize, group_len: usize) -> usize {
        match self {
            Self::DecodeIfGroupFull => group_len.saturating_sub(tail_len + 1),
            Self::Decode | Self::Drop => 0,
        }
    }

    /// Whether the characters before an invalid byte are decoded, given
    /// how many of the `wanted` bytes after it the input had.
    pub fn decodes_before_invalid(self, following: usize, wanted: usize) -> bool {
        match self {
            Self::Decode => true,
            Self::DecodeIfGroupFull => following >= wanted,
            Self::Drop => false,
        }
    }

    /// Whether the characters of an incomplete group at the end of the
    /// input are decoded.
    pub fn decodes_at_end(self) -> bool {
        self == Self::Decode
    }
}

/// Bits per character, for the encodings where each character carries a
/// whole number of them (all but z85).
fn bits_per_char(codec: &dyn SupportsFastDecodeAndEncode) -> Option<usize> {
    let group_len = codec.valid_decoding_multiple();
    let group_bits = codec.unpadded_multiple() * 8;
    (group_len > 1 && group_bits % group_len == 0).then_some(group_bits / group_len)
}

/// The number of characters of `group` before its padding. In z85, `=` is
/// a digit like any other, not padding.
fn unpadded_len(codec: &dyn SupportsFastDecodeAndEncode, group: &[u8]) -> usize {
    if bits_per_char(codec).is_none() {
        return group.len();
    }
    group.iter().position(|&b| b == b'=').unwrap_or(group.len())
}

/// The invalid-input error, worded as everywhere else in `base_common`.
fn invalid_input() -> Box<dyn uucore::error::UError> {
    USimpleError::new(1, "error: invalid input")
}

/// Decodes `groups`, whole groups only, one group at a time as GNU does,
/// appending to `out`. For the encodings whose decoder rejected the groups
/// as a whole: a group with `=` padding after 2 or 3 base64 characters (2,
/// 4, 5 or 7 in base32) is valid and gives the bytes of those characters,
/// whatever their unused low bits hold (GNU decodes `QR==` as `A`; strict
/// decoders refuse it). Any other group is invalid: the bytes its leading
/// characters determine are appended, then the error is returned.
pub fn decode_groups(
    codec: &dyn SupportsFastDecodeAndEncode,
    groups: &[u8],
    out: &mut Vec<u8>,
) -> UResult<()> {
    let group_len = codec.valid_decoding_multiple();
    for group in groups.chunks(group_len) {
        let valid = unpadded_len(codec, group);
        if group.len() == group_len && valid == group_len {
            let start = out.len();
            if codec.decode_into_vec(group, out).is_err() {
                // A z85 group over 2^32, or a character the decoder refuses.
                out.truncate(start);
                return Err(invalid_input());
            }
            continue;
        }
        out.extend(tail_bytes(codec, group));
        let padded = group.len() == group_len
            && group[valid..].iter().all(|&b| b == b'=')
            && bits_per_char(codec).is_some_and(|bits| valid > 0 && (valid * bits) % 8 < bits);
        if !padded {
            return Err(invalid_input());
        }
    }
    Ok(())
}

/// The bytes determined by `tail`, the valid characters of an incomplete
/// group: as many whole bytes as its characters before the first `=` hold.
/// Empty for an encoding whose characters do not carry a whole number of
/// bits (z85).
pub fn tail_bytes(codec: &dyn SupportsFastDecodeAndEncode, tail: &[u8]) -> Vec<u8> {
    let group_len = codec.valid_decoding_multiple();
    let Some(bits) = bits_per_char(codec) else {
        return Vec::new();
    };
    let valid = unpadded_len(codec, tail);
    let filler = codec.alphabet().iter().copied().find(|&b| b != b'=');
    let Some(filler) = filler else {
        return Vec::new();
    };
    if valid >= group_len {
        return Vec::new();
    }
    let keep = valid * bits / 8;
    if keep == 0 {
        return Vec::new();
    }
    // Completing the group with any valid character changes only the bits
    // after the ones the real characters hold, so the first `keep` bytes of
    // the decoded group are GNU's. A full unpadded group has no unused
    // bits, which strict decoders would otherwise reject.
    let mut group = tail[..valid].to_vec();
    group.resize(group_len, filler);
    let mut bytes = Vec::new();
    if codec.decode_into_vec(&group, &mut bytes).is_err() {
        return Vec::new();
    }
    bytes.truncate(keep);
    bytes
}

/// Counts the bytes other than newline that `input` still holds, up to
/// `wanted`, consuming them. GNU reads them into the group of an invalid
/// byte (only `\n` is skipped there, not `\r`).
pub fn count_following(
    input: &mut dyn BufRead,
    mut seen: usize,
    wanted: usize,
) -> io::Result<usize> {
    while seen < wanted {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            break;
        }
        let mut used = 0;
        for &byte in buffer {
            if seen == wanted {
                break;
            }
            used += 1;
            if byte != b'\n' {
                seen += 1;
            }
        }
        input.consume(used);
    }
    Ok(seen)
}

/// Counts the bytes other than newline in `bytes`, up to `wanted`.
pub fn count_non_newline(bytes: &[u8], wanted: usize) -> usize {
    bytes.iter().filter(|&&b| b != b'\n').take(wanted).count()
}

#[cfg(test)]
mod tests {
    use super::{PartialGroup, count_following, count_non_newline, decode_groups, tail_bytes};
    use crate::base_common::get_supports_fast_decode_and_encode;
    use std::io::Cursor;
    use uucore::encoding::Format;

    fn tail(format: Format, text: &str) -> Vec<u8> {
        let codec = get_supports_fast_decode_and_encode(format, true, true);
        tail_bytes(codec.as_ref(), text.as_bytes())
    }

    #[test]
    fn base64_tail_gives_the_bytes_its_characters_hold() {
        assert_eq!(tail(Format::Base64, "Q"), b"");
        assert_eq!(tail(Format::Base64, "QQ"), b"A");
        assert_eq!(tail(Format::Base64, "QUJ"), b"AB");
        // Non-zero unused bits, which a strict decoder refuses: GNU ignores them.
        assert_eq!(tail(Format::Base64, "QR"), b"A");
        assert_eq!(tail(Format::Base64, "QQ="), b"A");
        assert_eq!(tail(Format::Base64Url, "QUJ"), b"AB");
    }

    #[test]
    fn base32_tail_stops_at_padding() {
        assert_eq!(tail(Format::Base32, "MZXW6"), b"foo");
        assert_eq!(tail(Format::Base32, "MZXW6Y"), b"foo");
        assert_eq!(tail(Format::Base32, "MZXW6YQ"), b"foob");
        assert_eq!(tail(Format::Base32, "MZXW6="), b"foo");
        assert_eq!(tail(Format::Base32, "MZX="), b"f");
        assert_eq!(tail(Format::Base32Hex, "CPNMU"), b"foo");
    }

    #[test]
    fn short_tails_and_z85_give_nothing() {
        assert_eq!(tail(Format::Base16, "4"), b"");
        assert_eq!(tail(Format::Base2Msbf, "0100000"), b"");
        assert_eq!(tail(Format::Z85, "nm=Q"), b"");
    }

    /// `decode_groups` of `text`: the bytes, and whether it succeeded.
    fn groups(format: Format, text: &str) -> (Vec<u8>, bool) {
        let codec = get_supports_fast_decode_and_encode(format, true, true);
        let mut out = Vec::new();
        let ok = decode_groups(codec.as_ref(), text.as_bytes(), &mut out).is_ok();
        (out, ok)
    }

    #[test]
    fn padded_groups_decode_like_gnu() {
        assert_eq!(
            groups(Format::Base64, "QUJDRA==QQ=="),
            (b"ABCDA".to_vec(), true)
        );
        assert_eq!(groups(Format::Base64, "QR=="), (b"A".to_vec(), true));
        assert_eq!(groups(Format::Base64, "QUJ="), (b"AB".to_vec(), true));
        assert_eq!(groups(Format::Base32, "MZXW6==="), (b"foo".to_vec(), true));
        assert_eq!(groups(Format::Base32, "MZXW===="), (b"fo".to_vec(), true));
    }

    #[test]
    fn misplaced_padding_fails_after_the_bytes_before_it() {
        // One character before `=` holds no whole byte.
        assert_eq!(groups(Format::Base64, "QUJDQ==="), (b"ABC".to_vec(), false));
        assert_eq!(groups(Format::Base64, "QQ=A"), (b"A".to_vec(), false));
        // 6 base32 characters leave a whole unused character.
        assert_eq!(
            groups(Format::Base32, "QUJDQQ=="),
            (vec![0x85, 0x12, 0x38], false)
        );
        assert_eq!(groups(Format::Base32, "MZX====="), (b"f".to_vec(), false));
        // An incomplete group is never valid.
        assert_eq!(groups(Format::Base64, "QUJDRA"), (b"ABCD".to_vec(), false));
    }

    #[test]
    fn z85_equals_sign_is_a_digit() {
        // `=` is a z85 digit: no padding rules apply to it.
        assert_eq!(groups(Format::Z85, "nm=QN"), (b"Hell".to_vec(), true));
        // A group above 2^32 is invalid and gives nothing.
        assert_eq!(groups(Format::Z85, "nm=QN%%%%%"), (b"Hell".to_vec(), false));
    }

    #[test]
    fn base32_decodes_only_a_full_group() {
        let group = PartialGroup::for_format(Format::Base32);
        // `MZXW6*` + 2 more characters make 8.
        assert_eq!(group.lookahead(5, 8), 2);
        assert!(group.decodes_before_invalid(2, 2));
        assert!(!group.decodes_before_invalid(1, 2));
        assert!(!group.decodes_at_end());
        let base64 = PartialGroup::for_format(Format::Base64);
        assert_eq!(base64.lookahead(3, 4), 0);
        assert!(base64.decodes_before_invalid(0, 0));
        assert!(base64.decodes_at_end());
        let z85 = PartialGroup::for_format(Format::Z85);
        assert!(!z85.decodes_before_invalid(4, 0));
        assert!(!z85.decodes_at_end());
    }

    #[test]
    fn following_bytes_skip_newlines_only() {
        assert_eq!(count_non_newline(b"A\nB\rC", 2), 2);
        assert_eq!(count_non_newline(b"\n\r", 5), 1);
        let mut input = Cursor::new(b"x\n\nyz".to_vec());
        assert_eq!(count_following(&mut input, 1, 3).unwrap(), 3);
        // Stops as soon as it has enough.
        assert_eq!(input.position(), 4);
        let mut short = Cursor::new(b"\n".to_vec());
        assert_eq!(count_following(&mut short, 0, 2).unwrap(), 0);
    }
}
