//! Clocks and sleeping: `clock_gettime`, and from phase 2 `nanosleep`.

#[cfg(feature = "phase2")]
use crate::errno::Errno;
use crate::errno::{Result, check};
use crate::{nr, syscall};

/// A point in time as the kernel reports it: `struct timespec`, under C's
/// name.
pub use vibix_uapi::time::Timespec as timespec;
pub use vibix_uapi::time::{CLOCK_MONOTONIC, CLOCK_REALTIME};

/// Reads clock `clock`.
pub fn clock_gettime(clock: i32) -> Result<timespec> {
    let mut ts = timespec::default();
    // SAFETY: the kernel writes one `timespec` into `ts`, which we own.
    check(unsafe { syscall!(nr::CLOCK_GETTIME, clock, &raw mut ts) })?;
    Ok(ts)
}

/// Sleeps for `duration` (`nanosleep`). A signal that interrupts the sleep
/// is `EINTR`, and `rem` (if given) receives the time that was left.
#[cfg(feature = "phase2")]
pub fn nanosleep(duration: &timespec, rem: Option<&mut timespec>) -> Result<()> {
    let rem = rem.map_or(core::ptr::null_mut(), |r| r as *mut timespec);
    // SAFETY: the kernel reads one `timespec` from `duration` and writes at
    // most one into `rem` (ours, or null for none).
    check(unsafe { syscall!(nr::NANOSLEEP, duration as *const timespec, rem) }).map(drop)
}

// ANCHOR: sleep
/// Sleeps for at least `secs` seconds and `nanos` nanoseconds (below one
/// second), as `thread::sleep` must: an interrupted sleep is resumed with
/// the time the kernel says was left, and a duration beyond what a
/// `timespec` holds is slept in parts.
#[cfg(feature = "phase2")]
pub fn sleep(mut secs: u64, nanos: u32) {
    let mut nanos = i64::from(nanos);
    while secs > 0 || nanos > 0 {
        let part = secs.min(i64::MAX as u64);
        let mut ts = timespec {
            tv_sec: part as i64,
            tv_nsec: nanos,
        };
        secs -= part;
        nanos = 0;
        loop {
            let mut rem = timespec::default();
            match nanosleep(&ts, Some(&mut rem)) {
                Ok(()) => break,
                Err(Errno::EINTR) => ts = rem,
                // EINVAL or EFAULT cannot happen with this timespec; give up
                // rather than spin.
                Err(_) => return,
            }
        }
    }
}
// ANCHOR_END: sleep
