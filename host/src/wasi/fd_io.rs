//! Reading, writing and seeking: `fd_read`, `fd_write`, `fd_pread`,
//! `fd_pwrite`, `fd_seek`, `fd_tell`.

use super::abi::whence;
use super::ctx::{WasiCtx, WasiView};
use super::errno::{CallResult, Errno, Stop};
use super::fd_table::{Entry, InputStream, OutputStream};
use super::guest_parts;
use wasmtime::Caller;

/// Largest transfer of one call. Bounds the host buffer a guest can make us
/// allocate; guests loop on short reads and writes anyway.
const MAX_IO: usize = 1 << 20;

fn total_len(iovecs: &[(u32, u32)]) -> usize {
    iovecs
        .iter()
        .map(|&(_, len)| len as usize)
        .sum::<usize>()
        .min(MAX_IO)
}

/// Reads up to `len` bytes from `fd` at its cursor (or at `at`).
async fn read_from(ctx: &mut WasiCtx, fd: u32, len: usize, at: Option<u64>) -> CallResult<Vec<u8>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    match (ctx.fds.get_mut(fd)?, at) {
        (Entry::Input(_), Some(_)) => Err(Errno::Spipe.into()),
        (Entry::Input(InputStream::Empty), None) => Ok(Vec::new()),
        (Entry::Input(InputStream::Bytes { data, pos }), None) => {
            let n = len.min(data.len() - *pos);
            let out = data[*pos..*pos + n].to_vec();
            *pos += n;
            Ok(out)
        }
        (Entry::Input(InputStream::Pipe(reader)), None) => {
            let mut buf = vec![0; len];
            let n = reader.read(&mut buf).await;
            buf.truncate(n);
            Ok(buf)
        }
        (Entry::File(file), at) => {
            if !file.read {
                return Err(Errno::Badf.into());
            }
            let mut buf = vec![0; len];
            let n = file.file.read_at(&mut buf, at.unwrap_or(file.pos)).await?;
            buf.truncate(n);
            if at.is_none() {
                file.pos += n as u64;
            }
            Ok(buf)
        }
        (Entry::Dir(_), _) => Err(Errno::Isdir.into()),
        (Entry::Output(_), _) => Err(Errno::Badf.into()),
    }
}

/// Writes `data` to `fd` at its cursor (or at `at`); returns bytes written.
pub(super) async fn write_to(
    ctx: &mut WasiCtx,
    fd: u32,
    data: &[u8],
    at: Option<u64>,
) -> CallResult<usize> {
    match (ctx.fds.get_mut(fd)?, at) {
        (Entry::Output(_), Some(_)) => Err(Errno::Spipe.into()),
        (Entry::Output(OutputStream::Discard), None) => Ok(data.len()),
        (Entry::Output(OutputStream::Capture(capture)), None) => match capture.write(data) {
            Ok(()) => Ok(data.len()),
            Err(limit) => Err(Stop::OutputLimit { limit: limit.limit }.into()),
        },
        (Entry::Output(OutputStream::Pipe(writer)), None) => match writer.write_all(data).await {
            Ok(()) => Ok(data.len()),
            Err(_) => Err(Stop::BrokenPipe.into()),
        },
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
        (Entry::Dir(_) | Entry::Input(_), _) => Err(Errno::Badf.into()),
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
    let iovecs = guest_parts(caller)?.0.iovecs(iovs, iovs_len)?;
    let data = read_from(caller.data_mut().wasi(), fd, total_len(&iovecs), at).await?;
    let (mut mem, _) = guest_parts(caller)?;
    mem.scatter(&iovecs, &data)?;
    mem.write_u32(nread, data.len() as u32)?;
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
    let data = {
        let (mem, _) = guest_parts(caller)?;
        let iovecs = mem.iovecs(iovs, iovs_len)?;
        mem.gather(&iovecs, MAX_IO)?
    };
    let n = write_to(caller.data_mut().wasi(), fd, &data, at).await?;
    guest_parts(caller)?.0.write_u32(nwritten, n as u32)?;
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
    let file = caller.data_mut().wasi().fds.file_mut(fd)?;
    let base = match how as u8 {
        whence::SET => 0,
        whence::CUR => file.pos,
        whence::END => file.file.metadata().await?.len,
        _ => return Err(Errno::Inval.into()),
    };
    let target = i128::from(base) + i128::from(offset);
    if target < 0 {
        return Err(Errno::Inval.into());
    }
    let target = u64::try_from(target).map_err(|_| Errno::Overflow)?;
    file.pos = target;
    guest_parts(caller)?.0.write_u64(out, target)?;
    Ok(())
}

pub(crate) fn fd_tell<T: WasiView>(caller: &mut Caller<'_, T>, fd: u32, out: u32) -> CallResult {
    let pos = caller.data_mut().wasi().fds.file_mut(fd)?.pos;
    guest_parts(caller)?.0.write_u64(out, pos)?;
    Ok(())
}
