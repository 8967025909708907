//! Time syscalls: clock_gettime, on the kernel's clock (`crate::time`).

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use vibix_uapi::time::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME,
    CLOCK_REALTIME_COARSE,
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
