//! Our own `wasi_snapshot_preview1`, over the sandbox's virtual filesystem.
//!
//! wasmtime-wasi can only preopen host directories, and its component path
//! loses exit statuses above 1; guest tools are therefore core modules
//! importing preview1, served by this module. Two APIs matter:
//!
//! - [`WasiCtx`] (built with [`WasiCtx::builder`]) holds one command's
//!   arguments, environment, streams, filesystem and descriptors;
//! - [`add_to_linker`] defines every preview1 function in a
//!   [`wasmtime::Linker`] for any store data implementing [`WasiView`].
//!
//! Functions are grouped by family (`args_env`, `clock_random`, `fd`,
//! `fd_io`, `dir`, `path`, `poll`, `proc`) over the descriptor table
//! (`fd_table`) and the errno mapping (`errno`). Calls that touch the
//! filesystem or a pipe are async host functions: a guest waiting on a pipe
//! suspends its own task and never blocks a host thread. Guests get no
//! sockets: every `sock_*` call fails.

mod abi;
mod args_env;
mod clock_random;
mod ctx;
mod dir;
mod errno;
mod fd;
mod fd_io;
mod fd_table;
mod memory;
mod path;
mod poll;
mod proc;
mod stat;

pub use ctx::{WasiCtx, WasiCtxBuilder, WasiView, ROOT_FD};
pub use errno::{Errno, Stop};

use errno::{CallError, CallResult};
use memory::GuestMemory;
use wasmtime::{Caller, Linker};

/// The import module name of preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Splits a caller into the guest's memory and the WASI state.
fn guest_parts<'a, T: WasiView>(
    caller: &'a mut Caller<'_, T>,
) -> Result<(GuestMemory<'a>, &'a mut WasiCtx), Errno> {
    let memory = match caller.data_mut().wasi().memory {
        Some(memory) => memory,
        None => caller
            .get_export("memory")
            .and_then(|export| export.into_memory())
            .ok_or(Errno::Fault)?,
    };
    let (bytes, data) = memory.data_and_store_mut(caller);
    Ok((GuestMemory::new(bytes), data.wasi()))
}

/// Turns a function body's result into what the guest receives: `0`, an
/// errno, or a trap carrying a [`Stop`].
fn finish(result: CallResult) -> wasmtime::Result<i32> {
    match result {
        Ok(()) => Ok(0),
        Err(CallError::Errno(errno)) => Ok(errno as i32),
        Err(CallError::Stop(stop)) => Err(wasmtime::Error::new(stop)),
    }
}

/// Defines a preview1 function whose body may wait (filesystem, pipes,
/// timers). Arguments arrive as wasm `i32`/`i64` and are reinterpreted as
/// the unsigned types of the witx signature.
macro_rules! link_async {
    ($linker:ident, $name:literal, $body:path, ($($arg:ident: $ty:ty),*)) => {
        $linker.func_wrap_async(
            MODULE,
            $name,
            |mut caller: Caller<'_, T>, ($($arg,)*): ($($ty,)*)| {
                Box::new(async move { finish($body(&mut caller, $($arg as _),*).await) })
            },
        )?;
    };
}

/// Defines a preview1 function that never waits.
macro_rules! link_sync {
    ($linker:ident, $name:literal, $body:path, ($($arg:ident: $ty:ty),*)) => {
        $linker.func_wrap(
            MODULE,
            $name,
            |mut caller: Caller<'_, T>, $($arg: $ty),*| -> wasmtime::Result<i32> {
                finish($body(&mut caller, $($arg as _),*))
            },
        )?;
    };
}

