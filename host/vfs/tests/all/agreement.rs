//! Every backend behaves like Linux: random operation sequences run on a
//! `HostDirFs` over a temporary directory (the oracle: real Linux syscalls)
//! and on every other backend and composition; results, errnos included,
//! and the whole tree after each step must be equal.
//!
//! Paths come from a three-letter alphabet so that operations collide.
//! Symlink targets are relative, sometimes with `..`. Linux clamps a `..`
//! at the root, and so do the in-memory backends, but `HostDirFs` refuses
//! to climb out of its root on purpose (see the escape tests): when the
//! oracle answers with such a refusal the case ends there, since the
//! backends legitimately part ways.

use crate::support::{block_on, cases, seed, snapshot, Prefixed};
use proptest::prelude::*;
use std::sync::Arc;
use tempfile::TempDir;
use wasm_agent_vfs::{
    Errno, FileType, HostDirFs, MemFs, Metadata, MountFs, OpenOptions, OverlayFs, Vfs, VfsFile,
};

#[derive(Debug, Clone)]
pub(crate) enum Op {
    WriteFile(String, Vec<u8>),
    Append(String, Vec<u8>),
    WriteAt(String, u64, Vec<u8>),
    ReadFile(String),
    CreateDir(String),
    CreateDirAll(String),
    RemoveFile(String),
    RemoveDir(String),
    RemoveAll(String),
    Rename(String, String),
    Symlink(String, String),
    ReadLink(String),
    Stat(String),
    Lstat(String),
    ReadDir(String),
    SetLen(String, u64),
    HardLink(String, String),
    /// `chmod` to `0o755` (true) or `0o644`; directories keep `0o755`, so
    /// an unprivileged oracle can still search them.
    Chmod(String, bool),
    Open(String, OpenOptions),
    /// Opens a read-write handle into a slot (copying up in overlays, so
    /// every backend's handle has POSIX semantics).
    HandleOpen(usize, String),
    HandleClose(usize),
    HandleWrite(usize, u64, Vec<u8>),
    HandleRead(usize, u64),
    HandleAppend(usize, Vec<u8>),
    HandleSetLen(usize, u64),
    HandleStat(usize),
}

/// Open handles of one backend, by slot.
pub(crate) type Slots = [Option<Arc<dyn VfsFile>>; SLOTS];
pub(crate) const SLOTS: usize = 3;

/// What an operation returned, reduced to what must agree across backends
/// (no inode numbers or times; no directory sizes, which are filesystem
/// specific even among Linux filesystems).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done,
    Count(u64),
    Bytes(Vec<u8>),
    /// Kind, then length and link count unless a directory, then the
    /// owner's execute bit (the one bit no usual umask clears).
    Meta(FileType, Option<(u64, u64)>, bool),
    NoHandle,
    Names(Vec<(String, FileType)>),
    Text(String),
    Err(Errno),
}

impl Outcome {
    /// True for the errors `HostDirFs` gives where a path would climb out
    /// of its root; Linux and the in-memory backends clamp `..` at the root
    /// instead, so a case that gets here cannot be compared further.
    pub(crate) fn is_refusal(&self) -> bool {
        matches!(self, Outcome::Err(Errno::Acces | Errno::Perm | Errno::XDev))
    }
}

fn name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["a", "b", "c"])
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("/".to_owned()),
        12 => prop::collection::vec(name(), 1..=3).prop_map(|c| format!("/{}", c.join("/"))),
    ]
}

fn target() -> impl Strategy<Value = String> {
    let component = prop_oneof![4 => name(), 1 => Just("..")];
    prop::collection::vec(component, 1..=3).prop_map(|c| c.join("/"))
}

fn data() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..6)
}

fn options() -> impl Strategy<Value = OpenOptions> {
    (any::<[bool; 6]>()).prop_map(|[read, write, create, create_new, truncate, no_follow]| {
        OpenOptions {
            read,
            write,
            create,
            create_new,
            truncate,
            no_follow,
        }
    })
}

