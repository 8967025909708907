//! Files: `open` (2), `openat` (257), `close` (3), `lseek` (8), `fstat` (5).
//!
//! Paths are C strings (`&CStr`, written `c"etc/motd"`): the kernel reads the
//! bytes up to the terminating NUL. As with `write`, the kernel only reads a
//! path, so the raw variant taking any pointer is safe; `fstat` writes a
//! [`Stat`] into our memory, so its raw variant is `unsafe`.

use core::ffi::CStr;

use crate::errno::Errno;
use crate::nr;
use crate::stat::Stat;
use crate::syscall::{syscall1, syscall2, syscall3, syscall4};

/// `open` flags (the Linux values).
pub const O_RDONLY: u32 = vibix_uapi::fcntl::O_RDONLY as u32;
pub const O_WRONLY: u32 = vibix_uapi::fcntl::O_WRONLY as u32;
pub const O_RDWR: u32 = vibix_uapi::fcntl::O_RDWR as u32;
pub const O_CREAT: u32 = vibix_uapi::fcntl::O_CREAT as u32;
pub const O_EXCL: u32 = vibix_uapi::fcntl::O_EXCL as u32;
pub const O_TRUNC: u32 = vibix_uapi::fcntl::O_TRUNC as u32;
pub const O_APPEND: u32 = vibix_uapi::fcntl::O_APPEND as u32;
pub const O_DIRECTORY: u32 = vibix_uapi::fcntl::O_DIRECTORY as u32;
pub const O_NOFOLLOW: u32 = vibix_uapi::fcntl::O_NOFOLLOW as u32;
pub const O_CLOEXEC: u32 = vibix_uapi::fcntl::O_CLOEXEC as u32;

/// `openat`'s `dirfd` meaning "relative to the current directory".
pub const AT_FDCWD: i32 = vibix_uapi::fcntl::AT_FDCWD;

/// `lseek` origins: from the start, from the current offset, from the end.
pub const SEEK_SET: u32 = vibix_uapi::fcntl::SEEK_SET as u32;
pub const SEEK_CUR: u32 = vibix_uapi::fcntl::SEEK_CUR as u32;
pub const SEEK_END: u32 = vibix_uapi::fcntl::SEEK_END as u32;

/// Opens `path` (relative to the current directory unless it starts with
/// `/`); returns the new file descriptor.
pub fn open(path: &CStr, flags: u32, mode: u32) -> Result<i32, Errno> {
    open_raw(path.as_ptr().cast(), flags, mode)
}

/// Opens the NUL-terminated path at `path`, which may be any pointer: if it
/// is not readable the kernel answers `EFAULT`.
pub fn open_raw(path: *const u8, flags: u32, mode: u32) -> Result<i32, Errno> {
    // SAFETY: `open` only reads the path, and the kernel checks the pointer.
    let ret = unsafe { syscall3(nr::OPEN, path as usize, flags as usize, mode as usize) };
    // File descriptors are small non-negative `int`s.
    Errno::from_ret(ret).map(|fd| fd as i32)
}

/// Opens `path` relative to the directory `dirfd` (or to the current
/// directory if `dirfd` is [`AT_FDCWD`]).
pub fn openat(dirfd: i32, path: &CStr, flags: u32, mode: u32) -> Result<i32, Errno> {
    // SAFETY: `openat` only reads the path, which is a valid C string.
    let ret = unsafe {
        syscall4(
            nr::OPENAT,
            dirfd as usize,
            path.as_ptr() as usize,
            flags as usize,
            mode as usize,
        )
    };
    Errno::from_ret(ret).map(|fd| fd as i32)
}

/// Closes `fd`.
pub fn close(fd: i32) -> Result<(), Errno> {
    // SAFETY: closing a descriptor touches no memory of this process.
    Errno::from_ret(unsafe { syscall1(nr::CLOSE, fd as usize) }).map(|_| ())
}

/// Moves `fd`'s file offset to `offset` from `whence` ([`SEEK_SET`],
/// [`SEEK_CUR`] or [`SEEK_END`]); returns the new offset.
pub fn lseek(fd: i32, offset: i64, whence: u32) -> Result<usize, Errno> {
    // SAFETY: `lseek` touches no memory of this process.
    Errno::from_ret(unsafe { syscall3(nr::LSEEK, fd as usize, offset as usize, whence as usize) })
}

/// Returns the status of the file open as `fd`.
pub fn fstat(fd: i32) -> Result<Stat, Errno> {
    let mut stat = Stat::default();
    // SAFETY: `stat` is a live, exclusive local of exactly the size the
    // kernel writes.
    unsafe { fstat_raw(fd, &raw mut stat) }?;
    Ok(stat)
}

/// Stores the status of `fd` at `buf`.
///
/// # Safety
///
/// The kernel writes `size_of::<Stat>()` (144) bytes at `buf`: they must be
/// memory no Rust reference currently covers, or be left unmapped (the call
/// then fails with `EFAULT`).
pub unsafe fn fstat_raw(fd: i32, buf: *mut Stat) -> Result<(), Errno> {
    // SAFETY: the caller allows the kernel to write a `Stat` at `buf`.
    Errno::from_ret(unsafe { syscall2(nr::FSTAT, fd as usize, buf as usize) }).map(|_| ())
}
