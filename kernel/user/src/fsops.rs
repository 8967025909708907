//! File-system calls on paths and descriptors, beyond [`crate::fs`]:
//! `stat` (4), `lstat` (6), `newfstatat` (262), `mkdir` (83), `mkdirat`
//! (258), `rmdir` (84), `unlink` (87), `unlinkat` (263), `link` (86),
//! `symlink` (88), `readlink` (89), `access` (21), `faccessat` (269),
//! `chmod` (90), `fchmod` (91), `truncate` (76), `ftruncate` (77), `fsync`
//! (74).
//!
//! As in [`crate::fs`], a call that only reads our memory (a path) is safe
//! whatever pointer it gets, and a call that writes into our memory has an
//! `unsafe` raw variant.

use core::ffi::CStr;

use crate::errno::Errno;
use crate::nr;
use crate::stat::Stat;
use crate::syscall::{syscall1, syscall2, syscall3, syscall4};

/// `*at` flags.
pub const AT_SYMLINK_NOFOLLOW: u32 = vibix_uapi::fcntl::AT_SYMLINK_NOFOLLOW as u32;
pub const AT_REMOVEDIR: u32 = vibix_uapi::fcntl::AT_REMOVEDIR as u32;
pub const AT_EMPTY_PATH: u32 = vibix_uapi::fcntl::AT_EMPTY_PATH as u32;

/// `access` modes: existence, execute, write, read.
pub const F_OK: u32 = vibix_uapi::stat::F_OK as u32;
pub const X_OK: u32 = vibix_uapi::stat::X_OK as u32;
pub const W_OK: u32 = vibix_uapi::stat::W_OK as u32;
pub const R_OK: u32 = vibix_uapi::stat::R_OK as u32;

fn unit(ret: usize) -> Result<(), Errno> {
    Errno::from_ret(ret).map(|_| ())
}

/// The status of the file `path` names, following a final symlink.
pub fn stat(path: &CStr) -> Result<Stat, Errno> {
    let mut st = Stat::default();
    // SAFETY: `st` is a live, exclusive local of the size the kernel writes.
    unsafe { stat_raw(path.as_ptr().cast(), &raw mut st) }?;
    Ok(st)
}

/// Like [`stat`], but a final symlink is described itself.
pub fn lstat(path: &CStr) -> Result<Stat, Errno> {
    let mut st = Stat::default();
    // SAFETY: as in `stat`.
    Errno::from_ret(unsafe {
        syscall2(nr::LSTAT, path.as_ptr() as usize, (&raw mut st) as usize)
    })?;
    Ok(st)
}

/// `stat` with any path pointer and any buffer.
///
/// # Safety
///
/// The kernel writes a [`Stat`] (144 bytes) at `buf`: memory no Rust
/// reference covers, or unmapped (the call then fails with `EFAULT`).
pub unsafe fn stat_raw(path: *const u8, buf: *mut Stat) -> Result<(), Errno> {
    // SAFETY: the caller allows the kernel to write a `Stat` at `buf`.
    unit(unsafe { syscall2(nr::STAT, path as usize, buf as usize) })
}

/// `newfstatat(dirfd, path, &st, flags)`: [`AT_SYMLINK_NOFOLLOW`],
/// [`AT_EMPTY_PATH`].
pub fn fstatat(dirfd: i32, path: &CStr, flags: u32) -> Result<Stat, Errno> {
    let mut st = Stat::default();
    // SAFETY: as in `stat`.
    let ret = unsafe {
        syscall4(
            nr::NEWFSTATAT,
            dirfd as usize,
            path.as_ptr() as usize,
            (&raw mut st) as usize,
            flags as usize,
        )
    };
    Errno::from_ret(ret)?;
    Ok(st)
}

/// Makes directory `path` with permission bits `mode` (less the umask).
pub fn mkdir(path: &CStr, mode: u32) -> Result<(), Errno> {
    // SAFETY: `mkdir` only reads the path.
    unit(unsafe { syscall2(nr::MKDIR, path.as_ptr() as usize, mode as usize) })
}

/// Makes directory `path`, relative to directory `dirfd`.
pub fn mkdirat(dirfd: i32, path: &CStr, mode: u32) -> Result<(), Errno> {
    // SAFETY: `mkdirat` only reads the path.
    unit(unsafe {
        syscall3(
            nr::MKDIRAT,
            dirfd as usize,
            path.as_ptr() as usize,
            mode as usize,
        )
    })
}

/// Removes the empty directory `path`.
pub fn rmdir(path: &CStr) -> Result<(), Errno> {
    // SAFETY: `rmdir` only reads the path.
    unit(unsafe { syscall1(nr::RMDIR, path.as_ptr() as usize) })
}

