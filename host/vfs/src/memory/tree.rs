//! The persistent inode table and its quota accounting.
//!
//! A [`Tree`] is a value: cloning it is O(1) (the inode table is an `imbl`
//! hash array mapped trie behind an `Arc`), and the clone and the original
//! then share every node until one of them modifies it. That is the whole
//! fork mechanism of [`MemFs`](super::MemFs).

use super::inode::{Dir, Ino, Inode, Kind, ROOT_INO};
use crate::Errno;
use imbl::shared_ptr::DefaultSharedPtr;
use imbl::GenericHashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::SystemTime;

/// The inode table: inode number to shared inode.
type InodeMap = GenericHashMap<Ino, Arc<Inode>, InoHasher, DefaultSharedPtr>;

/// A hasher for inode numbers. They are small sequential integers that no
/// guest controls, so SipHash's flooding protection buys nothing; a
/// multiplication by an odd constant spreads them over the trie's levels and
/// costs a nanosecond instead of twenty.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct InoHasher;

/// The state of [`InoHasher`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct InoHash(u64);

impl BuildHasher for InoHasher {
    type Hasher = InoHash;

    fn build_hasher(&self) -> InoHash {
        InoHash(0)
    }
}

impl Hasher for InoHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        // The golden-ratio constant is odd, so the map is a bijection on the
        // low 32 bits the trie uses: distinct inodes never collide there.
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// All inodes of one filesystem plus the quota counters.
#[derive(Clone, Debug)]
pub(crate) struct Tree {
    inodes: InodeMap,
    next_ino: Ino,
    /// Sum of [`Inode::cost`] over all inodes except the empty root's own.
    used: u64,
    /// Byte quota; `u64::MAX` means unlimited.
    limit: u64,
}

impl Tree {
    /// A tree holding only an empty root directory.
    pub fn new(limit: u64) -> Tree {
        Tree::with_first_ino(limit, ROOT_INO + 1)
    }

    /// Like [`Tree::new`], numbering new inodes from `first` (the root
    /// stays [`ROOT_INO`]); lets a layer keep its numbers apart from another
    /// filesystem's.
    pub fn with_first_ino(limit: u64, first: Ino) -> Tree {
        let now = SystemTime::now();
        let mut inodes = InodeMap::with_hasher(InoHasher);
        let root = Inode::new(Kind::Dir(Dir::new(ROOT_INO)), now);
        inodes.insert(ROOT_INO, Arc::new(root));
        Tree {
            inodes,
            next_ino: first.max(ROOT_INO + 1),
            used: 0,
            limit,
        }
    }

    /// The quota in bytes (`u64::MAX` when unlimited).
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Bytes charged against the quota.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// Number of live inodes (including the root and open unlinked files).
    pub fn inode_count(&self) -> usize {
        self.inodes.len()
    }

    /// True if both trees still share their whole inode table (one is an
    /// unchanged fork of the other): then they hold the same objects.
    pub fn same_table(&self, other: &Tree) -> bool {
        self.inodes.ptr_eq(&other.inodes)
    }

    /// Bytes that may still be added before the quota is reached.
    pub fn room(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }

    /// Fails with `ENOSPC` unless `extra` more bytes fit in the quota.
    pub fn reserve(&self, extra: u64) -> Result<(), Errno> {
        if extra > self.room() {
            Err(Errno::NoSpc)
        } else {
            Ok(())
        }
    }

    /// The inode `ino`. Every inode number the filesystem hands around (in
    /// directory entries, in open handles) is live, so a miss is a bug.
    pub fn get(&self, ino: Ino) -> &Inode {
        self.inodes
            .get(&ino)
            .unwrap_or_else(|| panic!("inode {ino} is referenced but not in the table"))
    }

    /// The inode `ino` if it is live.
    pub fn try_get(&self, ino: Ino) -> Option<&Inode> {
        self.inodes.get(&ino).map(|inode| &**inode)
    }

    /// Modifies inode `ino` in place, copying it (and the table path to it)
    /// first if a fork shares it, and keeps the quota counter in step.
    ///
    /// The closure must not grow the inode past what the caller reserved;
    /// the counter is adjusted whatever happens, so it never drifts.
    pub fn update<R>(&mut self, ino: Ino, f: impl FnOnce(&mut Inode) -> R) -> R {
        let slot = self
            .inodes
            .get_mut(&ino)
            .unwrap_or_else(|| panic!("inode {ino} is referenced but not in the table"));
        let inode = Arc::make_mut(slot);
        let before = inode.cost();
        let result = f(inode);
        let after = inode.cost();
        self.used = (self.used + after).saturating_sub(before);
        result
    }

    /// Adds a new inode and returns its number.
    pub fn insert(&mut self, inode: Inode) -> Ino {
        let ino = self.next_ino;
        self.next_ino += 1;
        self.used += inode.cost();
        self.inodes.insert(ino, Arc::new(inode));
        ino
    }

    /// Drops inode `ino` and refunds its cost.
    pub fn remove(&mut self, ino: Ino) {
        if let Some(inode) = self.inodes.remove(&ino) {
            self.used = self.used.saturating_sub(inode.cost());
        }
    }

    /// The parent of directory `ino` (the root's parent is the root).
    pub fn parent(&self, ino: Ino) -> Ino {
        self.get(ino).as_dir().map_or(ROOT_INO, |dir| dir.parent)
    }

    /// True if directory `ancestor` is `dir` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: Ino, mut dir: Ino) -> bool {
        loop {
            if dir == ancestor {
                return true;
            }
            if dir == ROOT_INO {
                return false;
            }
            dir = self.parent(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::inode::INODE_COST;

    #[test]
    fn clone_shares_and_diverges() {
        let mut a = Tree::new(u64::MAX);
        let now = SystemTime::now();
        let file = a.insert(Inode::new(Kind::File(Arc::new(b"x".to_vec())), now));
        let mut b = a.clone();
        b.update(file, |inode| inode.file_mut().push(b'y'));
        assert_eq!(a.get(file).as_file().unwrap().as_slice(), b"x");
        assert_eq!(b.get(file).as_file().unwrap().as_slice(), b"xy");
        assert_eq!(b.used(), a.used() + 1);
    }

    #[test]
    fn accounting_follows_inserts_updates_and_removals() {
        let mut tree = Tree::new(1000);
        let now = SystemTime::now();
        let ino = tree.insert(Inode::new(Kind::File(Arc::new(Vec::new())), now));
        assert_eq!(tree.used(), INODE_COST);
        tree.update(ino, |inode| inode.file_mut().resize(100, 0));
        assert_eq!(tree.used(), INODE_COST + 100);
        assert_eq!(tree.reserve(1000).unwrap_err(), Errno::NoSpc);
        tree.remove(ino);
        assert_eq!(tree.used(), 0);
        assert!(tree.try_get(ino).is_none());
    }

    #[test]
    fn hasher_keeps_small_inodes_apart_in_the_low_bits() {
        let mut seen = std::collections::HashSet::new();
        for ino in 0..100_000u64 {
            assert!(seen.insert(InoHasher.hash_one(ino) as u32));
        }
    }
}
