//! `diff` of two directories, with or without `-r`, as GNU diff does it.
//!
//! diffutils 0.6 compares two files only. The walk is done here, and every
//! pair of files goes through the same comparison as a plain `diff`
//! ([`compare`]), so formats and options behave alike.
//!
//! Output, in name order (bytes, as in the C locale):
//! - `Only in DIR: NAME` for an entry on one side only (unless `-N`, which
//!   compares it with an empty file);
//! - `diff SWITCHES A/NAME B/NAME` followed by the differences, for files
//!   that differ (only the `Files ... differ` line with `-q`);
//! - `Binary files A/NAME and B/NAME differ` when either holds a NUL byte
//!   (without `-q`, which says `Files ... differ` for every kind of file);
//! - `File A/NAME is a KIND while file B/NAME is a KIND` for a type clash;
//! - `Common subdirectories: A/NAME and B/NAME` without `-r`.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io::{self, Write};

use diffutilslib::params::Params;
use diffutilslib::utils::report_failure_to_read_input_file;

use super::diff_output::compare;
use super::diffutils::{ModuleFlags, DIFFERENT, TROUBLE};

/// How much of a file is searched for a NUL byte to call it binary; GNU
/// looks at its first read buffer.
const BINARY_PROBE: usize = 32 * 1024;

/// Compares the directories `params.from` and `params.to`; `switches` are
/// the options as given, for the `diff ...` lines. Returns the exit status.
pub fn run(params: Params, switches: &str, flags: &ModuleFlags) -> i32 {
    let mut walk = Walk {
        params,
        switches,
        recursive: flags.recursive,
        new_file: flags.new_file,
        status: 0,
        out: io::stdout().lock(),
    };
    let (from, to) = (walk.params.from.clone(), walk.params.to.clone());
    walk.directories(Side::present(&from), Side::present(&to));
    if let Err(err) = walk.out.flush() {
        eprintln!("diff: write error: {err}");
        return TROUBLE;
    }
    walk.status
}

/// One side of a comparison: a path, which may be absent under `-N`.
#[derive(Clone, Copy)]
struct Side<'p> {
    /// The path, as printed.
    path: &'p OsString,
    /// The entry exists (`false` only for the missing side under `-N`).
    exists: bool,
}

impl<'p> Side<'p> {
    /// An existing entry.
    fn present(path: &'p OsString) -> Self {
        Side { path, exists: true }
    }
}

/// State of one directory comparison.
struct Walk<'a> {
    /// The parsed options; `from` and `to` are set per file pair.
    params: Params,
    /// The options as given, repeated in `diff ...` lines.
    switches: &'a str,
    /// `-r`: descend into common subdirectories.
    recursive: bool,
    /// `-N`: compare an entry present on one side with an empty file.
    new_file: bool,
    /// The exit status so far.
    status: i32,
    /// Standard output.
    out: io::StdoutLock<'static>,
}

