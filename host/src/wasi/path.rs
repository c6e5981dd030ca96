//! `path_*` calls: operations on paths relative to a directory descriptor.
//!
//! A guest path is joined onto the directory's path and normalised (see
//! `wasm_agent_vfs::path`); the filesystem then resolves symlinks within
//! itself. A trailing slash keeps its POSIX meaning: the path must name a
//! directory (or a symlink to one).

use super::abi::{lookupflags, oflags, rights};
use super::ctx::{WasiCtx, WasiView};
use super::errno::{CallResult, Errno};
use super::fd_table::{Entry, OpenDir, OpenFile};
use super::guest_parts;
use super::stat::{decode_times, write_filestat};
use wasm_agent_vfs::path::join_normalized;
use wasm_agent_vfs::{Metadata, OpenOptions};
use wasmtime::Caller;

/// A guest path resolved against its directory descriptor.
struct Target {
    path: String,
    /// The guest wrote a trailing slash.
    must_be_dir: bool,
}

fn resolve(ctx: &WasiCtx, fd: u32, raw: &str) -> Result<Target, Errno> {
    if raw.is_empty() {
        return Err(Errno::Noent);
    }
    let base = ctx.fds.dir_path(fd)?;
    let path = join_normalized(base, raw).map_err(Errno::from)?;
    Ok(Target {
        path,
        must_be_dir: raw.ends_with('/') || raw.ends_with("/."),
    })
}

/// Reads the guest string at (`ptr`, `len`) and resolves it against `fd`.
fn target<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    ptr: u32,
    len: u32,
) -> Result<Target, Errno> {
    let (mem, ctx) = guest_parts(caller)?;
    let raw = mem.str(ptr, len)?;
    resolve(ctx, fd, raw)
}

/// The descriptor a `/dev` path names: `/dev/stdin` (0), `/dev/stdout`
/// (1), `/dev/stderr` (2) or `/dev/fd/N`.
fn standard_stream(path: &str) -> Option<u32> {
    match path {
        "/dev/stdin" => Some(0),
        "/dev/stdout" => Some(1),
        "/dev/stderr" => Some(2),
        _ => path.strip_prefix("/dev/fd/")?.parse().ok(),
    }
}

async fn stat(ctx: &WasiCtx, target: &Target, follow: bool) -> CallResult<Metadata> {
    // "link/" names the link's target even without SYMLINK_FOLLOW.
    let meta = if follow || target.must_be_dir {
        ctx.fs.metadata(&target.path).await?
    } else {
        ctx.fs.symlink_metadata(&target.path).await?
    };
    if target.must_be_dir && !meta.is_dir() {
        return Err(Errno::Notdir.into());
    }
    Ok(meta)
}

#[allow(clippy::too_many_arguments, reason = "mirrors the preview1 signature")]
pub(crate) async fn path_open<T: WasiView>(
    caller: &mut Caller<'_, T>,
    dirfd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    open_flags: u32,
    rights_base: u64,
    _rights_inheriting: u64,
    fd_flags: u32,
    fd_out: u32,
) -> CallResult {
    let target = target(caller, dirfd, path, path_len)?;
    let open_flags = open_flags as u16;
    let follow = dirflags & lookupflags::SYMLINK_FOLLOW != 0;
    let want_dir = open_flags & oflags::DIRECTORY != 0 || target.must_be_dir;
    let create = open_flags & oflags::CREAT != 0;
    let truncate = open_flags & oflags::TRUNC != 0;
    let read = rights_base & rights::READ_MASK != 0;
    let write = rights_base & rights::WRITE_MASK != 0 || truncate;
    let append = fd_flags as u16 & super::abi::fdflags::APPEND != 0;

    let ctx = caller.data_mut().wasi();
    if let Some(stream) = standard_stream(&target.path) {
        // /dev/stdin, /dev/stdout, /dev/stderr and /dev/fd/N name the
        // opener's own descriptors; a closed one does not exist.
        let fd = ctx.fds.alias(stream).map_err(|_| Errno::Noent)?;
        guest_parts(caller)?.0.write_u32(fd_out, fd)?;
        return Ok(());
    }
    // A read-only open may name a directory (opendir, or `cat dir` that then
    // fails reading with EISDIR); find out before opening it as a file.
    if want_dir || (!create && !write) {
        match stat(ctx, &target, follow).await {
            Ok(meta) if meta.is_dir() => {
                if write || create && open_flags & oflags::EXCL != 0 {
                    return Err(Errno::Isdir.into());
                }
                let fd = ctx.fds.insert(Entry::Dir(OpenDir {
                    path: target.path,
                    preopen: None,
                    listing: None,
                }))?;
                guest_parts(caller)?.0.write_u32(fd_out, fd)?;
                return Ok(());
            }
            Ok(meta) if want_dir => {
                return Err(if meta.is_symlink() {
                    Errno::Loop
                } else {
                    Errno::Notdir
                }
                .into());
            }
            Err(e) if want_dir => return Err(e),
            _ => {}
        }
    }
    let options = OpenOptions {
        read: read || !write,
        write,
        create,
        create_new: create && open_flags & oflags::EXCL != 0,
        truncate,
        no_follow: !follow,
    };
    let file = ctx.fs.open(&target.path, options).await?;
    let fd = ctx.fds.insert(Entry::File(OpenFile {
        file,
        pos: 0,
        read: options.read,
        write,
        append,
    }))?;
    guest_parts(caller)?.0.write_u32(fd_out, fd)?;
    Ok(())
}