/// Defines every `wasi_snapshot_preview1` function in `linker`.
pub fn add_to_linker<T: WasiView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    link_sync!(linker, "args_get", args_env::args_get, (argv: i32, buf: i32));
    link_sync!(linker, "args_sizes_get", args_env::args_sizes_get, (count: i32, size: i32));
    link_sync!(linker, "environ_get", args_env::environ_get, (environ: i32, buf: i32));
    link_sync!(linker, "environ_sizes_get", args_env::environ_sizes_get, (count: i32, size: i32));
    link_sync!(linker, "clock_res_get", clock_random::clock_res_get, (id: i32, out: i32));
    link_sync!(linker, "clock_time_get", clock_random::clock_time_get, (id: i32, precision: i64, out: i32));
    link_sync!(linker, "random_get", clock_random::random_get, (buf: i32, len: i32));

    link_sync!(linker, "fd_close", fd::fd_close, (fd: i32));
    link_sync!(linker, "fd_renumber", fd::fd_renumber, (from: i32, to: i32));
    link_sync!(linker, "fd_fdstat_get", fd::fd_fdstat_get, (fd: i32, out: i32));
    link_sync!(linker, "fd_fdstat_set_flags", fd::fd_fdstat_set_flags, (fd: i32, flags: i32));
    link_sync!(linker, "fd_fdstat_set_rights", fd::fd_fdstat_set_rights, (fd: i32, base: i64, inheriting: i64));
    link_async!(linker, "fd_filestat_get", fd::fd_filestat_get, (fd: i32, out: i32));
    link_async!(linker, "fd_filestat_set_size", fd::fd_filestat_set_size, (fd: i32, size: i64));
    link_async!(linker, "fd_filestat_set_times", fd::fd_filestat_set_times, (fd: i32, atim: i64, mtim: i64, flags: i32));
    link_sync!(linker, "fd_advise", fd::fd_advise, (fd: i32, offset: i64, len: i64, advice: i32));
    link_async!(linker, "fd_allocate", fd::fd_allocate, (fd: i32, offset: i64, len: i64));
    link_async!(linker, "fd_datasync", fd::fd_sync, (fd: i32));
    link_async!(linker, "fd_sync", fd::fd_sync, (fd: i32));
    link_sync!(linker, "fd_prestat_get", fd::fd_prestat_get, (fd: i32, out: i32));
    link_sync!(linker, "fd_prestat_dir_name", fd::fd_prestat_dir_name, (fd: i32, path: i32, len: i32));

    link_async!(linker, "fd_read", fd_io::fd_read, (fd: i32, iovs: i32, iovs_len: i32, nread: i32));
    link_async!(linker, "fd_pread", fd_io::fd_pread, (fd: i32, iovs: i32, iovs_len: i32, offset: i64, nread: i32));
    link_async!(linker, "fd_write", fd_io::fd_write, (fd: i32, iovs: i32, iovs_len: i32, nwritten: i32));
    link_async!(linker, "fd_pwrite", fd_io::fd_pwrite, (fd: i32, iovs: i32, iovs_len: i32, offset: i64, nwritten: i32));
    link_async!(linker, "fd_seek", fd_io::fd_seek, (fd: i32, offset: i64, whence: i32, out: i32));
    link_async!(linker, "fd_tell", fd_io::fd_tell, (fd: i32, out: i32));
    link_async!(linker, "fd_readdir", dir::fd_readdir, (fd: i32, buf: i32, buf_len: i32, cookie: i64, bufused: i32));

    link_async!(linker, "path_open", path::path_open, (dirfd: i32, dirflags: i32, path: i32, path_len: i32, oflags: i32, base: i64, inheriting: i64, fdflags: i32, fd_out: i32));
    link_async!(linker, "path_filestat_get", path::path_filestat_get, (fd: i32, flags: i32, path: i32, path_len: i32, out: i32));
    link_async!(linker, "path_filestat_set_times", path::path_filestat_set_times, (fd: i32, flags: i32, path: i32, path_len: i32, atim: i64, mtim: i64, fst: i32));
    link_async!(linker, "path_create_directory", path::path_create_directory, (fd: i32, path: i32, path_len: i32));
    link_async!(linker, "path_remove_directory", path::path_remove_directory, (fd: i32, path: i32, path_len: i32));
    link_async!(linker, "path_unlink_file", path::path_unlink_file, (fd: i32, path: i32, path_len: i32));
    link_async!(linker, "path_rename", path::path_rename, (old_fd: i32, old_path: i32, old_len: i32, new_fd: i32, new_path: i32, new_len: i32));
    link_async!(linker, "path_symlink", path::path_symlink, (old_path: i32, old_len: i32, fd: i32, new_path: i32, new_len: i32));
    link_async!(linker, "path_link", path::path_link, (old_fd: i32, old_flags: i32, old_path: i32, old_len: i32, new_fd: i32, new_path: i32, new_len: i32));
    link_async!(linker, "path_readlink", path::path_readlink, (fd: i32, path: i32, path_len: i32, buf: i32, buf_len: i32, bufused: i32));

    link_async!(linker, "poll_oneoff", poll::poll_oneoff, (subs: i32, events: i32, count: i32, nevents: i32));
    link_async!(linker, "sched_yield", poll::sched_yield, ());
    proc::add_to_linker(linker)?;
    Ok(())
}
