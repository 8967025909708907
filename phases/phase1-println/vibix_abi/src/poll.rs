//! Waiting for several descriptors at once: `poll`. std uses it to drain a
//! child's stdout and stderr together, so that neither pipe fills up while
//! the parent waits on the other.

use crate::errno::{Result, check};
use crate::{nr, syscall};

pub use vibix_uapi::poll::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, PollFd as pollfd};

/// Waits until one of `fds` is ready (its `revents` say how), at most
/// `timeout_ms` milliseconds (negative: no limit). Returns how many entries
/// have `revents` set; 0 if the time ran out. A signal ends the wait with
/// `EINTR`.
pub fn poll(fds: &mut [pollfd], timeout_ms: i32) -> Result<usize> {
    // SAFETY: the kernel reads and writes `fds.len()` entries of `fds`,
    // which we own.
    check(unsafe { syscall!(nr::POLL, fds.as_mut_ptr(), fds.len(), timeout_ms) })
}
