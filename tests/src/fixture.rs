//! Fixtures: the files a case starts from, written to a host directory (for
//! the native run and the `HostDirFs` backend) or into a [`Vfs`] (for the
//! in-memory backend).
//!
//! Every fixture object gets the same fixed modification time unless the
//! case gives one, so tools that print times (`ls -l`, `stat`, `tar tv`)
//! or compare them (`find -newer`) behave the same on every run.

use base64::Engine as _;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, SystemTime};
use wasm_agent::vfs::{Vfs, VfsResult};

/// Replaced by the case directory's absolute path in argv and symlink
/// targets, for cases about absolute paths (which differ on every run).
pub const DIR_PLACEHOLDER: &str = "@DIR@";

/// The modification time of fixture objects that set none:
/// 2024-01-15 12:00:00 UTC.
pub const DEFAULT_MTIME: u64 = 1_705_320_000;

/// One fixture path as written in a case file: plain text, or a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    /// A regular file with this text.
    Text(String),
    /// Anything else.
    Spec(EntrySpec),
}

/// The table form of a fixture entry; exactly one of `text`, `base64`,
/// `symlink` and `dir` must be given.
///
/// Symlink targets may contain [`DIR_PLACEHOLDER`], replaced by the case
/// directory's absolute path when the fixture is written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrySpec {
    /// A regular file with this text.
    #[serde(default)]
    pub text: Option<String>,
    /// A regular file with these bytes (standard base64).
    #[serde(default)]
    pub base64: Option<String>,
    /// A symbolic link with this target.
    #[serde(default)]
    pub symlink: Option<String>,
    /// An (empty unless other entries are below it) directory.
    #[serde(default)]
    pub dir: bool,
    /// Repeats `text` or `base64` contents this many times: large files
    /// without large case files. Default: 1.
    #[serde(default)]
    pub repeat: Option<usize>,
    /// With `dir = true`: fills the directory with this many files named
    /// `f0001`, `f0002`, ... holding `line <n>\n`. For listings longer
    /// than one `fd_readdir` buffer.
    #[serde(default)]
    pub fill: Option<usize>,
    /// Modification time in seconds since the epoch. Default:
    /// [`DEFAULT_MTIME`].
    #[serde(default)]
    pub mtime: Option<u64>,
}

/// What a fixture path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A regular file.
    File(Vec<u8>),
    /// A directory.
    Dir,
    /// A symbolic link and its target.
    Symlink(String),
}

/// The validated files of a case: relative paths to nodes and their times.
/// Parent directories are implied.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    nodes: BTreeMap<String, (Node, u64)>,
}

impl Fixture {
    /// Validates entries: relative paths without `.`/`..`, one kind each,
    /// decodable base64.
    pub fn new(entries: BTreeMap<String, Entry>) -> Result<Fixture, String> {
        let mut nodes = BTreeMap::new();
        for (path, entry) in entries {
            check_path(&path)?;
            let (node, mtime) = match entry {
                Entry::Text(text) => (Node::File(text.into_bytes()), None),
                Entry::Spec(spec) => {
                    let mtime = spec.mtime.unwrap_or(DEFAULT_MTIME);
                    for n in 1..=spec.fill.unwrap_or(0) {
                        let file = Node::File(format!("line {n}\n").into_bytes());
                        nodes.insert(format!("{path}/f{n:04}"), (file, mtime));
                    }
                    (spec_node(&path, &spec)?, Some(mtime))
                }
            };
            nodes.insert(path, (node, mtime.unwrap_or(DEFAULT_MTIME)));
        }
        let fixture = Fixture { nodes };
        for dir in fixture.implied_dirs() {
            if let Some((node, _)) = fixture.nodes.get(&dir) {
                if *node != Node::Dir {
                    return Err(format!(
                        "fixture `{dir}` is a file but has entries below it"
                    ));
                }
            }
        }
        Ok(fixture)
    }

