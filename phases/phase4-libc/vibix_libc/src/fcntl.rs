//! `<fcntl.h>`: opening files (`open`, `openat`, `creat`) and `fcntl`, the
//! `O_*` flags, the `*at` calls' `AT_*` values and `fcntl`'s commands
//! (`vibix_uapi::fcntl`'s). `fcntl` passes its third argument to the
//! kernel as it is; vibix answers `F_DUPFD`, `F_DUPFD_CLOEXEC`, `F_GETFD`,
//! `F_SETFD`, `F_GETFL` and `F_SETFL`. Record locks (`struct flock`,
//! `F_GETLK`, `F_SETLK`, `F_SETLKW`) are declared, with Linux's numbers and
//! layout, because portable programs name them (SQLite's unix file layer
//! does, whichever locking it then uses); vibix's kernel answers them
//! `EINVAL`.

use core::ffi::VaList;

pub use vibix_uapi::fcntl::Flock as flock;
pub use vibix_uapi::fcntl::{
    AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW,
    F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_GETFL, F_GETLK, F_RDLCK, F_SETFD, F_SETFL, F_SETLK,
    F_SETLKW, F_UNLCK, F_WRLCK, FD_CLOEXEC, O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY,
    O_EXCL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY,
};
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_char, c_int, mode_t};

/// `O_NDELAY`, the old name of `O_NONBLOCK`.
pub const O_NDELAY: c_int = O_NONBLOCK;

/// The mode argument of `open`, read only when the flags create a file
/// (glibc's rule: the caller need not pass it otherwise).
///
/// # Safety
///
/// With `O_CREAT`, `args` must hold a `mode_t` next.
unsafe fn mode(flags: c_int, args: &mut VaList<'_>) -> mode_t {
    if flags & O_CREAT != 0 {
        // SAFETY: the caller passed a mode (an `int`-sized argument).
        unsafe { args.next_arg::<c_int>() as mode_t }
    } else {
        0
    }
}

/// `openat` with the mode taken from the variadic arguments when `flags`
/// ask for one: the one body of `open`, `openat` and their `64` names.
///
/// # Safety
///
/// As [`open`]; `args` are the export's variadic arguments.
unsafe fn open_at(dirfd: c_int, path: *const c_char, flags: c_int, args: &mut VaList<'_>) -> c_int {
    // SAFETY: the caller's contract.
    let mode = unsafe { mode(flags, args) };
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::OPENAT, dirfd, path, flags, mode) })
}

/// Opens the file at `path`, creating it (with the `mode_t` argument, less
/// the umask) if `flags` has `O_CREAT`; the lowest free descriptor.
///
/// # Safety
///
/// `path` must be a NUL-terminated string; with `O_CREAT` a mode follows.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn open(path: *const c_char, flags: c_int, mut args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { open_at(AT_FDCWD, path, flags, &mut args) }
}

/// [`open`] with `path` relative to the directory `dirfd` (or `AT_FDCWD`).
///
/// # Safety
///
/// As [`open`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn openat(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    mut args: ...
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { open_at(dirfd, path, flags, &mut args) }
}

/// Creates (or truncates) the file at `path` and opens it for writing.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn creat(path: *const c_char, mode: mode_t) -> c_int {
    let flags = O_CREAT | O_WRONLY | O_TRUNC;
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::OPENAT, AT_FDCWD, path, flags, mode) })
}

/// Operates on the descriptor `fd`: `F_DUPFD`/`F_DUPFD_CLOEXEC` (the
/// lowest free descriptor `>=` the `int` argument), `F_GETFD`/`F_SETFD`
/// (`FD_CLOEXEC`), `F_GETFL`/`F_SETFL` (`O_APPEND`, `O_NONBLOCK`).
///
/// # Safety
///
/// The argument must be what `cmd` takes: none, or an `int` (a command
/// vibix does not know fails with `EINVAL` before touching it).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fcntl(fd: c_int, cmd: c_int, mut args: ...) -> c_int {
    let arg = match cmd {
        F_GETFD | F_GETFL => 0,
        // SAFETY: these commands take an `int` (the caller's contract);
        // an unknown one is passed on as a pointer-sized word, as glibc
        // does, and vibix refuses it without reading it.
        F_DUPFD | F_DUPFD_CLOEXEC | F_SETFD | F_SETFL => unsafe {
            args.next_arg::<c_int>() as usize
        },
        // SAFETY: as above.
        _ => unsafe { args.next_arg::<usize>() },
    };
    // SAFETY: the commands vibix knows take integers: nothing of ours is
    // read or written.
    ret_int(unsafe { syscall!(nr::FCNTL, fd, cmd, arg) })
}

/// [`open`] under glibc's large-file name (`_LARGEFILE64_SOURCE`): on
/// x86_64 every file is opened with large-file offsets already, so it is
/// the same call. Programs built against glibc's headers (Rust's std for
/// `linux-gnu`) call it.
///
/// # Safety
///
/// As [`open`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn open64(path: *const c_char, flags: c_int, mut args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { open_at(AT_FDCWD, path, flags, &mut args) }
}

/// [`openat`] under glibc's large-file name (see [`open64`]).
///
/// # Safety
///
/// As [`open`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn openat64(
    dirfd: c_int,
    path: *const c_char,
    flags: c_int,
    mut args: ...
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { open_at(dirfd, path, flags, &mut args) }
}

/// Reserves the bytes `offset..offset + len` of the file `fd` refers to
/// (Linux's `fallocate` with no flags). Returns `0` or the error number
/// itself (`errno` is left alone), as POSIX says; vibix's kernel has no
/// `fallocate` yet: `ENOSYS`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn posix_fallocate(fd: c_int, offset: i64, len: i64) -> c_int {
    if offset < 0 || len <= 0 {
        return vibix_uapi::errno::EINVAL;
    }
    // SAFETY: `fallocate` touches no memory of ours.
    let r = unsafe { syscall!(nr::FALLOCATE, fd, 0, offset, len) };
    match vibix_uapi::Errno::from_ret(r) {
        Ok(_) => 0,
        Err(e) => e.raw(),
    }
}

/// [`posix_fallocate`] (`off_t` is 64 bits already).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn posix_fallocate64(fd: c_int, offset: i64, len: i64) -> c_int {
    posix_fallocate(fd, offset, len)
}

#[cfg(test)]
mod tests;