/// Removes the name `path` (not a directory).
pub fn unlink(path: &CStr) -> Result<(), Errno> {
    unlink_raw(path.as_ptr().cast())
}

/// `unlink` with any path pointer: a bad one is `EFAULT`.
pub fn unlink_raw(path: *const u8) -> Result<(), Errno> {
    // SAFETY: `unlink` only reads the path, and the kernel checks the pointer.
    unit(unsafe { syscall1(nr::UNLINK, path as usize) })
}

/// `unlinkat(dirfd, path, flags)`: with [`AT_REMOVEDIR`], `rmdir`.
pub fn unlinkat(dirfd: i32, path: &CStr, flags: u32) -> Result<(), Errno> {
    // SAFETY: `unlinkat` only reads the path.
    unit(unsafe {
        syscall3(
            nr::UNLINKAT,
            dirfd as usize,
            path.as_ptr() as usize,
            flags as usize,
        )
    })
}

/// Gives the file `old` the additional name `new`.
pub fn link(old: &CStr, new: &CStr) -> Result<(), Errno> {
    // SAFETY: `link` only reads the paths.
    unit(unsafe { syscall2(nr::LINK, old.as_ptr() as usize, new.as_ptr() as usize) })
}

/// Makes `path` a symbolic link to `target`.
pub fn symlink(target: &CStr, path: &CStr) -> Result<(), Errno> {
    // SAFETY: `symlink` only reads the strings.
    unit(unsafe {
        syscall2(
            nr::SYMLINK,
            target.as_ptr() as usize,
            path.as_ptr() as usize,
        )
    })
}

/// Reads the target of symlink `path` into `buf` (cut to fit, no NUL);
/// returns its length.
pub fn readlink(path: &CStr, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is a live, exclusive borrow of `buf.len()` bytes.
    unsafe { readlink_raw(path, buf.as_mut_ptr(), buf.len()) }
}

/// `readlink` into any buffer.
///
/// # Safety
///
/// The kernel may write up to `len` bytes at `buf`: memory no Rust
/// reference covers, or unmapped (`EFAULT`).
pub unsafe fn readlink_raw(path: &CStr, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: the caller allows the writes.
    Errno::from_ret(unsafe { syscall3(nr::READLINK, path.as_ptr() as usize, buf as usize, len) })
}

/// Checks that `path` exists and may be accessed as `mode` says
/// ([`F_OK`], or [`R_OK`] | [`W_OK`] | [`X_OK`]).
pub fn access(path: &CStr, mode: u32) -> Result<(), Errno> {
    // SAFETY: `access` only reads the path.
    unit(unsafe { syscall2(nr::ACCESS, path.as_ptr() as usize, mode as usize) })
}

/// [`access`] relative to directory `dirfd`.
pub fn faccessat(dirfd: i32, path: &CStr, mode: u32) -> Result<(), Errno> {
    // SAFETY: `faccessat` only reads the path.
    unit(unsafe {
        syscall3(
            nr::FACCESSAT,
            dirfd as usize,
            path.as_ptr() as usize,
            mode as usize,
        )
    })
}

/// Sets the permission bits of `path`.
pub fn chmod(path: &CStr, mode: u32) -> Result<(), Errno> {
    // SAFETY: `chmod` only reads the path.
    unit(unsafe { syscall2(nr::CHMOD, path.as_ptr() as usize, mode as usize) })
}

/// Sets the permission bits of the file open as `fd`.
pub fn fchmod(fd: i32, mode: u32) -> Result<(), Errno> {
    // SAFETY: `fchmod` touches no memory of this process.
    unit(unsafe { syscall2(nr::FCHMOD, fd as usize, mode as usize) })
}

/// Sets the length of file `path` (cut, or extended with zeros).
pub fn truncate(path: &CStr, len: i64) -> Result<(), Errno> {
    // SAFETY: `truncate` only reads the path.
    unit(unsafe { syscall2(nr::TRUNCATE, path.as_ptr() as usize, len as usize) })
}

/// Sets the length of the file open (for writing) as `fd`.
pub fn ftruncate(fd: i32, len: i64) -> Result<(), Errno> {
    // SAFETY: `ftruncate` touches no memory of this process.
    unit(unsafe { syscall2(nr::FTRUNCATE, fd as usize, len as usize) })
}

/// Flushes the file open as `fd` to storage.
pub fn fsync(fd: i32) -> Result<(), Errno> {
    // SAFETY: `fsync` touches no memory of this process.
    unit(unsafe { syscall1(nr::FSYNC, fd as usize) })
}
