//! Time syscalls: clock_gettime, nanosleep and clock_nanosleep, on the
//! kernel's clock (`crate::time`).

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use vibix_uapi::time::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME,
    CLOCK_REALTIME_COARSE, TIMER_ABSTIME, Timespec,
};

/// `clock_gettime(id, *timespec)`: the realtime and monotonic families;
/// any other clock (CPU-time clocks, TAI, alarms) is EINVAL (finding U-A1).
pub fn clock_gettime(f: &mut TrapFrame) -> KResult<u64> {
    let id = i32::try_from(f.arg(0)).map_err(|_| Errno::EINVAL)?;
    let ns = match id {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => crate::time::realtime_ns(),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => {
            crate::time::monotonic_ns()
        }
        _ => return Err(Errno::EINVAL),
    };
    // struct timespec { tv_sec: i64, tv_nsec: i64 }
    let mut ts = [0u8; 16];
    ts[..8].copy_from_slice(&(ns / 1_000_000_000).to_le_bytes());
    ts[8..].copy_from_slice(&(ns % 1_000_000_000).to_le_bytes());
    with_current(|p| uaccess::copy_to_user(p.mm(), f.arg(1), &ts)).map(|()| 0)
}

const NS_PER_SEC: u64 = 1_000_000_000;
const NS_PER_TICK: u64 = NS_PER_SEC / crate::arch::pit::HZ as u64;

/// Reads a `struct timespec` and checks it: `tv_sec >= 0` and
/// `0 <= tv_nsec < 10^9`, else EINVAL. Returns it in nanoseconds (capped).
fn read_timespec(addr: u64) -> KResult<u64> {
    let mut ts = [0u8; core::mem::size_of::<Timespec>()];
    with_current(|p| uaccess::copy_from_user(p.mm(), &mut ts, addr))?;
    let sec = i64::from_le_bytes(ts[..8].try_into().expect("8 bytes"));
    let nsec = i64::from_le_bytes(ts[8..].try_into().expect("8 bytes"));
    if sec < 0 || !(0..NS_PER_SEC as i64).contains(&nsec) {
        return Err(Errno::EINVAL);
    }
    Ok((sec as u64)
        .saturating_mul(NS_PER_SEC)
        .saturating_add(nsec as u64))
}

/// Sleeps until the monotonic clock reaches `end_ns`. A signal ends the
/// sleep early with EINTR, after the time left is written to `rem` (if
/// given and `write_rem`).
fn sleep_until_ns(end_ns: u64, rem: u64, write_rem: bool) -> KResult<u64> {
    loop {
        let now = crate::time::monotonic_ns();
        if now >= end_ns {
            return Ok(0);
        }
        // One tick more than the time left: the current tick is partly gone.
        let ticks = (end_ns - now).div_ceil(NS_PER_TICK) + 1;
        if let Err(e) = crate::proc::timer::sleep_until(crate::arch::pit::ticks() + ticks) {
            if write_rem && rem != 0 {
                let left = end_ns.saturating_sub(crate::time::monotonic_ns());
                let mut ts = [0u8; core::mem::size_of::<Timespec>()];
                ts[..8].copy_from_slice(&(left / NS_PER_SEC).to_le_bytes());
                ts[8..].copy_from_slice(&(left % NS_PER_SEC).to_le_bytes());
                with_current(|p| uaccess::copy_to_user(p.mm(), rem, &ts))?;
            }
            return Err(e);
        }
    }
}

/// `nanosleep(*req, *rem)`: a relative sleep on the monotonic clock, at
/// least as long as asked (rounded up to timer ticks).
pub fn nanosleep(f: &mut TrapFrame) -> KResult<u64> {
    let ns = read_timespec(f.arg(0))?;
    let end = crate::time::monotonic_ns().saturating_add(ns);
    sleep_until_ns(end, f.arg(1), true)
}

/// `clock_nanosleep(id, flags, *req, *rem)`: on the realtime or monotonic
/// clocks; `TIMER_ABSTIME` makes `req` a time of that clock (and `rem` is
/// not written). Other clocks are EINVAL; other flag bits are ignored, as
/// on Linux.
pub fn clock_nanosleep(f: &mut TrapFrame) -> KResult<u64> {
    let id = i32::try_from(f.arg(0)).map_err(|_| Errno::EINVAL)?;
    let realtime = match id {
        CLOCK_REALTIME => true,
        CLOCK_MONOTONIC | CLOCK_BOOTTIME => false,
        _ => return Err(Errno::EINVAL),
    };
    let absolute = f.arg(1) & TIMER_ABSTIME as u64 != 0;
    let ns = read_timespec(f.arg(2))?;
    let now = crate::time::monotonic_ns();
    let end = if !absolute {
        now.saturating_add(ns)
    } else if realtime {
        now.saturating_add(ns.saturating_sub(crate::time::realtime_ns()))
    } else {
        ns
    };
    sleep_until_ns(end, f.arg(3), !absolute)
}
