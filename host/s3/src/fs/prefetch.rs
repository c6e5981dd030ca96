//! Read-ahead for directory scans.
//!
//! `grep -r`, `tar c`, `cp -r` and `diff -r` read every file of a
//! directory one after another; against a bucket, each read is a round
//! trip. When a second file of a listed directory is opened for reading,
//! the rest of that directory's small files are fetched in the background,
//! several at a time, into the cache the reads then find. One file read in
//! a directory (`cat dir/x`) triggers nothing. While a scan is going on
//! (a read-ahead started in the last two seconds), the first read in the
//! next listed directory starts its read-ahead at once.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

use super::state::{Node, State};
use super::Inner;
use crate::store::ObjectInfo;

/// Fetches in flight at once per read-ahead.
const PARALLEL: usize = 8;

/// Bytes one read-ahead may fetch.
const BUDGET: u64 = 64 << 20;

/// Directories whose listings are kept for read-ahead.
const LISTINGS_KEPT: usize = 1024;

/// How long after a read-ahead a directory scan counts as going on.
const SCAN_WINDOW: Duration = Duration::from_secs(2);

impl State {
    /// Keeps the files of a directory listing for read-ahead and restarts
    /// the directory's count of reads.
    pub fn remember_listing(&mut self, dir_key: &str, files: Vec<(String, ObjectInfo)>) {
        if self.listed_files.len() >= LISTINGS_KEPT {
            self.listed_files.clear();
            self.dir_opens.clear();
        }
        self.dir_opens.remove(dir_key);
        if files.len() > 2 {
            self.listed_files
                .insert(dir_key.to_owned(), Arc::new(files));
        }
    }
}

impl Inner {
    /// Notes that the file at `key` is opened for reading; the second such
    /// open in a listed directory starts the read-ahead of the others.
    pub(crate) fn note_read(self: &Arc<Self>, key: &str) {
        let dir_key = key.rfind('/').map_or("", |i| &key[..=i]);
        let files = {
            let mut st = self.state();
            let scanning = st
                .last_read_ahead
                .is_some_and(|t| t.elapsed() < SCAN_WINDOW);
            let opens = st.dir_opens.entry(dir_key.to_owned()).or_insert(0);
            *opens += 1;
            let start_at = if scanning { 1 } else { 2 };
            if *opens != start_at {
                return;
            }
            match st.listed_files.remove(dir_key) {
                Some(files) => {
                    st.last_read_ahead = Some(Instant::now());
                    files
                }
                None => return,
            }
        };
        let inner = self.clone();
        tokio::spawn(async move { inner.read_ahead(&files).await });
    }

    /// Loads the small, unread, unchanged files of `files` into the cache.
    /// Failures are left for the reads themselves to report.
    async fn read_ahead(self: Arc<Self>, files: &[(String, ObjectInfo)]) {
        let mut budget = BUDGET;
        let mut set = JoinSet::new();
        for (key, info) in files {
            if info.size > self.config.whole_read_limit || info.size > budget {
                continue;
            }
            let node = {
                let mut st = self.state();
                if st.pending.contains_key(key) {
                    continue;
                }
                match st.nodes.get(key) {
                    Some(node) => {
                        let d = node.lock();
                        if d.loaded || d.dirty || d.etag != info.etag {
                            continue;
                        }
                        drop(d);
                        node.clone()
                    }
                    None => {
                        let node = Node::remote(key, info);
                        st.nodes.insert(key.clone(), node.clone());
                        node
                    }
                }
            };
            budget -= info.size;
            while set.len() >= PARALLEL {
                set.join_next().await;
            }
            let inner = self.clone();
            let path = self.path_of(key);
            set.spawn(async move {
                let _ = inner.load(&node, &path).await;
            });
        }
        while set.join_next().await.is_some() {}
    }
}
