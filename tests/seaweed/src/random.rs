//! Random numbers for port choice, bucket names and credentials, from std
//! alone: the crate must build in seconds, so no `rand`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A fresh random `u64`.
///
/// `RandomState` is seeded from the OS once per thread and then only
/// incremented, so the time, the process id and a process-wide counter are
/// hashed in as well: two processes, or two calls in one thread, never share
/// a value in practice.
pub(crate) fn next_u64() -> u64 {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    hasher.write_u128(nanos);
    hasher.finish()
}

/// A random string of `len` characters taken from `alphabet`.
pub(crate) fn string(alphabet: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut bits = next_u64();
        // Six characters per draw keep the modulo bias negligible for the
        // small alphabets used here.
        for _ in 0..6 {
            if out.len() == len {
                break;
            }
            let index = (bits % alphabet.len() as u64) as usize;
            out.push(char::from(alphabet[index]));
            bits /= alphabet.len() as u64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_have_the_length_and_alphabet_asked_for() {
        let s = string(b"abc", 37);
        assert_eq!(s.len(), 37);
        assert!(s.bytes().all(|b| b"abc".contains(&b)), "{s}");
    }

    #[test]
    fn successive_values_differ() {
        let values: std::collections::HashSet<u64> = (0..1000).map(|_| next_u64()).collect();
        assert_eq!(values.len(), 1000);
    }
}
