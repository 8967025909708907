//! Reading and writing descriptors: `read`, `write`, `writev`.

use crate::errno::{Result, check};
use crate::{nr, syscall};

pub use vibix_uapi::fcntl::{STDERR_FILENO, STDIN_FILENO, STDOUT_FILENO};
pub use vibix_uapi::uio::IOV_MAX;

/// One buffer of a vectored write: `struct iovec`, under C's name (std's
/// `IoSlice` is one).
pub use vibix_uapi::uio::Iovec as iovec;

/// Reads up to `buf.len()` bytes from `fd`.
pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`, which
    // is ours to write for the duration of the call.
    check(unsafe { syscall!(nr::READ, fd, buf.as_mut_ptr(), buf.len()) })
}

// ANCHOR: write
/// Writes up to `buf.len()` bytes to `fd`; returns how many were written.
pub fn write(fd: i32, buf: &[u8]) -> Result<usize> {
    // SAFETY: the kernel only reads `buf.len()` bytes from `buf`.
    check(unsafe { syscall!(nr::WRITE, fd, buf.as_ptr(), buf.len()) })
}
// ANCHOR_END: write

/// Writes the buffers `iov` describes, in order, as one operation.
///
/// # Safety
///
/// Every entry must describe memory readable for its whole length for the
/// duration of the call (std's `IoSlice`s always do).
pub unsafe fn writev(fd: i32, iov: &[iovec]) -> Result<usize> {
    let count = iov.len().min(IOV_MAX);
    // SAFETY: the kernel reads `count` entries of `iov`, and through them
    // memory the caller guarantees readable.
    check(unsafe { syscall!(nr::WRITEV, fd, iov.as_ptr(), count) })
}
