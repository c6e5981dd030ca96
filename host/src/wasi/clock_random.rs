//! Clocks and randomness.

use super::abi::clockid;
use super::ctx::WasiView;
use super::errno::{CallResult, Errno};
use super::guest_parts;
use std::time::{SystemTime, UNIX_EPOCH};
use wasmtime::Caller;

/// Resolution reported for every clock, in nanoseconds.
const RESOLUTION_NS: u64 = 1_000;

pub(crate) fn clock_res_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    id: u32,
    out: u32,
) -> CallResult {
    if id > clockid::THREAD_CPUTIME {
        return Err(Errno::Inval.into());
    }
    let (mut mem, _) = guest_parts(caller)?;
    mem.write_u64(out, RESOLUTION_NS)?;
    Ok(())
}

pub(crate) fn clock_time_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    id: u32,
    _precision: u64,
    out: u32,
) -> CallResult {
    let (mut mem, ctx) = guest_parts(caller)?;
    let now = match id {
        clockid::REALTIME => now_ns(),
        // CPU time is approximated by the command's elapsed time: a guest
        // has one thread, and the difference only matters to profilers.
        clockid::MONOTONIC | clockid::PROCESS_CPUTIME | clockid::THREAD_CPUTIME => {
            ctx.started.elapsed().as_nanos() as u64 + 1
        }
        _ => return Err(Errno::Inval.into()),
    };
    mem.write_u64(out, now)?;
    Ok(())
}

/// Nanoseconds since the Unix epoch (0 for a clock set before 1970).
pub(crate) fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

pub(crate) fn random_get<T: WasiView>(
    caller: &mut Caller<'_, T>,
    buf: u32,
    len: u32,
) -> CallResult {
    let (mut mem, _) = guest_parts(caller)?;
    let out = mem.slice_mut(buf, len)?;
    getrandom::fill(out).map_err(|_| Errno::Io)?;
    Ok(())
}
