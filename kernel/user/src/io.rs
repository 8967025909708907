//! Reading and writing file descriptors: `read` (0) and `write` (1).
//!
//! The safe functions take slices, so the buffer is valid by construction.
//! The `_raw` variants take any pointer, which the EFAULT tests need. They
//! show an asymmetry worth noticing: `write` only *reads* our memory, so
//! whatever pointer we pass, nothing in our process can change and the worst
//! outcome is an `EFAULT` answer; `write_raw` is therefore safe. `read`
//! *writes* our memory, so handing it a pointer into, say, an immutable
//! value would break Rust's rules; `read_raw` is `unsafe`.

use crate::errno::Errno;
use crate::nr;
use crate::syscall::syscall3;

/// The standard input, output and error file descriptors.
pub const STDIN: i32 = vibix_uapi::fcntl::STDIN_FILENO;
pub const STDOUT: i32 = vibix_uapi::fcntl::STDOUT_FILENO;
pub const STDERR: i32 = vibix_uapi::fcntl::STDERR_FILENO;

/// Reads up to `buf.len()` bytes from `fd`; returns how many were read
/// (0 at end of file).
pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is a live, exclusive borrow of `buf.len()` bytes, so the
    // kernel may write any of them.
    unsafe { read_raw(fd, buf.as_mut_ptr(), buf.len()) }
}

/// Reads up to `len` bytes from `fd` into the memory at `buf`.
///
/// # Safety
///
/// The kernel may write any of the `len` bytes at `buf`: each must either be
/// memory no Rust reference currently covers, or be left unmapped (the call
/// then fails with `EFAULT`).
pub unsafe fn read_raw(fd: i32, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: `read` writes at most `len` bytes at `buf`, which the caller
    // allows.
    Errno::from_ret(unsafe { syscall3(nr::READ, fd as usize, buf as usize, len) })
}

/// Writes up to `buf.len()` bytes to `fd`; returns how many were written,
/// which may be fewer than asked for (see [`write_all`]).
pub fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno> {
    write_raw(fd, buf.as_ptr(), buf.len())
}

/// Writes up to `len` bytes from the memory at `buf` to `fd`. Any pointer is
/// allowed: if the memory is not readable, the kernel answers `EFAULT`.
pub fn write_raw(fd: i32, buf: *const u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: `write` only reads user memory and the kernel checks the
    // pointer, so no memory of this process changes whatever `buf` is.
    Errno::from_ret(unsafe { syscall3(nr::WRITE, fd as usize, buf as usize, len) })
}

/// Writes all of `buf`, looping over short writes. Stops at the first error
/// (other than an interrupted call) and returns it.
pub fn write_all(fd: i32, mut buf: &[u8]) -> Result<(), Errno> {
    while !buf.is_empty() {
        match write(fd, buf) {
            Ok(0) => return Err(Errno::EIO),
            Ok(n) => buf = &buf[n..],
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
