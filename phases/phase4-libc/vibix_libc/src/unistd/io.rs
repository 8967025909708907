//! `<unistd.h>`: descriptors: `read`, `write`, `pread`, `pwrite`, `close`,
//! `lseek`, `dup`, `dup2`, `dup3`, `pipe`, `pipe2`, `fsync`, `fdatasync`,
//! `ftruncate`, `truncate`, `isatty`. Each is one system call; the result
//! or `-1` with `errno` comes back as Linux's C library returns it.

use vibix_uapi::{nr, syscall};

use crate::sysret::{ret, ret_int};
use crate::types::{c_char, c_int, c_void, off_t, size_t, ssize_t};

/// Reads up to `count` bytes from `fd` into `buf`.
///
/// # Safety
///
/// `buf` must be writable for `count` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn read(fd: c_int, buf: *mut c_void, count: size_t) -> ssize_t {
    // SAFETY: the kernel writes at most `count` bytes at `buf` (the
    // caller's promise), or fails with EFAULT.
    ret(unsafe { syscall!(nr::READ, fd, buf, count) })
}

/// Writes up to `count` bytes from `buf` to `fd`.
///
/// # Safety
///
/// `buf` must be readable for `count` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn write(fd: c_int, buf: *const c_void, count: size_t) -> ssize_t {
    // SAFETY: the kernel only reads `count` bytes at `buf`.
    ret(unsafe { syscall!(nr::WRITE, fd, buf, count) })
}

/// Reads up to `count` bytes at `offset`, leaving the file offset alone.
///
/// # Safety
///
/// `buf` must be writable for `count` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pread(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    // SAFETY: the kernel writes at most `count` bytes at `buf`.
    ret(unsafe { syscall!(nr::PREAD64, fd, buf, count, offset) })
}

/// Writes up to `count` bytes at `offset`, leaving the file offset alone.
///
/// # Safety
///
/// `buf` must be readable for `count` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pwrite(
    fd: c_int,
    buf: *const c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    // SAFETY: the kernel only reads `count` bytes at `buf`.
    ret(unsafe { syscall!(nr::PWRITE64, fd, buf, count, offset) })
}

/// Closes `fd` (Linux frees the descriptor even when it reports an error).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn close(fd: c_int) -> c_int {
    // SAFETY: closing a descriptor touches no memory.
    ret_int(unsafe { syscall!(nr::CLOSE, fd) })
}

/// Moves the file offset of `fd`; returns the new offset.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lseek(fd: c_int, offset: off_t, whence: c_int) -> off_t {
    // SAFETY: `lseek` touches no memory.
    ret(unsafe { syscall!(nr::LSEEK, fd, offset, whence) }) as off_t
}

/// The lowest free descriptor, for the same open file as `fd`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn dup(fd: c_int) -> c_int {
    // SAFETY: `dup` only changes the descriptor table.
    ret_int(unsafe { syscall!(nr::DUP, fd) })
}

/// Makes `new` refer to what `old` refers to (`new` is closed first).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn dup2(old: c_int, new: c_int) -> c_int {
    // SAFETY: `dup2` only changes the descriptor table.
    ret_int(unsafe { syscall!(nr::DUP2, old, new) })
}

/// [`dup2`] with flags (`O_CLOEXEC`); `old == new` is `EINVAL`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn dup3(old: c_int, new: c_int, flags: c_int) -> c_int {
    // SAFETY: `dup3` only changes the descriptor table.
    ret_int(unsafe { syscall!(nr::DUP3, old, new, flags) })
}

/// A pipe: `fds[0]` its read end, `fds[1]` its write end.
///
/// # Safety
///
/// `fds` must be writable for two `int`s.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pipe(fds: *mut c_int) -> c_int {
    // SAFETY: the kernel writes two `int`s at `fds`.
    ret_int(unsafe { syscall!(nr::PIPE2, fds, 0) })
}

/// [`pipe`] with flags (`O_CLOEXEC`, `O_NONBLOCK`).
///
/// # Safety
///
/// `fds` must be writable for two `int`s.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pipe2(fds: *mut c_int, flags: c_int) -> c_int {
    // SAFETY: the kernel writes two `int`s at `fds`.
    ret_int(unsafe { syscall!(nr::PIPE2, fds, flags) })
}

/// Flushes the file's data and metadata to its storage.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fsync(fd: c_int) -> c_int {
    // SAFETY: `fsync` touches no memory.
    ret_int(unsafe { syscall!(nr::FSYNC, fd) })
}

/// Flushes the file's data.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fdatasync(fd: c_int) -> c_int {
    // SAFETY: `fdatasync` touches no memory.
    ret_int(unsafe { syscall!(nr::FDATASYNC, fd) })
}

/// Sets the size of the file `fd` refers to.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ftruncate(fd: c_int, length: off_t) -> c_int {
    // SAFETY: `ftruncate` touches no memory.
    ret_int(unsafe { syscall!(nr::FTRUNCATE, fd, length) })
}

/// Sets the size of the file at `path`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn truncate(path: *const c_char, length: off_t) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::TRUNCATE, path, length) })
}

/// 1 if `fd` is a terminal (it answers `TCGETS`), else 0 with `errno` set
/// (`ENOTTY`, or `EBADF` for a closed descriptor).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isatty(fd: c_int) -> c_int {
    if ret(tcgets(fd)) < 0 { 0 } else { 1 }
}

/// `ioctl(fd, TCGETS)`'s raw result: it succeeds only on a terminal (the
/// test behind `isatty` and stdio's choice of line buffering).
pub(crate) fn tcgets(fd: c_int) -> usize {
    // The kernel writes a `struct termios` here.
    let mut termios = [0u32; vibix_uapi::ioctl::TERMIOS_SIZE / 4];
    // SAFETY: `TCGETS` writes one `struct termios` into
    // `termios`, which is ours and that large.
    unsafe {
        syscall!(
            nr::IOCTL,
            fd,
            vibix_uapi::ioctl::TCGETS,
            termios.as_mut_ptr()
        )
    }
}

/// [`lseek`] under glibc's large-file name (`_LARGEFILE64_SOURCE`): on
/// x86_64 `off_t` is already 64 bits, so it is the same call. Programs
/// built against glibc's headers (Rust's std for `linux-gnu`) call these
/// names.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lseek64(fd: c_int, offset: off_t, whence: c_int) -> off_t {
    lseek(fd, offset, whence)
}

/// [`pread`] under glibc's large-file name (see [`lseek64`]).
///
/// # Safety
///
/// As [`pread`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pread64(
    fd: c_int,
    buf: *mut c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    // SAFETY: the caller's contract.
    unsafe { pread(fd, buf, count, offset) }
}

/// [`pwrite`] under glibc's large-file name (see [`lseek64`]).
///
/// # Safety
///
/// As [`pwrite`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pwrite64(
    fd: c_int,
    buf: *const c_void,
    count: size_t,
    offset: off_t,
) -> ssize_t {
    // SAFETY: the caller's contract.
    unsafe { pwrite(fd, buf, count, offset) }
}

/// [`ftruncate`] under glibc's large-file name (see [`lseek64`]).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ftruncate64(fd: c_int, length: off_t) -> c_int {
    ftruncate(fd, length)
}

#[cfg(test)]
mod tests;