pub(crate) async fn path_filestat_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    out: u32,
) -> CallResult {
    let target = target(caller, fd, path, path_len)?;
    let follow = flags & lookupflags::SYMLINK_FOLLOW != 0;
    let meta = stat(caller.data_mut().wasi(), &target, follow).await?;
    write_filestat(&mut guest_parts(caller)?.0, out, &meta)?;
    Ok(())
}

#[allow(clippy::too_many_arguments, reason = "mirrors the preview1 signature")]
pub(crate) async fn path_filestat_set_times<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> CallResult {
    let target = target(caller, fd, path, path_len)?;
    let (atime, mtime) = decode_times(atim, mtim, fst_flags as u16)?;
    let follow = flags & lookupflags::SYMLINK_FOLLOW != 0;
    let ctx = caller.data_mut().wasi();
    ctx.fs.set_times(&target.path, atime, mtime, follow).await?;
    Ok(())
}

pub(crate) async fn path_create_directory<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> CallResult {
    let target = target(caller, fd, path, path_len)?;
    caller.data_mut().wasi().fs.create_dir(&target.path).await?;
    Ok(())
}

pub(crate) async fn path_remove_directory<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> CallResult {
    let target = target(caller, fd, path, path_len)?;
    caller.data_mut().wasi().fs.remove_dir(&target.path).await?;
    Ok(())
}

pub(crate) async fn path_unlink_file<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> CallResult {
    let target = target(caller, fd, path, path_len)?;
    let ctx = caller.data_mut().wasi();
    if target.must_be_dir {
        // unlink("x/"): a directory is EISDIR, anything else ENOTDIR.
        let meta = ctx.fs.metadata(&target.path).await?;
        return Err(if meta.is_dir() {
            Errno::Isdir
        } else {
            Errno::Notdir
        }
        .into());
    }
    ctx.fs.remove_file(&target.path).await?;
    Ok(())
}

pub(crate) async fn path_rename<T: WasiView>(
    caller: &mut Caller<'_, T>,
    old_fd: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> CallResult {
    let from = target(caller, old_fd, old_path, old_len)?;
    let to = target(caller, new_fd, new_path, new_len)?;
    let ctx = caller.data_mut().wasi();
    if from.must_be_dir && !ctx.fs.metadata(&from.path).await?.is_dir() {
        return Err(Errno::Notdir.into());
    }
    ctx.fs.rename(&from.path, &to.path).await?;
    Ok(())
}

pub(crate) async fn path_symlink<T: WasiView>(
    caller: &mut Caller<'_, T>,
    old_path: u32,
    old_len: u32,
    fd: u32,
    new_path: u32,
    new_len: u32,
) -> CallResult {
    let link_target = guest_parts(caller)?.0.str(old_path, old_len)?.to_string();
    if link_target.is_empty() {
        return Err(Errno::Noent.into());
    }
    let link = target(caller, fd, new_path, new_len)?;
    caller
        .data_mut()
        .wasi()
        .fs
        .symlink(&link_target, &link.path)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments, reason = "mirrors the preview1 signature")]
pub(crate) async fn path_link<T: WasiView>(
    caller: &mut Caller<'_, T>,
    old_fd: u32,
    _old_flags: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> CallResult {
    let from = target(caller, old_fd, old_path, old_len)?;
    let to = target(caller, new_fd, new_path, new_len)?;
    caller
        .data_mut()
        .wasi()
        .fs
        .hard_link(&from.path, &to.path)
        .await?;
    Ok(())
}

pub(crate) async fn path_readlink<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> CallResult {
    let target = target(caller, fd, path, path_len)?;
    let link = caller.data_mut().wasi().fs.read_link(&target.path).await?;
    // Like readlink(2): silently truncated to the buffer; wasi-libc grows
    // its buffer and retries when the result fills it.
    let n = link.len().min(buf_len as usize);
    let (mut mem, _) = guest_parts(caller)?;
    mem.write(buf, &link.as_bytes()[..n])?;
    mem.write_u32(bufused, n as u32)?;
    Ok(())
}
