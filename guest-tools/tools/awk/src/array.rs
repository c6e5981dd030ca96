//! awk associative arrays: string keys to values, iterated in insertion order (deletions
//! move the last entry into the hole, so order is only a convenience, as in every awk).

use crate::value::{Str, Value};
use indexmap::IndexMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: keys are short and attacker-chosen keys only slow down the caller's own program.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits depending only on the low input bits, and
        // hashbrown picks buckets from the low bits: keys "1".."999999" would collide in
        // droves. A final avalanche (murmur3's fmix64) spreads every input bit.
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// An associative array.
#[derive(Default, Debug)]
pub struct Array {
    map: IndexMap<Str, Value, BuildHasherDefault<FxHasher>>,
}

impl Array {
    /// The value at `key`, if present.
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<&Value> {
        self.map.get(key)
    }

    /// The value at `key`, created uninitialized if absent (awk's reference semantics).
    #[inline]
    pub fn get_or_create(&mut self, key: &[u8]) -> &mut Value {
        if let Some(i) = self.map.get_index_of(key) {
            return &mut self.map[i];
        }
        let (i, _) = self.map.insert_full(Str::from(key), Value::Uninit);
        &mut self.map[i]
    }

    /// Sets `key` to `v`.
    pub fn set(&mut self, key: &[u8], v: Value) {
        *self.get_or_create(key) = v;
    }

    /// Whether `key` is present.
    #[inline]
    pub fn contains(&self, key: &[u8]) -> bool {
        self.map.contains_key(key)
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &[u8]) {
        self.map.swap_remove(key);
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// A snapshot of the keys, for `for (k in a)` (the body may modify the array).
    pub fn keys(&self) -> Vec<Str> {
        self.map.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_low_bits_spread_numeric_keys() {
        use std::hash::BuildHasher;
        let b = BuildHasherDefault::<FxHasher>::default();
        let mut seen = std::collections::HashSet::new();
        for i in 0..1024u32 {
            let key = i.to_string();
            seen.insert(b.hash_one(key.as_bytes()) & 1023);
        }
        // A good hash fills about 63% of the buckets; the bare Fx multiply filled a few.
        assert!(seen.len() > 500, "only {} of 1024 buckets used", seen.len());
    }

    #[test]
    fn insert_lookup_delete() {
        let mut a = Array::default();
        a.set(b"x", Value::Num(1.0));
        *a.get_or_create(b"y") = Value::Num(2.0);
        assert!(a.contains(b"x"));
        assert_eq!(a.len(), 2);
        a.remove(b"x");
        assert!(!a.contains(b"x"));
        assert_eq!(a.keys(), vec![Str::from(&b"y"[..])]);
    }
}
