//! `args_*` and `environ_*`: the argument vector and environment.

use super::ctx::WasiView;
use super::errno::CallResult;
use super::guest_parts;
use wasmtime::Caller;

/// Writes `strings` as NUL-terminated strings into `buf` and their
/// addresses into `ptrs` (the layout of `argv` and `environ`).
fn write_strings<T: WasiView>(
    caller: &mut Caller<'_, T>,
    strings: impl Fn(&super::WasiCtx) -> &[String],
    ptrs: u32,
    buf: u32,
) -> CallResult {
    let (mut mem, ctx) = guest_parts(caller)?;
    let mut ptr = ptrs;
    let mut at = buf;
    for s in strings(ctx) {
        mem.write_u32(ptr, at)?;
        mem.write(at, s.as_bytes())?;
        mem.write(at + s.len() as u32, &[0])?;
        ptr += 4;
        at += s.len() as u32 + 1;
    }
    Ok(())
}

/// Writes the count of `strings` and their total size with terminators.
fn write_sizes<T: WasiView>(
    caller: &mut Caller<'_, T>,
    strings: impl Fn(&super::WasiCtx) -> &[String],
    count_ptr: u32,
    size_ptr: u32,
) -> CallResult {
    let (mut mem, ctx) = guest_parts(caller)?;
    let list = strings(ctx);
    let size: usize = list.iter().map(|s| s.len() + 1).sum();
    mem.write_u32(count_ptr, list.len() as u32)?;
    mem.write_u32(size_ptr, size as u32)?;
    Ok(())
}

pub(crate) fn args_get<T: WasiView>(caller: &mut Caller<'_, T>, argv: u32, buf: u32) -> CallResult {
    write_strings(caller, |ctx| &ctx.args, argv, buf)
}

pub(crate) fn args_sizes_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    count: u32,
    size: u32,
) -> CallResult {
    write_sizes(caller, |ctx| &ctx.args, count, size)
}

pub(crate) fn environ_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    environ: u32,
    buf: u32,
) -> CallResult {
    write_strings(caller, |ctx| &ctx.env, environ, buf)
}

pub(crate) fn environ_sizes_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    count: u32,
    size: u32,
) -> CallResult {
    write_sizes(caller, |ctx| &ctx.env, count, size)
}
