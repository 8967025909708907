//! Phase 1's small syscalls: getpid, clock_gettime, getrandom.

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use alloc::vec;
use kcore::errno::{Errno, KResult};

pub fn getpid(_: &mut TrapFrame) -> KResult<u64> {
    Ok(with_current(|p| u64::from(p.pid)))
}

const CLOCK_REALTIME: u64 = 0;
const CLOCK_MONOTONIC: u64 = 1;
const CLOCK_MONOTONIC_RAW: u64 = 4;
const CLOCK_REALTIME_COARSE: u64 = 5;
const CLOCK_MONOTONIC_COARSE: u64 = 6;
const CLOCK_BOOTTIME: u64 = 7;

/// `clock_gettime(id, *timespec)`: the realtime and monotonic families;
/// any other clock (CPU-time clocks, TAI, alarms) is EINVAL (finding U-A1).
pub fn clock_gettime(f: &mut TrapFrame) -> KResult<u64> {
    let ns = match f.arg(0) {
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

/// Blocking `getrandom` callers waiting for the generator to be ready
/// (each is also woken by the timer, one tick later, to try again).
static ENTROPY_WAIT: crate::proc::waitq::WaitQueue = crate::proc::waitq::WaitQueue::new();

const GRND_NONBLOCK: u64 = 1;
const GRND_RANDOM: u64 = 2;
const GRND_INSECURE: u64 = 4;
/// Linux returns at most this much per call.
const GETRANDOM_MAX: usize = 32 * 1024 * 1024;

/// `getrandom(buf, len, flags)` (findings S-A1' and U-A3).
pub fn getrandom(f: &mut TrapFrame) -> KResult<u64> {
    let (buf, len, flags) = (f.arg(0), f.arg(1) as usize, f.arg(2));
    if flags & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) != 0
        || flags & (GRND_RANDOM | GRND_INSECURE) == (GRND_RANDOM | GRND_INSECURE)
    {
        return Err(Errno::EINVAL);
    }
    let len = len.min(GETRANDOM_MAX);
    kcore::uaccess::check_user_range(buf, len as u64)?;
    let mut bytes = vec![0u8; len.min(64 * 1024)];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(bytes.len());
        while !crate::random::fill(&mut bytes[..n]) {
            if flags & GRND_NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            // Not ready: sleep until the next timer tick (other processes
            // run meanwhile) and try again; a signal ends the wait (EINTR).
            crate::proc::timer::wake_at(crate::arch::pit::ticks() + 1, crate::proc::current_pid());
            ENTROPY_WAIT.sleep()?;
        }
        let at = buf + done as u64;
        // Like Linux, a buffer that runs into a page the process may not
        // write gets the bytes before that page and a short count (EFAULT
        // only if not even the first byte could be written).
        let copied = with_current(|p| uaccess::copy_to_user_prefix(p.mm(), at, &bytes[..n]));
        done += copied;
        if copied < n {
            return if done > 0 { Ok(done as u64) } else { Err(Errno::EFAULT) };
        }
    }
    Ok(done as u64)
}