pub(crate) fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (path(), data()).prop_map(|(p, d)| Op::WriteFile(p, d)),
        2 => (path(), data()).prop_map(|(p, d)| Op::Append(p, d)),
        2 => (path(), 0..10u64, data()).prop_map(|(p, o, d)| Op::WriteAt(p, o, d)),
        2 => path().prop_map(Op::ReadFile),
        3 => path().prop_map(Op::CreateDir),
        1 => path().prop_map(Op::CreateDirAll),
        2 => path().prop_map(Op::RemoveFile),
        2 => path().prop_map(Op::RemoveDir),
        2 => path().prop_map(Op::RemoveAll),
        4 => (path(), path()).prop_map(|(a, b)| Op::Rename(a, b)),
        2 => (target(), path()).prop_map(|(t, l)| Op::Symlink(t, l)),
        1 => path().prop_map(Op::ReadLink),
        2 => path().prop_map(Op::Stat),
        2 => path().prop_map(Op::Lstat),
        2 => path().prop_map(Op::ReadDir),
        1 => (path(), 0..10u64).prop_map(|(p, l)| Op::SetLen(p, l)),
        1 => (path(), path()).prop_map(|(a, b)| Op::HardLink(a, b)),
        1 => (path(), any::<bool>()).prop_map(|(p, x)| Op::Chmod(p, x)),
        2 => (path(), options()).prop_map(|(p, o)| Op::Open(p, o)),
        2 => (0..SLOTS, path()).prop_map(|(s, p)| Op::HandleOpen(s, p)),
        1 => (0..SLOTS).prop_map(Op::HandleClose),
        2 => (0..SLOTS, 0..10u64, data()).prop_map(|(s, o, d)| Op::HandleWrite(s, o, d)),
        2 => (0..SLOTS, 0..10u64).prop_map(|(s, o)| Op::HandleRead(s, o)),
        1 => (0..SLOTS, data()).prop_map(|(s, d)| Op::HandleAppend(s, d)),
        1 => (0..SLOTS, 0..10u64).prop_map(|(s, l)| Op::HandleSetLen(s, l)),
        1 => (0..SLOTS).prop_map(Op::HandleStat),
    ]
}

fn meta_outcome(meta: &Metadata) -> Outcome {
    let rest = (!meta.is_dir()).then_some((meta.len, meta.nlink));
    Outcome::Meta(meta.file_type, rest, meta.mode & 0o100 != 0)
}

pub(crate) async fn apply(fs: &dyn Vfs, slots: &mut Slots, op: &Op) -> Outcome {
    let write = OpenOptions {
        write: true,
        ..OpenOptions::default()
    };
    let result: Result<Outcome, wasm_agent_vfs::VfsError> = async {
        Ok(match op {
            Op::WriteFile(p, d) => fs.write_file(p, d).await.map(|()| Outcome::Done)?,
            Op::Append(p, d) => {
                let file = fs
                    .open(
                        p,
                        OpenOptions {
                            create: true,
                            ..write
                        },
                    )
                    .await?;
                Outcome::Count(file.append(d).await?)
            }
            Op::WriteAt(p, o, d) => {
                let file = fs.open(p, write).await?;
                Outcome::Count(file.write_at(d, *o).await? as u64)
            }
            Op::ReadFile(p) => Outcome::Bytes(fs.read_file(p).await?),
            Op::CreateDir(p) => fs.create_dir(p).await.map(|()| Outcome::Done)?,
            Op::CreateDirAll(p) => fs.create_dir_all(p).await.map(|()| Outcome::Done)?,
            Op::RemoveFile(p) => fs.remove_file(p).await.map(|()| Outcome::Done)?,
            Op::RemoveDir(p) => fs.remove_dir(p).await.map(|()| Outcome::Done)?,
            Op::RemoveAll(p) => fs.remove_all(p).await.map(|()| Outcome::Done)?,
            Op::Rename(a, b) => fs.rename(a, b).await.map(|()| Outcome::Done)?,
            Op::Symlink(t, l) => fs.symlink(t, l).await.map(|()| Outcome::Done)?,
            Op::ReadLink(p) => Outcome::Text(fs.read_link(p).await?),
            Op::Stat(p) | Op::Lstat(p) => {
                let meta = if matches!(op, Op::Stat(_)) {
                    fs.metadata(p).await?
                } else {
                    fs.symlink_metadata(p).await?
                };
                meta_outcome(&meta)
            }
            Op::ReadDir(p) => Outcome::Names(
                fs.read_dir(p)
                    .await?
                    .into_iter()
                    .map(|e| (e.name, e.file_type))
                    .collect(),
            ),
            Op::SetLen(p, l) => {
                let file = fs.open(p, write).await?;
                file.set_len(*l).await.map(|()| Outcome::Done)?
            }
            Op::HardLink(a, b) => fs.hard_link(a, b).await.map(|()| Outcome::Done)?,
            Op::Chmod(p, exec) => {
                let dir = fs.metadata(p).await.is_ok_and(|m| m.is_dir());
                let mode = if *exec || dir { 0o755 } else { 0o644 };
                fs.set_mode(p, mode).await.map(|()| Outcome::Done)?
            }
            Op::Open(p, o) => fs.open(p, *o).await.map(|_| Outcome::Done)?,
            Op::HandleOpen(s, p) => {
                let rw = OpenOptions {
                    read: true,
                    ..write
                };
                slots[*s] = Some(fs.open(p, rw).await?);
                Outcome::Done
            }
            Op::HandleClose(s) => match slots[*s].take() {
                Some(_) => Outcome::Done,
                None => Outcome::NoHandle,
            },
            _ => {
                let Some(file) = handle_of(op).and_then(|s| slots[s].clone()) else {
                    return Ok(Outcome::NoHandle);
                };
                match op {
                    Op::HandleWrite(_, o, d) => Outcome::Count(file.write_at(d, *o).await? as u64),
                    Op::HandleRead(_, o) => {
                        let mut buf = [0u8; 4];
                        let n = file.read_at(&mut buf, *o).await?;
                        Outcome::Bytes(buf[..n].to_vec())
                    }
                    Op::HandleAppend(_, d) => Outcome::Count(file.append(d).await?),
                    Op::HandleSetLen(_, l) => file.set_len(*l).await.map(|()| Outcome::Done)?,
                    Op::HandleStat(_) => meta_outcome(&file.metadata().await?),
                    _ => unreachable!("every other operation is matched above"),
                }
            }
        })
    }
    .await;
    result.unwrap_or_else(|e| Outcome::Err(e.errno()))
}

