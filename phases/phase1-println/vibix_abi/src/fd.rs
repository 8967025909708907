//! Descriptors as things a program owns: closing and duplicating them,
//! close-on-exec and non-blocking mode, pipes, and the reads and writes
//! beyond plain `read`/`write` (vectored, positioned, seeking). std's
//! `FileDesc`, which every file, pipe and child's stdio is, is built on
//! these.

use crate::errno::{Result, check};
use crate::io::{IOV_MAX, iovec};
use crate::{nr, syscall};
use vibix_uapi::fcntl::{F_DUPFD_CLOEXEC, F_GETFD, F_GETFL, F_SETFD, F_SETFL, FD_CLOEXEC};

pub use vibix_uapi::fcntl::{O_CLOEXEC, O_NONBLOCK, SEEK_CUR, SEEK_END, SEEK_SET};

/// Closes `fd`. Linux frees the descriptor even when `close` reports an
/// error, so there is nothing to retry.
pub fn close(fd: i32) -> Result<()> {
    // SAFETY: closing a descriptor touches no memory of ours; the caller
    // owns `fd` and does not use it afterwards.
    check(unsafe { syscall!(nr::CLOSE, fd) }).map(drop)
}

/// A new descriptor `>= min` for the same open file description, with
/// close-on-exec set (`fcntl(F_DUPFD_CLOEXEC)`).
pub fn duplicate(fd: i32, min: i32) -> Result<i32> {
    // SAFETY: `fcntl(F_DUPFD_CLOEXEC)` only creates a descriptor.
    check(unsafe { syscall!(nr::FCNTL, fd, F_DUPFD_CLOEXEC, min) }).map(|fd| fd as i32)
}

/// Makes `new` refer to what `old` refers to (`dup3`, closing `new` first
/// if it was open); `cloexec` sets close-on-exec on `new`.
pub fn duplicate_to(old: i32, new: i32, cloexec: bool) -> Result<()> {
    let flags = if cloexec { O_CLOEXEC } else { 0 };
    // SAFETY: `dup3` only changes the descriptor table.
    check(unsafe { syscall!(nr::DUP3, old, new, flags) }).map(drop)
}

/// Sets or clears close-on-exec on `fd`.
pub fn set_cloexec(fd: i32, cloexec: bool) -> Result<()> {
    let flag = if cloexec { FD_CLOEXEC } else { 0 };
    // SAFETY: `fcntl(F_SETFD)` only changes the descriptor's flags.
    check(unsafe { syscall!(nr::FCNTL, fd, F_SETFD, flag) }).map(drop)
}

/// Whether close-on-exec is set on `fd`.
pub fn cloexec(fd: i32) -> Result<bool> {
    // SAFETY: `fcntl(F_GETFD)` only reads the descriptor's flags.
    check(unsafe { syscall!(nr::FCNTL, fd, F_GETFD) }).map(|f| f as i32 & FD_CLOEXEC != 0)
}

/// Switches `O_NONBLOCK` on or off for `fd`'s open file description.
pub fn set_nonblocking(fd: i32, nonblocking: bool) -> Result<()> {
    // SAFETY: `fcntl(F_GETFL)` only reads the description's flags.
    let flags = check(unsafe { syscall!(nr::FCNTL, fd, F_GETFL) })? as i32;
    let new = if nonblocking {
        flags | O_NONBLOCK
    } else {
        flags & !O_NONBLOCK
    };
    if new != flags {
        // SAFETY: `fcntl(F_SETFL)` only changes the description's flags.
        check(unsafe { syscall!(nr::FCNTL, fd, F_SETFL, new) })?;
    }
    Ok(())
}

/// A pipe: `(read end, write end)`, both close-on-exec.
pub fn pipe() -> Result<(i32, i32)> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two `int`s to `fds`, which is ours.
    check(unsafe { syscall!(nr::PIPE2, fds.as_mut_ptr(), O_CLOEXEC) })?;
    Ok((fds[0], fds[1]))
}

/// Reads into the buffers `iov` describes, in order, as one operation.
///
/// # Safety
///
/// Every entry must describe memory writable for its whole length for the
/// duration of the call (std's `IoSliceMut`s always do).
pub unsafe fn readv(fd: i32, iov: &[iovec]) -> Result<usize> {
    let count = iov.len().min(IOV_MAX);
    // SAFETY: the kernel reads `count` entries of `iov` and writes through
    // them to memory the caller guarantees writable.
    check(unsafe { syscall!(nr::READV, fd, iov.as_ptr(), count) })
}

/// Reads up to `buf.len()` bytes at `offset`, leaving the file offset alone.
pub fn read_at(fd: i32, buf: &mut [u8], offset: u64) -> Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
    check(unsafe { syscall!(nr::PREAD64, fd, buf.as_mut_ptr(), buf.len(), offset) })
}

/// Writes up to `buf.len()` bytes at `offset`, leaving the file offset alone.
pub fn write_at(fd: i32, buf: &[u8], offset: u64) -> Result<usize> {
    // SAFETY: the kernel only reads `buf.len()` bytes from `buf`.
    check(unsafe { syscall!(nr::PWRITE64, fd, buf.as_ptr(), buf.len(), offset) })
}

/// Moves the file offset (`whence` is [`SEEK_SET`], [`SEEK_CUR`] or
/// [`SEEK_END`]); returns the new offset.
pub fn seek(fd: i32, offset: i64, whence: i32) -> Result<u64> {
    // SAFETY: `lseek` touches no memory of ours.
    check(unsafe { syscall!(nr::LSEEK, fd, offset, whence) }).map(|off| off as u64)
}
