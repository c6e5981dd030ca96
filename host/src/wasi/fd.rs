//! `fd_*` calls that manage descriptors and their metadata (reading and
//! writing live in `fd_io`, directory listing in `dir`).

use super::abi::{fdflags, filetype, rights, FDSTAT_SIZE};
use super::ctx::WasiView;
use super::errno::{CallResult, Errno};
use super::fd_table::Entry;
use super::guest_parts;
use super::stat::{decode_times, write_filestat, write_stream_filestat};
use crate::io::Output;
use wasmtime::Caller;

pub(crate) fn fd_close<T: WasiView>(caller: &mut Caller<'_, T>, fd: u32) -> CallResult {
    caller.data_mut().wasi().fds.remove(fd)?;
    Ok(())
}

pub(crate) fn fd_renumber<T: WasiView>(
    caller: &mut Caller<'_, T>,
    from: u32,
    to: u32,
) -> CallResult {
    caller.data_mut().wasi().fds.renumber(from, to)?;
    Ok(())
}

pub(crate) fn fd_fdstat_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    out: u32,
) -> CallResult {
    let (mut mem, ctx) = guest_parts(caller)?;
    let entry = ctx.fds.get(fd)?;
    let (kind, flags, base) = match entry {
        // A file given as a standard stream is a file to the guest (it can
        // seek and stat it), as a redirected descriptor is on Linux.
        Entry::Input(_) | Entry::Output(_) if entry.file_stream().is_some() => {
            let append = entry.file_stream().is_some_and(|s| s.is_append());
            (
                filetype::REGULAR_FILE,
                if append { fdflags::APPEND } else { 0 },
                rights::ALL,
            )
        }
        // Streams report no seek/tell rights and never the character-device
        // type, so guests do not mistake them for terminals.
        // (`get` looks through aliases, so `Alias` is never seen here.)
        Entry::Input(_) | Entry::Output(_) | Entry::Alias(_) => {
            (filetype::UNKNOWN, 0, rights::STREAM)
        }
        Entry::File(file) => (
            filetype::REGULAR_FILE,
            if file.append { fdflags::APPEND } else { 0 },
            rights::ALL,
        ),
        Entry::Dir(_) => (filetype::DIRECTORY, 0, rights::ALL),
    };
    let mut buf = [0u8; FDSTAT_SIZE];
    buf[0] = kind;
    buf[2..4].copy_from_slice(&flags.to_le_bytes());
    buf[8..16].copy_from_slice(&base.to_le_bytes());
    buf[16..24].copy_from_slice(&rights::ALL.to_le_bytes());
    mem.write(out, &buf)?;
    Ok(())
}

pub(crate) fn fd_fdstat_set_flags<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    flags: u32,
) -> CallResult {
    let flags = flags as u16;
    // Non-blocking mode is accepted and ignored on streams: a guest
    // waiting on a pipe suspends its task, never the host thread.
    if let Entry::File(file) = caller.data_mut().wasi().fds.get_mut(fd)? {
        file.append = flags & fdflags::APPEND != 0;
    }
    Ok(())
}

pub(crate) fn fd_fdstat_set_rights<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    _base: u64,
    _inheriting: u64,
) -> CallResult {
    caller.data_mut().wasi().fds.get(fd)?;
    Ok(())
}

pub(crate) async fn fd_filestat_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    out: u32,
) -> CallResult {
    let ctx = caller.data_mut().wasi();
    let entry = ctx.fds.get(fd)?;
    let meta = match entry {
        Entry::File(file) => Some(file.file.clone().metadata().await?),
        Entry::Dir(dir) => {
            let path = dir.path.clone();
            Some(ctx.fs.metadata(&path).await?)
        }
        Entry::Input(_) | Entry::Output(_) | Entry::Alias(_) => match entry.file_stream() {
            Some(stream) => Some(stream.file().clone().metadata().await?),
            None => None,
        },
    };
    let (mut mem, _) = guest_parts(caller)?;
    match meta {
        Some(meta) => write_filestat(&mut mem, out, &meta)?,
        None => write_stream_filestat(&mut mem, out)?,
    }
    Ok(())
}

pub(crate) async fn fd_filestat_set_size<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    size: u64,
) -> CallResult {
    let fds = &mut caller.data_mut().wasi().fds;
    if let Some(Output::File(stream)) = match fds.get(fd)? {
        Entry::Output(output) => Some(output.clone()),
        _ => None,
    } {
        stream.file().set_len(size).await?;
        return Ok(());
    }
    let file = fds.file_mut(fd)?;
    if !file.write {
        return Err(Errno::Inval.into());
    }
    file.file.set_len(size).await?;
    Ok(())
}

pub(crate) async fn fd_filestat_set_times<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    atim: u64,
    mtim: u64,
    flags: u32,
) -> CallResult {
    let (atime, mtime) = decode_times(atim, mtim, flags as u16)?;
    let ctx = caller.data_mut().wasi();
    match ctx.fds.get(fd)? {
        Entry::File(file) => file.file.clone().set_times(atime, mtime).await?,
        Entry::Dir(dir) => {
            let path = dir.path.clone();
            ctx.fs.set_times(&path, atime, mtime, true).await?
        }
        Entry::Input(_) | Entry::Output(_) | Entry::Alias(_) => return Err(Errno::Badf.into()),
    }
    Ok(())
}

pub(crate) fn fd_advise<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    _offset: u64,
    _len: u64,
    _advice: u32,
) -> CallResult {
    caller.data_mut().wasi().fds.get(fd)?;
    Ok(())
}

pub(crate) async fn fd_allocate<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    offset: u64,
    len: u64,
) -> CallResult {
    let file = caller.data_mut().wasi().fds.file_mut(fd)?;
    if !file.write {
        return Err(Errno::Badf.into());
    }
    let end = offset.checked_add(len).ok_or(Errno::Fbig)?;
    if file.file.metadata().await?.len < end {
        file.file.set_len(end).await?;
    }
    Ok(())
}

pub(crate) async fn fd_sync<T: WasiView>(caller: &mut Caller<'_, T>, fd: u32) -> CallResult {
    if let Entry::File(file) = caller.data_mut().wasi().fds.get(fd)? {
        file.file.clone().sync().await?;
    }
    Ok(())
}

pub(crate) fn fd_prestat_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    out: u32,
) -> CallResult {
    let (mut mem, ctx) = guest_parts(caller)?;
    match ctx.fds.get(fd)? {
        Entry::Dir(dir) => {
            let name = dir.preopen.as_ref().ok_or(Errno::Badf)?;
            // prestat: tag 0 (directory) then the name length at offset 4.
            mem.write_u32(out, 0)?;
            mem.write_u32(out + 4, name.len() as u32)?;
            Ok(())
        }
        _ => Err(Errno::Badf.into()),
    }
}

pub(crate) fn fd_prestat_dir_name<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    path: u32,
    len: u32,
) -> CallResult {
    let (mut mem, ctx) = guest_parts(caller)?;
    match ctx.fds.get(fd)? {
        Entry::Dir(dir) => {
            let name = dir.preopen.as_ref().ok_or(Errno::Badf)?;
            if (len as usize) < name.len() {
                return Err(Errno::Nametoolong.into());
            }
            mem.write(path, name.as_bytes())?;
            Ok(())
        }
        _ => Err(Errno::Badf.into()),
    }
}
