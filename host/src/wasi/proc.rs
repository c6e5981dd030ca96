//! `proc_exit`, `proc_raise` and the socket calls a sandbox refuses.

use super::ctx::WasiView;
use super::errno::{Errno, Stop};
use super::MODULE;
use wasmtime::{Caller, Linker};

pub(crate) fn add_to_linker<T: WasiView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    // proc_exit returns nothing: the trap carries the status out of wasm.
    linker.func_wrap(
        MODULE,
        "proc_exit",
        |_: Caller<'_, T>, code: i32| -> wasmtime::Result<()> {
            Err(wasmtime::Error::new(Stop::Exit(code)))
        },
    )?;
    // Guests cannot signal anything: there is no other process to reach.
    linker.func_wrap(MODULE, "proc_raise", |_: Caller<'_, T>, _sig: i32| -> i32 {
        Errno::Nosys as i32
    })?;
    // No descriptor is ever a socket, so every socket call fails the way it
    // does on a non-socket descriptor.
    let not_a_socket = |caller: &mut Caller<'_, T>, fd: i32| -> i32 {
        match caller.data_mut().wasi().fds.get(fd as u32) {
            Ok(_) => Errno::Notsock as i32,
            Err(e) => e as i32,
        }
    };
    linker.func_wrap(
        MODULE,
        "sock_accept",
        move |mut c: Caller<'_, T>, fd: i32, _: i32, _: i32| not_a_socket(&mut c, fd),
    )?;
    linker.func_wrap(
        MODULE,
        "sock_recv",
        move |mut c: Caller<'_, T>, fd: i32, _: i32, _: i32, _: i32, _: i32, _: i32| {
            not_a_socket(&mut c, fd)
        },
    )?;
    linker.func_wrap(
        MODULE,
        "sock_send",
        move |mut c: Caller<'_, T>, fd: i32, _: i32, _: i32, _: i32, _: i32| {
            not_a_socket(&mut c, fd)
        },
    )?;
    linker.func_wrap(
        MODULE,
        "sock_shutdown",
        move |mut c: Caller<'_, T>, fd: i32, _: i32| not_a_socket(&mut c, fd),
    )?;
    Ok(())
}
