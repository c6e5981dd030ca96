//! Comparing two directories: their entries, merged in name order (bytes,
//! as in the C locale), each pair handed back to
//! [`Session::compare_files`]. Without `-r` that prints `Common
//! subdirectories: a/x and b/x` for directories; with it, it descends.

use std::cmp::Ordering;

use crate::compare::{write_error, Operand, Parent, Session, State, SAME};
use crate::error::{self, Error};
use crate::glob;
use crate::meta;
use crate::options::getopt::{bytes, os};

/// How deep directories may nest when the platform cannot tell a loop
/// (no inode numbers under WASI).
const MAX_DEPTH: usize = 1024;

impl Session<'_> {
    /// GNU's `diff_dirs`: compares the entries of the directories `ops`
    /// (either may stand for an empty one).
    pub fn diff_dirs(&mut self, parent: Option<&Parent>, ops: &[Operand; 2]) -> Result<i32, Error> {
        let ids = [0, 1].map(|f| {
            let m = ops[f].state.meta()?;
            if matches!(ops[f].state, State::Absent(_)) {
                return None;
            }
            meta::dir_id(&os(&ops[f].path), m)
        });
        let absent = [0, 1].map(|f| matches!(ops[f].state, State::Absent(_)));
        let depth = parent.map_or(1, |p| p.depth + 1);
        let looping = |f: usize| {
            if absent[f] {
                return true;
            }
            match ids[f] {
                Some(id) => std::iter::successors(parent, |p| p.up).any(|p| p.ids[f] == Some(id)),
                None => depth > MAX_DEPTH,
            }
        };
        if looping(0) && looping(1) {
            let which = usize::from(absent[0]);
            let mut msg = b"diff: ".to_vec();
            msg.extend_from_slice(&ops[which].path);
            msg.extend_from_slice(b": recursive directory loop\n");
            self.err.write_all(&msg).map_err(write_error)?;
            return Ok(error::TROUBLE);
        }

        let mut lists: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
        let mut status = SAME;
        for f in 0..2 {
            if absent[f] {
                continue;
            }
            match self.read_dir(&ops[f].path) {
                Ok(names) => lists[f] = names,
                Err(e) => {
                    error::report_io(self.err, &ops[f].path, &e).map_err(write_error)?;
                    status = error::TROUBLE;
                }
            }
        }
        if status != SAME {
            return Ok(status);
        }
        let fold = self.opts.files.ignore_file_name_case;
        for list in &mut lists {
            list.sort_by(|a, b| compare_names(a, b, fold));
        }
        let mut idx = [0usize, 0usize];
        if let (None, Some(start)) = (parent, &self.opts.files.starting_file) {
            for f in 0..2 {
                while idx[f] < lists[f].len()
                    && compare_names(&lists[f][idx[f]], start, fold) == Ordering::Less
                {
                    idx[f] += 1;
                }
            }
        }

        let this = Parent {
            paths: [ops[0].path.clone(), ops[1].path.clone()],
            ids,
            absent,
            up: parent,
            depth,
        };
        while idx[0] < lists[0].len() || idx[1] < lists[1].len() {
            let order = match (lists[0].get(idx[0]), lists[1].get(idx[1])) {
                (None, _) => Ordering::Greater,
                (_, None) => Ordering::Less,
                (Some(a), Some(b)) => compare_names(a, b, fold),
            };
            let name0 = (order != Ordering::Greater).then(|| lists[0][idx[0]].clone());
            let name1 = (order != Ordering::Less).then(|| lists[1][idx[1]].clone());
            idx[0] += usize::from(name0.is_some());
            idx[1] += usize::from(name1.is_some());
            let v = self.compare_files(Some(&this), name0.as_deref(), name1.as_deref())?;
            status = status.max(v);
        }
        Ok(status)
    }

    /// The names in a directory, less `.`, `..` and excluded ones.
    fn read_dir(&self, path: &[u8]) -> std::io::Result<Vec<Vec<u8>>> {
        let fold = self.opts.files.ignore_file_name_case;
        let excluded = |name: &[u8]| {
            self.opts
                .files
                .exclude
                .iter()
                .any(|p| glob::matches(p, name, fold))
        };
        let mut names = Vec::new();
        for entry in std::fs::read_dir(os(path))? {
            let name = bytes(&entry?.file_name());
            if name != b"." && name != b".." && !excluded(&name) {
                names.push(name);
            }
        }
        Ok(names)
    }
}

fn compare_names(a: &[u8], b: &[u8], fold: bool) -> Ordering {
    if fold {
        let la = a.iter().map(u8::to_ascii_lowercase);
        let lb = b.iter().map(u8::to_ascii_lowercase);
        la.cmp(lb)
    } else {
        a.cmp(b)
    }
}
