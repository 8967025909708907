//! Random bytes from the kernel: `getrandom`.
//!
//! vibix never hands out predictable bytes (finding S-A1'): without a
//! hardware entropy source `getrandom` fails instead of falling back to
//! something deterministic, and so does [`fill`].

use crate::errno::{Errno, Result, check};
use crate::{nr, syscall};

pub use vibix_uapi::random::GRND_NONBLOCK;

/// Fills up to `buf.len()` bytes; returns how many.
pub fn getrandom(buf: &mut [u8], flags: u32) -> Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
    check(unsafe { syscall!(nr::GETRANDOM, buf.as_mut_ptr(), buf.len(), flags) })
}

/// Fills all of `buf` (blocking until the kernel has entropy), retrying
/// short reads and interruptions.
pub fn fill(mut buf: &mut [u8]) -> Result<()> {
    while !buf.is_empty() {
        match getrandom(buf, 0) {
            Ok(n) => {
                let len = buf.len();
                buf = &mut core::mem::take(&mut buf)[n.min(len)..];
            }
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
