//! Reading and writing descriptors: `read`, `write`, `writev`.

use core::ffi::c_void;

use crate::errno::{Result, check};
use crate::{nr, syscall};

/// Standard input.
pub const STDIN_FILENO: i32 = 0;
/// Standard output.
pub const STDOUT_FILENO: i32 = 1;
/// Standard error.
pub const STDERR_FILENO: i32 = 2;

/// The most buffers one `writev` takes (Linux's `UIO_MAXIOV`).
pub const IOV_MAX: usize = 1024;

/// One buffer of a vectored I/O call: the C `struct iovec`. std's
/// `IoSlice` wraps it on vibix, so a `&[IoSlice]` is an iovec array.
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub struct iovec {
    /// Start of the buffer.
    pub iov_base: *mut c_void,
    /// Its length in bytes.
    pub iov_len: usize,
}

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