    /// The explicitly given paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.nodes.keys().map(String::as_str)
    }

    /// The contents of the regular file at `path`, if the fixture has one.
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        match self.nodes.get(path) {
            Some((Node::File(bytes), _)) => Some(bytes),
            _ => None,
        }
    }

    /// Every directory that must exist: the explicit ones and all parents.
    fn implied_dirs(&self) -> BTreeSet<String> {
        let mut dirs = BTreeSet::new();
        for (path, (node, _)) in &self.nodes {
            if *node == Node::Dir {
                dirs.insert(path.clone());
            }
            let mut parent = path.as_str();
            while let Some((up, _)) = parent.rsplit_once('/') {
                dirs.insert(up.to_string());
                parent = up;
            }
        }
        dirs
    }

    /// The time of `dir` (explicit, or the default for implied ones).
    fn dir_time(&self, dir: &str) -> SystemTime {
        let secs = self.nodes.get(dir).map_or(DEFAULT_MTIME, |(_, t)| *t);
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// Directories deepest first, so setting a directory's time comes after
    /// every change inside it.
    fn dirs_deepest_first(&self) -> Vec<String> {
        let mut dirs: Vec<String> = self.implied_dirs().into_iter().collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
        dirs
    }

    /// Creates the fixture in the existing, empty host directory `root`.
    pub fn write_host(&self, root: &Path) -> std::io::Result<()> {
        for dir in self.implied_dirs() {
            std::fs::create_dir_all(root.join(&dir))?;
        }
        for (path, (node, secs)) in &self.nodes {
            let full = root.join(path);
            match node {
                Node::File(bytes) => {
                    std::fs::write(&full, bytes)?;
                    set_host_mtime(&full, *secs)?;
                }
                Node::Symlink(target) => {
                    let target = target.replace(DIR_PLACEHOLDER, &root.to_string_lossy());
                    std::os::unix::fs::symlink(target, &full)?;
                    set_host_symlink_mtime(&full, *secs)?;
                }
                Node::Dir => {}
            }
        }
        for dir in self.dirs_deepest_first() {
            let time = self.dir_time(&dir);
            std::fs::File::open(root.join(&dir))?.set_times(
                std::fs::FileTimes::new()
                    .set_accessed(time)
                    .set_modified(time),
            )?;
        }
        set_host_mtime(root, DEFAULT_MTIME)
    }

    /// Creates the fixture under `root` (an absolute path, created with its
    /// parents) in `fs`.
    pub async fn write_vfs(&self, fs: &dyn Vfs, root: &str) -> VfsResult<()> {
        let at = |path: &str| format!("{root}/{path}");
        fs.create_dir_all(root).await?;
        for dir in self.implied_dirs() {
            fs.create_dir_all(&at(&dir)).await?;
        }
        for (path, (node, secs)) in &self.nodes {
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(*secs);
            match node {
                Node::File(bytes) => {
                    fs.write_file(&at(path), bytes).await?;
                    fs.set_times(&at(path), Some(time), Some(time), false)
                        .await?;
                }
                Node::Symlink(target) => {
                    let target = target.replace(DIR_PLACEHOLDER, root);
                    fs.symlink(&target, &at(path)).await?;
                    fs.set_times(&at(path), Some(time), Some(time), false)
                        .await?;
                }
                Node::Dir => {}
            }
        }
        for dir in self.dirs_deepest_first() {
            let time = self.dir_time(&dir);
            fs.set_times(&at(&dir), Some(time), Some(time), false)
                .await?;
        }
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(DEFAULT_MTIME);
        fs.set_times(root, Some(time), Some(time), false).await
    }
}

fn set_host_mtime(path: &Path, secs: u64) -> std::io::Result<()> {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    std::fs::File::open(path)?.set_times(
        std::fs::FileTimes::new()
            .set_accessed(time)
            .set_modified(time),
    )
}

/// Sets the times of the symlink itself (`ls -l` shows them), not of its
/// target.
fn set_host_symlink_mtime(path: &Path, secs: u64) -> std::io::Result<()> {
    use rustix::fs::{AtFlags, Timespec, Timestamps, CWD};
    let time = Timespec {
        tv_sec: secs as i64,
        tv_nsec: 0,
    };
    let times = Timestamps {
        last_access: time,
        last_modification: time,
    };
    rustix::fs::utimensat(CWD, path, &times, AtFlags::SYMLINK_NOFOLLOW)?;
    Ok(())
}

fn check_path(path: &str) -> Result<(), String> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.ends_with('/')
        || path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..");
    if bad {
        return Err(format!(
            "fixture path `{path}` must be relative, without empty, `.` or `..` components"
        ));
    }
    Ok(())
}

