//! `fd_readdir`: directory listings with resumable cookies.
//!
//! The cookie of an entry is its index in the listing, where 0 is `.` and 1
//! is `..` (Rust's std and wasi-libc skip those two, but C programs expect
//! them). A listing is taken when the guest starts from cookie 0 and reused
//! for the following calls, so a directory changing mid-listing never makes
//! the guest skip or repeat entries.

use super::abi::{filetype, DIRENT_SIZE};
use super::ctx::WasiView;
use super::errno::{CallResult, Errno};
use super::fd_table::Entry;
use super::guest_parts;
use super::stat::wasi_filetype;
use std::sync::Arc;
use wasm_agent_vfs::path::split_parent;
use wasmtime::Caller;

fn push_dirent(out: &mut Vec<u8>, next: u64, ino: u64, kind: u8, name: &str) {
    let mut head = [0u8; DIRENT_SIZE];
    head[0..8].copy_from_slice(&next.to_le_bytes());
    head[8..16].copy_from_slice(&ino.to_le_bytes());
    head[16..20].copy_from_slice(&(name.len() as u32).to_le_bytes());
    head[20] = kind;
    out.extend_from_slice(&head);
    out.extend_from_slice(name.as_bytes());
}

pub(crate) async fn fd_readdir<T: WasiView>(
    caller: &mut Caller<'_, T>,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> CallResult {
    let ctx = caller.data_mut().wasi();
    let fs = ctx.fs.clone();
    let Entry::Dir(dir) = ctx.fds.get_mut(fd)? else {
        return Err(Errno::Notdir.into());
    };
    if cookie == 0 || dir.listing.is_none() {
        dir.listing = Some(Arc::new(fs.read_dir(&dir.path).await?));
    }
    let listing = dir.listing.clone().expect("set above");
    let path = dir.path.clone();

    let cap = buf_len as usize;
    let mut out = Vec::with_capacity(cap.min(64 * 1024));
    let mut index = cookie;
    while out.len() < cap {
        match index {
            0 => {
                let ino = fs.metadata(&path).await.map(|m| m.ino).unwrap_or(0);
                push_dirent(&mut out, 1, ino, filetype::DIRECTORY, ".");
            }
            1 => {
                let parent = split_parent(&path).map_or("/", |(parent, _)| parent);
                let ino = fs.metadata(parent).await.map(|m| m.ino).unwrap_or(0);
                push_dirent(&mut out, 2, ino, filetype::DIRECTORY, "..");
            }
            n => match listing.get((n - 2) as usize) {
                Some(entry) => push_dirent(
                    &mut out,
                    n + 1,
                    entry.ino,
                    wasi_filetype(entry.file_type),
                    &entry.name,
                ),
                None => break,
            },
        }
        index += 1;
    }
    // A partially written last entry tells the guest to retry with a
    // bigger buffer (wasi-libc does exactly that).
    out.truncate(cap);
    let (mut mem, _) = guest_parts(caller)?;
    mem.write(buf, &out)?;
    mem.write_u32(bufused, out.len() as u32)?;
    Ok(())
}