impl Walk<'_> {
    /// Compares the entries of the directories `from` and `to`.
    fn directories(&mut self, from: Side<'_>, to: Side<'_>) {
        let (Some(from_names), Some(to_names)) = (self.names(from), self.names(to)) else {
            return;
        };
        for name in from_names.union(&to_names) {
            let from_path = join(from.path, name);
            let to_path = join(to.path, name);
            let from_side = Side {
                path: &from_path,
                exists: from_names.contains(name),
            };
            let to_side = Side {
                path: &to_path,
                exists: to_names.contains(name),
            };
            match (from_side.exists, to_side.exists) {
                (true, true) => self.entries(from_side, to_side),
                _ if self.new_file => self.one_sided(from_side, to_side),
                (true, false) => self.only_in(from.path, name),
                _ => self.only_in(to.path, name),
            }
        }
    }

    /// Compares two entries of the same name.
    fn entries(&mut self, from: Side<'_>, to: Side<'_>) {
        let (Some(from_meta), Some(to_meta)) = (self.metadata(from.path), self.metadata(to.path))
        else {
            return;
        };
        if from_meta.is_dir() && to_meta.is_dir() {
            if self.recursive {
                self.directories(from, to);
            } else {
                let line = format!(
                    "Common subdirectories: {} and {}\n",
                    from.path.to_string_lossy(),
                    to.path.to_string_lossy()
                );
                self.print(line.as_bytes());
            }
        } else if from_meta.is_file() && to_meta.is_file() {
            self.files(from, to);
        } else {
            let line = format!(
                "File {} is a {} while file {} is a {}\n",
                from.path.to_string_lossy(),
                kind(&from_meta),
                to.path.to_string_lossy(),
                kind(&to_meta)
            );
            self.print(line.as_bytes());
            self.status = self.status.max(DIFFERENT);
        }
    }

    /// Under `-N`, compares an entry present on one side only with nothing.
    fn one_sided(&mut self, from: Side<'_>, to: Side<'_>) {
        let present = if from.exists { from } else { to };
        let Some(meta) = self.metadata(present.path) else {
            return;
        };
        if meta.is_dir() && self.recursive {
            self.directories(from, to);
        } else if meta.is_file() {
            self.files(from, to);
        } else {
            let (dir, name) = split_last(present.path);
            self.only_in(&dir, &name);
        }
    }

    /// Compares two regular files (one may be absent under `-N`).
    fn files(&mut self, from: Side<'_>, to: Side<'_>) {
        let (Some(from_data), Some(to_data)) = (self.read(from), self.read(to)) else {
            return;
        };
        if from_data == to_data {
            return;
        }
        self.status = self.status.max(DIFFERENT);
        if !self.params.brief && (is_binary(&from_data) || is_binary(&to_data)) {
            let line = format!(
                "Binary files {} and {} differ\n",
                from.path.to_string_lossy(),
                to.path.to_string_lossy()
            );
            self.print(line.as_bytes());
            return;
        }
        self.params.from = from.path.clone();
        self.params.to = to.path.clone();
        match compare(&self.params, &from_data, &to_data) {
            Ok(comparison) => {
                if !self.params.brief {
                    let header = format!(
                        "diff{} {} {}\n",
                        self.switches,
                        from.path.to_string_lossy(),
                        to.path.to_string_lossy()
                    );
                    self.print(header.as_bytes());
                }
                self.print(&comparison.output);
            }
            Err(code) => self.status = self.status.max(code),
        }
    }

    /// Reports an entry found on one side only.
    fn only_in(&mut self, dir: &OsString, name: &OsString) {
        let line = format!(
            "Only in {}: {}\n",
            dir.to_string_lossy(),
            name.to_string_lossy()
        );
        self.print(line.as_bytes());
        self.status = self.status.max(DIFFERENT);
    }

    /// The entry names of a directory, sorted (none for an absent side);
    /// `None` after reporting an error.
    fn names(&mut self, dir: Side<'_>) -> Option<BTreeSet<OsString>> {
        if !dir.exists {
            return Some(BTreeSet::new());
        }
        let listing = fs::read_dir(dir.path).and_then(|entries| {
            entries
                .map(|entry| entry.map(|entry| entry.file_name()))
                .collect::<io::Result<BTreeSet<_>>>()
        });
        self.reported(dir.path, listing)
    }

    /// Metadata of `path`, following symbolic links; `None` after reporting
    /// an error.
    fn metadata(&mut self, path: &OsString) -> Option<Metadata> {
        self.reported(path, fs::metadata(path))
    }

    /// Content of a file (empty for an absent side); `None` after reporting
    /// an error.
    fn read(&mut self, file: Side<'_>) -> Option<Vec<u8>> {
        if !file.exists {
            return Some(Vec::new());
        }
        self.reported(file.path, fs::read(file.path))
    }

    /// The value of `result`, or `None` after reporting its error for
    /// `path` as diff does (status 2, the walk goes on).
    fn reported<T>(&mut self, path: &OsString, result: io::Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                // Keep stdout and stderr in order for a reader of both.
                let _ = self.out.flush();
                report_failure_to_read_input_file(&self.params.executable, path, &err);
                self.status = TROUBLE;
                None
            }
        }
    }

    /// Writes to standard output; a write error ends the walk's success.
    fn print(&mut self, bytes: &[u8]) {
        if let Err(err) = self.out.write_all(bytes) {
            if err.kind() != io::ErrorKind::BrokenPipe {
                eprintln!("diff: write error: {err}");
            }
            self.status = TROUBLE;
        }
    }
}

/// `dir/name`, without doubling a trailing slash of `dir`.
fn join(dir: &OsString, name: &OsString) -> OsString {
    let mut path = dir.clone();
    if !dir.as_encoded_bytes().ends_with(b"/") {
        path.push("/");
    }
    path.push(name);
    path
}

/// `path` split at its last `/` into directory and name, the inverse of
/// [`join`] for the paths the walk builds.
fn split_last(path: &OsString) -> (OsString, OsString) {
    let text = path.to_string_lossy();
    match text.rsplit_once('/') {
        Some((dir, name)) => (dir.into(), name.into()),
        None => (".".into(), text.as_ref().into()),
    }
}

/// The GNU name of a file's type in "File ... is a ..." lines.
fn kind(meta: &Metadata) -> &'static str {
    if meta.is_dir() {
        "directory"
    } else if meta.is_file() && meta.len() == 0 {
        "regular empty file"
    } else if meta.is_file() {
        "regular file"
    } else if meta.file_type().is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

/// Whether `data` looks binary to diff: a NUL byte near its start.
fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(BINARY_PROBE)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_adds_one_slash() {
        let name = OsString::from("f");
        assert_eq!(join(&OsString::from("a"), &name), "a/f");
        assert_eq!(join(&OsString::from("a/"), &name), "a/f");
    }

    #[test]
    fn split_last_undoes_join() {
        let joined = join(&OsString::from("a/b"), &OsString::from("c"));
        assert_eq!(split_last(&joined), ("a/b".into(), "c".into()));
    }

    #[test]
    fn binary_means_a_nul_byte_near_the_start() {
        assert!(is_binary(b"ab\0c"));
        assert!(!is_binary(b"abc\n"));
        let mut late = vec![b'a'; BINARY_PROBE];
        late.push(0);
        assert!(!is_binary(&late));
    }
}
