//! Clocks: `clock_gettime`.

use crate::errno::{Result, check};
use crate::{nr, syscall};

/// Wall-clock time: seconds since 1970-01-01 00:00 UTC (`SystemTime`).
pub const CLOCK_REALTIME: i32 = 0;
/// Time since an arbitrary start that never goes backwards (`Instant`).
pub const CLOCK_MONOTONIC: i32 = 1;

/// A point in time as the kernel reports it: the C `struct timespec`.
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
#[repr(C)]
pub struct timespec {
    /// Whole seconds.
    pub tv_sec: i64,
    /// Nanoseconds, `0..1_000_000_000`.
    pub tv_nsec: i64,
}

/// Reads clock `clock`.
pub fn clock_gettime(clock: i32) -> Result<timespec> {
    let mut ts = timespec::default();
    // SAFETY: the kernel writes one `timespec` into `ts`, which we own.
    check(unsafe { syscall!(nr::CLOCK_GETTIME, clock, &raw mut ts) })?;
    Ok(ts)
}
