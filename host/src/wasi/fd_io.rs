//! Reading, writing and seeking: `fd_read`, `fd_write`, `fd_pread`,
//! `fd_pwrite`, `fd_seek`, `fd_tell`.
//!
//! Data moves directly between guest memory and the file, pipe or capture:
//! the guest's buffer is borrowed for the duration of the call (wasm cannot
//! run meanwhile), so no host buffer is allocated, zeroed or copied. A read
//! fills the first non-empty iovec only — a short read, which every reader
//! handles — and a write stops at the first short transfer, as `writev` may.

use super::abi::whence;
use super::ctx::{WasiCtx, WasiView};
use super::errno::{CallError, CallResult, Errno, Stop};
use super::fd_table::Entry;
use super::guest_parts;
use crate::io::{Input, Output, StreamError};
use std::future::Future;
use std::time::Instant;
use wasmtime::Caller;

/// Largest transfer of one call, so one call cannot hold the guest (or a
/// pipe) for long.
const MAX_IO: u32 = 1 << 20;

/// Waits for `future` unless the command's deadline passes first: a guest
/// blocked on a pipe is not running wasm, so epoch interruption cannot stop
/// it.
async fn before_deadline<T>(
    deadline: Option<Instant>,
    future: impl Future<Output = T>,
) -> CallResult<T> {
    match deadline {
        Some(deadline) => tokio::time::timeout_at(deadline.into(), future)
            .await
            .map_err(|_| Stop::Timeout.into()),
        None => Ok(future.await),
    }
}

/// Maps a stream failure to what the guest sees or how it is stopped.
fn stream_error(err: StreamError) -> CallError {
    match err {
        StreamError::BrokenPipe => Stop::BrokenPipe.into(),
        StreamError::OutputLimit { limit } => Stop::OutputLimit { limit }.into(),
        StreamError::File(err) => err.into(),
        StreamError::WrongDirection => Errno::Badf.into(),
    }
}

/// Reads into `buf` from `fd` at its cursor (or at `at`).
async fn read_into(
    ctx: &mut WasiCtx,
    fd: u32,
    buf: &mut [u8],
    at: Option<u64>,
) -> CallResult<usize> {
    if buf.is_empty() {
        return Ok(0);
    }
    let deadline = ctx.deadline;
    match (ctx.fds.get_mut(fd)?, at) {
        (Entry::Input(Input::File(stream)), Some(offset)) => {
            Ok(stream.file().read_at(buf, offset).await?)
        }
        (Entry::Input(_), Some(_)) => Err(Errno::Spipe.into()),
        (Entry::Input(input @ Input::Pipe(_)), None) => before_deadline(deadline, input.read(buf))
            .await?
            .map_err(stream_error),
        (Entry::Input(input), None) => input.read(buf).await.map_err(stream_error),
        (Entry::File(file), at) => {
            if !file.read {
                return Err(Errno::Badf.into());
            }
            let n = file.file.read_at(buf, at.unwrap_or(file.pos)).await?;
            if at.is_none() {
                file.pos += n as u64;
            }
            Ok(n)
        }
        (Entry::Dir(_), _) => Err(Errno::Isdir.into()),
        (Entry::Output(_) | Entry::Alias(_), _) => Err(Errno::Badf.into()),
    }
}

/// Writes `data` to `fd` at its cursor (or at `at`); returns bytes written.
pub(super) async fn write_to(
    ctx: &mut WasiCtx,
    fd: u32,
    data: &[u8],
    at: Option<u64>,
) -> CallResult<usize> {
    let deadline = ctx.deadline;
    match (ctx.fds.get_mut(fd)?, at) {
        (Entry::Output(Output::File(stream)), Some(offset)) => {
            Ok(stream.file().write_at(data, offset).await?)
        }
        (Entry::Output(_), Some(_)) => Err(Errno::Spipe.into()),
        (Entry::Output(output @ Output::Pipe(_)), None) => {
            before_deadline(deadline, output.write_all(data))
                .await?
                .map_err(stream_error)?;
            Ok(data.len())
        }
        (Entry::Output(output), None) => {
            output.write_all(data).await.map_err(stream_error)?;
            Ok(data.len())
        }
        (Entry::File(file), at) => {
            if !file.write {
                return Err(Errno::Badf.into());
            }
            match at {
                // pwrite writes at the offset even on an append descriptor,
                // as POSIX specifies (Linux appends; no tool relies on it).
                Some(offset) => Ok(file.file.write_at(data, offset).await?),
                None if file.append => {
                    file.pos = file.file.append(data).await?;
                    Ok(data.len())
                }
                None => {
                    let n = file.file.write_at(data, file.pos).await?;
                    file.pos += n as u64;
                    Ok(n)
                }
            }
        }
        (Entry::Dir(_) | Entry::Input(_) | Entry::Alias(_), _) => Err(Errno::Badf.into()),
    }
}

