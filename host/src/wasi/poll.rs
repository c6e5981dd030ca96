//! `poll_oneoff` and `sched_yield`.
//!
//! Guests use `poll_oneoff` to sleep (`sleep`, `nanosleep`) and, rarely, to
//! wait for descriptors. Our descriptors never block the host thread, so
//! descriptor subscriptions are reported ready at once and only clock
//! subscriptions wait — on a tokio timer, so other commands keep running.

use super::abi::{clockid, eventtype, EVENT_SIZE, SUBSCRIPTION_CLOCK_ABSTIME, SUBSCRIPTION_SIZE};
use super::clock_random::now_ns;
use super::ctx::WasiView;
use super::errno::{CallResult, Errno, Stop};
use super::guest_parts;
use std::time::{Duration, Instant};
use wasmtime::Caller;

/// One decoded subscription.
enum Subscription {
    /// Wake after this long.
    Clock { userdata: u64, wait: Duration },
    /// Readiness of a descriptor (`error` is set if the fd is bad).
    Fd {
        userdata: u64,
        kind: u8,
        error: Option<Errno>,
    },
}

fn event(userdata: u64, error: u16, kind: u8) -> [u8; EVENT_SIZE] {
    let mut buf = [0u8; EVENT_SIZE];
    buf[0..8].copy_from_slice(&userdata.to_le_bytes());
    buf[8..10].copy_from_slice(&error.to_le_bytes());
    buf[10] = kind;
    buf
}

pub(crate) async fn poll_oneoff<T: WasiView>(
    caller: &mut Caller<'_, T>,
    subs_ptr: u32,
    events_ptr: u32,
    count: u32,
    nevents: u32,
) -> CallResult {
    if count == 0 {
        return Err(Errno::Inval.into());
    }
    let (subs, deadline) = {
        let (mem, ctx) = guest_parts(caller)?;
        let raw = mem.slice(
            subs_ptr,
            count
                .checked_mul(SUBSCRIPTION_SIZE as u32)
                .ok_or(Errno::Fault)?,
        )?;
        let mut subs = Vec::with_capacity(count as usize);
        for chunk in raw.chunks_exact(SUBSCRIPTION_SIZE) {
            let userdata = u64::from_le_bytes(chunk[0..8].try_into().expect("8 bytes"));
            let kind = chunk[8];
            let word =
                |at: usize| u64::from_le_bytes(chunk[at..at + 8].try_into().expect("8 bytes"));
            match kind {
                eventtype::CLOCK => {
                    let id = u32::from_le_bytes(chunk[16..20].try_into().expect("4 bytes"));
                    let timeout = word(24);
                    let flags = u16::from_le_bytes([chunk[40], chunk[41]]);
                    let wait_ns = if flags & SUBSCRIPTION_CLOCK_ABSTIME != 0 {
                        let now = match id {
                            clockid::REALTIME => now_ns(),
                            _ => ctx.started.elapsed().as_nanos() as u64 + 1,
                        };
                        timeout.saturating_sub(now)
                    } else {
                        timeout
                    };
                    subs.push(Subscription::Clock {
                        userdata,
                        wait: Duration::from_nanos(wait_ns),
                    });
                }
                eventtype::FD_READ | eventtype::FD_WRITE => {
                    let fd = u32::from_le_bytes(chunk[16..20].try_into().expect("4 bytes"));
                    let error = ctx.fds.get(fd).err();
                    subs.push(Subscription::Fd {
                        userdata,
                        kind,
                        error,
                    });
                }
                _ => return Err(Errno::Inval.into()),
            }
        }
        (subs, ctx.deadline)
    };

    let mut events: Vec<[u8; EVENT_SIZE]> = Vec::new();
    for sub in &subs {
        if let Subscription::Fd {
            userdata,
            kind,
            error,
        } = sub
        {
            events.push(event(*userdata, error.map_or(0, |e| e as u16), *kind));
        }
    }
    if events.is_empty() {
        let shortest = subs
            .iter()
            .filter_map(|s| match s {
                Subscription::Clock { wait, .. } => Some(*wait),
                Subscription::Fd { .. } => None,
            })
            .min()
            .unwrap_or_default();
        let wake = Instant::now() + shortest;
        if let Some(deadline) = deadline {
            if wake > deadline {
                tokio::time::sleep_until(deadline.into()).await;
                return Err(Stop::Timeout.into());
            }
        }
        tokio::time::sleep_until(wake.into()).await;
        for sub in &subs {
            if let Subscription::Clock { userdata, wait } = sub {
                if *wait <= shortest {
                    events.push(event(*userdata, 0, eventtype::CLOCK));
                }
            }
        }
    }

    let (mut mem, _) = guest_parts(caller)?;
    for (i, ev) in events.iter().enumerate() {
        mem.write(events_ptr + (i * EVENT_SIZE) as u32, ev)?;
    }
    mem.write_u32(nevents, events.len() as u32)?;
    Ok(())
}

pub(crate) async fn sched_yield<T: WasiView>(_caller: &mut Caller<'_, T>) -> CallResult {
    tokio::task::yield_now().await;
    Ok(())
}
