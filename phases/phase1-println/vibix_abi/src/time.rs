//! Clocks: `clock_gettime`.

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