fn spec_node(path: &str, spec: &EntrySpec) -> Result<Node, String> {
    let given = [
        spec.text.is_some(),
        spec.base64.is_some(),
        spec.symlink.is_some(),
        spec.dir,
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(format!(
            "fixture `{path}` needs exactly one of `text`, `base64`, `symlink`, `dir = true`"
        ));
    }
    if spec.fill.is_some() && !spec.dir {
        return Err(format!("fixture `{path}`: `fill` needs `dir = true`"));
    }
    let repeat = spec.repeat.unwrap_or(1);
    if spec.repeat.is_some() && spec.text.is_none() && spec.base64.is_none() {
        return Err(format!(
            "fixture `{path}`: `repeat` needs `text` or `base64`"
        ));
    }
    if let Some(text) = &spec.text {
        return Ok(Node::File(text.repeat(repeat).into_bytes()));
    }
    if let Some(encoded) = &spec.base64 {
        let compact: String = encoded.split_whitespace().collect();
        return base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map(|bytes| Node::File(bytes.repeat(repeat)))
            .map_err(|e| format!("fixture `{path}`: invalid base64: {e}"));
    }
    if let Some(target) = &spec.symlink {
        return Ok(Node::Symlink(target.clone()));
    }
    Ok(Node::Dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(f: impl FnOnce(&mut EntrySpec)) -> Entry {
        let mut s = EntrySpec {
            text: None,
            base64: None,
            symlink: None,
            dir: false,
            repeat: None,
            fill: None,
            mtime: None,
        };
        f(&mut s);
        Entry::Spec(s)
    }

    #[test]
    fn parents_are_implied_and_paths_checked() {
        let mut entries = BTreeMap::new();
        entries.insert("a/b/c.txt".to_string(), Entry::Text("x".into()));
        let fixture = Fixture::new(entries).unwrap();
        let dirs: Vec<String> = fixture.implied_dirs().into_iter().collect();
        assert_eq!(dirs, ["a", "a/b"]);
        for bad in ["/abs", "a/../b", "a//b", "./a", "dir/"] {
            let mut entries = BTreeMap::new();
            entries.insert(bad.to_string(), Entry::Text("x".into()));
            assert!(Fixture::new(entries).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn a_file_cannot_hold_entries_and_specs_need_one_kind() {
        let mut entries = BTreeMap::new();
        entries.insert("a".to_string(), Entry::Text("x".into()));
        entries.insert("a/b".to_string(), Entry::Text("y".into()));
        assert!(Fixture::new(entries).unwrap_err().contains("is a file"));
        let mut entries = BTreeMap::new();
        entries.insert(
            "d".to_string(),
            spec(|s| {
                s.dir = true;
                s.text = Some("x".into());
            }),
        );
        assert!(Fixture::new(entries).unwrap_err().contains("exactly one"));
    }

    #[test]
    fn repeat_and_fill_generate_contents() {
        let mut entries = BTreeMap::new();
        entries.insert(
            "big".to_string(),
            spec(|s| {
                s.text = Some("ab\n".into());
                s.repeat = Some(3);
            }),
        );
        entries.insert(
            "many".to_string(),
            spec(|s| {
                s.dir = true;
                s.fill = Some(12);
            }),
        );
        let fixture = Fixture::new(entries).unwrap();
        assert_eq!(fixture.file("big"), Some(&b"ab\nab\nab\n"[..]));
        assert_eq!(fixture.file("many/f0012"), Some(&b"line 12\n"[..]));
        assert_eq!(
            fixture.paths().filter(|p| p.starts_with("many/")).count(),
            12
        );
        let mut bad = BTreeMap::new();
        bad.insert(
            "l".to_string(),
            spec(|s| {
                s.symlink = Some("x".into());
                s.repeat = Some(2);
            }),
        );
        assert!(Fixture::new(bad).unwrap_err().contains("`repeat` needs"));
    }

    #[test]
    fn host_and_memory_fixtures_hold_the_same_bytes() {
        let mut entries = BTreeMap::new();
        entries.insert(
            "bin".to_string(),
            spec(|s| s.base64 = Some("AAEC/w==".into())),
        );
        entries.insert("l".to_string(), spec(|s| s.symlink = Some("bin".into())));
        entries.insert("e".to_string(), spec(|s| s.dir = true));
        entries.insert(
            "abs".to_string(),
            spec(|s| s.symlink = Some("@DIR@/bin".into())),
        );
        let fixture = Fixture::new(entries).unwrap();
        let dir = tempfile::tempdir().unwrap();
        fixture.write_host(dir.path()).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("bin")).unwrap(),
            [0, 1, 2, 255]
        );
        assert_eq!(
            std::fs::read_link(dir.path().join("l")).unwrap().to_str(),
            Some("bin")
        );
        let mtime = std::fs::metadata(dir.path().join("e"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(
            mtime,
            SystemTime::UNIX_EPOCH + Duration::from_secs(DEFAULT_MTIME)
        );

        let fs = wasm_agent::vfs::MemFs::new();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(fixture.write_vfs(&fs, "/w/case")).unwrap();
        let bytes = rt.block_on(fs.read_file("/w/case/bin")).unwrap();
        assert_eq!(bytes, [0, 1, 2, 255]);
        assert_eq!(rt.block_on(fs.read_link("/w/case/l")).unwrap(), "bin");
        assert_eq!(
            rt.block_on(fs.read_link("/w/case/abs")).unwrap(),
            "/w/case/bin"
        );
        let host_abs = std::fs::read_link(dir.path().join("abs")).unwrap();
        assert_eq!(host_abs, dir.path().join("bin"));
        let link_meta = std::fs::symlink_metadata(dir.path().join("l")).unwrap();
        let fixed = SystemTime::UNIX_EPOCH + Duration::from_secs(DEFAULT_MTIME);
        assert_eq!(link_meta.modified().unwrap(), fixed);
        let mem_link = rt.block_on(fs.symlink_metadata("/w/case/l")).unwrap();
        assert_eq!(mem_link.mtime, fixed);
    }
}