/// The slot a handle operation works on.
fn handle_of(op: &Op) -> Option<usize> {
    match op {
        Op::HandleWrite(s, ..)
        | Op::HandleRead(s, ..)
        | Op::HandleAppend(s, ..)
        | Op::HandleSetLen(s, ..)
        | Op::HandleStat(s) => Some(*s),
        _ => None,
    }
}

/// The oracle and the backends checked against it.
struct Backends {
    oracle: Arc<dyn Vfs>,
    others: Vec<(&'static str, Arc<dyn Vfs>)>,
    _dirs: Vec<TempDir>,
}

async fn seeded_mem() -> MemFs {
    let fs = MemFs::new();
    seed(&fs).await;
    fs
}

async fn seeded_host_dir() -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    seed(&HostDirFs::new(dir.path()).unwrap()).await;
    dir
}

async fn backends() -> Backends {
    let oracle_dir = seeded_host_dir().await;
    let oracle = Arc::new(HostDirFs::new(oracle_dir.path()).unwrap());
    let lower_dir = seeded_host_dir().await;
    let host_lower: Arc<dyn Vfs> = Arc::new(HostDirFs::read_only(lower_dir.path()).unwrap());

    let mem = seeded_mem().await;
    let forked_mem = seeded_mem().await.fork_mem();
    let overlay_mem = OverlayFs::new(Arc::new(seeded_mem().await));
    let overlay_host = OverlayFs::new(host_lower.clone());
    let forked_overlay = OverlayFs::new(host_lower.clone()).fork_overlay();

    let mount_root = MemFs::new();
    mount_root.write_file("/outside", b"root fs").await.unwrap();
    let mounted = MountFs::new(Arc::new(mount_root))
        .with_mount("/w", Arc::new(seeded_mem().await))
        .unwrap();
    let mount = Prefixed {
        fs: Arc::new(mounted),
        prefix: "/w",
    };
    // A fork of a mount holding a host directory: the host member becomes
    // an overlay in the fork.
    let mount_of_host = MountFs::new(Arc::new(MemFs::new()))
        .with_mount(
            "/w",
            Arc::new(HostDirFs::new(seeded_host_dir().await.keep()).unwrap()),
        )
        .unwrap();
    let forked_mount = Prefixed {
        fs: mount_of_host.fork().unwrap(),
        prefix: "/w",
    };

    Backends {
        oracle,
        others: vec![
            ("MemFs", Arc::new(mem)),
            ("forked MemFs", Arc::new(forked_mem)),
            ("OverlayFs over MemFs", Arc::new(overlay_mem)),
            ("OverlayFs over HostDirFs", Arc::new(overlay_host)),
            ("forked OverlayFs over HostDirFs", Arc::new(forked_overlay)),
            ("MountFs", Arc::new(mount)),
            ("forked MountFs over HostDirFs", Arc::new(forked_mount)),
        ],
        _dirs: vec![oracle_dir, lower_dir],
    }
}

fn check(ops: &[Op]) -> Result<(), TestCaseError> {
    block_on(async {
        let b = backends().await;
        let mut oracle_slots = Slots::default();
        let mut slots: Vec<Slots> = b.others.iter().map(|_| Slots::default()).collect();
        for (i, op) in ops.iter().enumerate() {
            let expected = apply(&*b.oracle, &mut oracle_slots, op).await;
            if expected.is_refusal() {
                return Ok(());
            }
            let tree = snapshot(&*b.oracle).await;
            for ((name, fs), slots) in b.others.iter().zip(&mut slots) {
                let got = apply(&**fs, slots, op).await;
                prop_assert_eq!(&got, &expected, "step {} {:?} on {}", i, op, name);
                let got_tree = snapshot(&**fs).await;
                prop_assert_eq!(
                    &got_tree,
                    &tree,
                    "tree after step {} {:?} on {}",
                    i,
                    op,
                    name
                );
            }
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(200),
        max_shrink_iters: 4000,
        .. ProptestConfig::default()
    })]

    #[test]
    fn backends_agree_with_linux(ops in prop::collection::vec(op(), 1..48)) {
        check(&ops)?;
    }
}
