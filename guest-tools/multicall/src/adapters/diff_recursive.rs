//! `diff -r`: compares two directory trees, as GNU diff does.
//!
//! diffutils 0.6 compares two files only. The walk is done here, and every
//! pair of files present on both sides goes through the same comparison as
//! a plain `diff` ([`compare`]), so formats and options behave alike.
//!
//! Output, in name order (bytes, as in the C locale):
//! - `Only in DIR: NAME` for an entry on one side only;
//! - `diff SWITCHES A/NAME B/NAME` followed by the differences, for files
//!   that differ (only the `Files ... differ` line with `-q`);
//! - `Binary files A/NAME and B/NAME differ` when either holds a NUL byte
//!   (without `-q`, which says `Files ... differ` for every kind of file);
//! - `File A/NAME is a KIND while file B/NAME is a KIND` for a type clash.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io::{self, Write};

use diffutilslib::params::Params;
use diffutilslib::utils::report_failure_to_read_input_file;

use super::diffutils::{compare, DIFFERENT, TROUBLE};

/// How much of a file is searched for a NUL byte to call it binary; GNU
/// looks at its first read buffer.
const BINARY_PROBE: usize = 32 * 1024;

/// Compares the directories `params.from` and `params.to`; `switches` are
/// the options as given, for the `diff ...` lines. Returns the exit status.
pub fn run(params: Params, switches: &str) -> i32 {
    let mut walk = Walk {
        params,
        switches,
        status: 0,
        out: io::stdout().lock(),
    };
    let (from, to) = (walk.params.from.clone(), walk.params.to.clone());
    walk.directories(&from, &to);
    if let Err(err) = walk.out.flush() {
        eprintln!("diff: write error: {err}");
        return TROUBLE;
    }
    walk.status
}

/// State of one recursive comparison.
struct Walk<'a> {
    /// The parsed options; `from` and `to` are set per file pair.
    params: Params,
    /// The options as given, repeated in `diff ...` lines.
    switches: &'a str,
    /// The exit status so far.
    status: i32,
    /// Standard output.
    out: io::StdoutLock<'static>,
}

impl Walk<'_> {
    /// Compares the entries of the directories `from` and `to`.
    fn directories(&mut self, from: &OsString, to: &OsString) {
        let (Some(from_names), Some(to_names)) = (self.names(from), self.names(to)) else {
            return;
        };
        for name in from_names.union(&to_names) {
            let from_path = join(from, name);
            let to_path = join(to, name);
            match (from_names.contains(name), to_names.contains(name)) {
                (true, true) => self.entries(&from_path, &to_path),
                (true, false) => self.only_in(from, name),
                _ => self.only_in(to, name),
            }
        }
    }

    /// Compares two entries of the same name.
    fn entries(&mut self, from: &OsString, to: &OsString) {
        let (Some(from_meta), Some(to_meta)) = (self.metadata(from), self.metadata(to)) else {
            return;
        };
        if from_meta.is_dir() && to_meta.is_dir() {
            self.directories(from, to);
        } else if from_meta.is_file() && to_meta.is_file() {
            self.files(from, to);
        } else {
            let line = format!(
                "File {} is a {} while file {} is a {}\n",
                from.to_string_lossy(),
                kind(&from_meta),
                to.to_string_lossy(),
                kind(&to_meta)
            );
            self.print(line.as_bytes());
            self.status = self.status.max(DIFFERENT);
        }
    }

    /// Compares two regular files.
    fn files(&mut self, from: &OsString, to: &OsString) {
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
                from.to_string_lossy(),
                to.to_string_lossy()
            );
            self.print(line.as_bytes());
            return;
        }
        self.params.from = from.clone();
        self.params.to = to.clone();
        match compare(&self.params, &from_data, &to_data) {
            Ok(comparison) => {
                if !self.params.brief {
                    let header = format!(
                        "diff{} {} {}\n",
                        self.switches,
                        from.to_string_lossy(),
                        to.to_string_lossy()
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

    /// The entry names of `dir`, sorted; `None` after reporting an error.
    fn names(&mut self, dir: &OsString) -> Option<BTreeSet<OsString>> {
        let listing = fs::read_dir(dir).and_then(|entries| {
            entries
                .map(|entry| entry.map(|entry| entry.file_name()))
                .collect::<io::Result<BTreeSet<_>>>()
        });
        self.reported(dir, listing)
    }

    /// Metadata of `path`, following symbolic links; `None` after reporting
    /// an error.
    fn metadata(&mut self, path: &OsString) -> Option<Metadata> {
        self.reported(path, fs::metadata(path))
    }

    /// Content of the file `path`; `None` after reporting an error.
    fn read(&mut self, path: &OsString) -> Option<Vec<u8>> {
        self.reported(path, fs::read(path))
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
    fn binary_means_a_nul_byte_near_the_start() {
        assert!(is_binary(b"ab\0c"));
        assert!(!is_binary(b"abc\n"));
        let mut late = vec![b'a'; BINARY_PROBE];
        late.push(0);
        assert!(!is_binary(&late));
    }
}