async fn read_impl<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    at: Option<u64>,
    nread: u32,
) -> CallResult {
    let n = {
        let (mut mem, ctx) = guest_parts(caller)?;
        let iovecs = mem.iovecs(iovs, iovs_len)?;
        match iovecs.into_iter().find(|&(_, len)| len > 0) {
            Some((ptr, len)) => {
                let buf = mem.slice_mut(ptr, len.min(MAX_IO))?;
                read_into(ctx, fd, buf, at).await?
            }
            None => {
                // A zero-length read still checks the descriptor.
                read_into(ctx, fd, &mut [], at).await?;
                ctx.fds.get(fd)?;
                0
            }
        }
    };
    guest_parts(caller)?.0.write_u32(nread, n as u32)?;
    Ok(())
}

async fn write_impl<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    at: Option<u64>,
    nwritten: u32,
) -> CallResult {
    let total = {
        let (mem, ctx) = guest_parts(caller)?;
        ctx.fds.get(fd)?;
        let iovecs = mem.iovecs(iovs, iovs_len)?;
        let mut total = 0usize;
        for (ptr, len) in iovecs {
            let room = (MAX_IO as usize).saturating_sub(total) as u32;
            if room == 0 {
                break;
            }
            let data = mem.slice(ptr, len.min(room))?;
            if data.is_empty() {
                continue;
            }
            let n = write_to(ctx, fd, data, at.map(|offset| offset + total as u64)).await?;
            total += n;
            if n < data.len() {
                break;
            }
        }
        total
    };
    guest_parts(caller)?.0.write_u32(nwritten, total as u32)?;
    Ok(())
}

pub(crate) async fn fd_read<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> CallResult {
    read_impl(caller, fd, iovs, iovs_len, None, nread).await
}

pub(crate) async fn fd_pread<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> CallResult {
    read_impl(caller, fd, iovs, iovs_len, Some(offset), nread).await
}

pub(crate) async fn fd_write<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> CallResult {
    write_impl(caller, fd, iovs, iovs_len, None, nwritten).await
}

pub(crate) async fn fd_pwrite<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> CallResult {
    write_impl(caller, fd, iovs, iovs_len, Some(offset), nwritten).await
}

pub(crate) async fn fd_seek<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    offset: i64,
    how: u32,
    out: u32,
) -> CallResult {
    let fds = &mut caller.data_mut().wasi().fds;
    // A file the caller gave as a standard stream keeps its offset in the
    // stream, shared with the caller's other users of it.
    if let Some(stream) = fds.get(fd)?.file_stream().cloned() {
        let base = match how as u8 {
            whence::SET => 0,
            whence::CUR => stream.offset().await,
            whence::END => stream.file().metadata().await?.len,
            _ => return Err(Errno::Inval.into()),
        };
        let target = seek_target(base, offset)?;
        stream.set_offset(target).await;
        guest_parts(caller)?.0.write_u64(out, target)?;
        return Ok(());
    }
    let file = fds.file_mut(fd)?;
    let base = match how as u8 {
        whence::SET => 0,
        whence::CUR => file.pos,
        whence::END => file.file.metadata().await?.len,
        _ => return Err(Errno::Inval.into()),
    };
    let target = seek_target(base, offset)?;
    file.pos = target;
    guest_parts(caller)?.0.write_u64(out, target)?;
    Ok(())
}

/// `base + offset`, refusing a position before the start or past `u64`.
fn seek_target(base: u64, offset: i64) -> CallResult<u64> {
    let target = i128::from(base) + i128::from(offset);
    if target < 0 {
        return Err(Errno::Inval.into());
    }
    Ok(u64::try_from(target).map_err(|_| Errno::Overflow)?)
}

pub(crate) async fn fd_tell<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    out: u32,
) -> CallResult {
    let fds = &mut caller.data_mut().wasi().fds;
    let pos = match fds.get(fd)?.file_stream().cloned() {
        Some(stream) => stream.offset().await,
        None => fds.file_mut(fd)?.pos,
    };
    guest_parts(caller)?.0.write_u64(out, pos)?;
    Ok(())
}
