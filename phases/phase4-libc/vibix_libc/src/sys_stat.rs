//! `<sys/stat.h>`: file status (`stat`, `fstat`, `lstat`, `fstatat` into
//! `struct stat`, `vibix_uapi`'s x86_64 layout, which is glibc's), making
//! directories (`mkdir`, `mkdirat`), permissions (`chmod`, `fchmod`,
//! `fchmodat`, `umask`), times (`futimens`, `utimensat`) and special files
//! (`mknod`, `mknodat`, `mkfifo`, `mkfifoat`: the kernel's `mknodat`). The times are the fields `st_atime`,
//! `st_atime_nsec` (and the same for `m` and `c`), as Linux's own
//! structure names them.
//!
//! ```c
//! #define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
//! #define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
//! #define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
//! #define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
//! #define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
//! #define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
//! #define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
//! ```

use vibix_uapi::Errno;
use vibix_uapi::fcntl::{AT_FDCWD, AT_SYMLINK_NOFOLLOW};
pub use vibix_uapi::stat::Stat as stat;
pub use vibix_uapi::stat::{
    S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, S_IRGRP, S_IROTH,
    S_IRUSR, S_IRWXG, S_IRWXO, S_IRWXU, S_ISGID, S_ISUID, S_ISVTX, S_IWGRP, S_IWOTH, S_IWUSR,
    S_IXGRP, S_IXOTH, S_IXUSR, UTIME_NOW, UTIME_OMIT,
};
pub use vibix_uapi::stat::{blkcnt_t, blksize_t};
// `struct timespec` under its C name (`<time.h>` declares it).
use vibix_uapi::time::Timespec as timespec;
use vibix_uapi::{nr, syscall};

use crate::sysret::{fail, ret_int};
use crate::types::{c_char, c_int, dev_t, mode_t};

/// The status of the file at `path` (following symbolic links).
///
/// # Safety
///
/// `path` must be a NUL-terminated string, `buf` writable for a `struct
/// stat`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn stat(path: *const c_char, buf: *mut stat) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fstatat(AT_FDCWD, path, buf, 0) }
}

/// The status of the file `fd` refers to.
///
/// # Safety
///
/// `buf` must be writable for a `struct stat`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fstat(fd: c_int, buf: *mut stat) -> c_int {
    // SAFETY: the kernel writes one `struct stat` at `buf`.
    ret_int(unsafe { syscall!(nr::FSTAT, fd, buf) })
}

/// The status of the file at `path`; of a symbolic link itself.
///
/// # Safety
///
/// As [`stat`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn lstat(path: *const c_char, buf: *mut stat) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW) }
}

/// The status of the file at `path` relative to `dirfd`; `flags` may hold
/// `AT_SYMLINK_NOFOLLOW` and `AT_EMPTY_PATH`.
///
/// # Safety
///
/// As [`stat`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fstatat(
    dirfd: c_int,
    path: *const c_char,
    buf: *mut stat,
    flags: c_int,
) -> c_int {
    // SAFETY: the kernel reads `path` and writes one `struct stat` at `buf`.
    ret_int(unsafe { syscall!(nr::NEWFSTATAT, dirfd, path, buf, flags) })
}

/// Creates the directory `path` with `mode` less the umask.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mkdir(path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::MKDIRAT, AT_FDCWD, path, mode) })
}

/// [`mkdir`] relative to `dirfd`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mkdirat(dirfd: c_int, path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::MKDIRAT, dirfd, path, mode) })
}

/// Sets the permission bits of the file at `path`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn chmod(path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::CHMOD, path, mode) })
}

/// Sets the permission bits of the file `fd` refers to.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fchmod(fd: c_int, mode: mode_t) -> c_int {
    // SAFETY: `fchmod` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::FCHMOD, fd, mode) })
}

/// [`chmod`] relative to `dirfd`. `AT_SYMLINK_NOFOLLOW` is `EOPNOTSUPP`
/// (a link's own mode cannot change on Linux), other flags `EINVAL`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fchmodat(
    dirfd: c_int,
    path: *const c_char,
    mode: mode_t,
    flags: c_int,
) -> c_int {
    match flags {
        // SAFETY: the kernel reads the NUL-terminated `path`.
        0 => ret_int(unsafe { syscall!(nr::FCHMODAT, dirfd, path, mode) }),
        AT_SYMLINK_NOFOLLOW => fail(Errno::EOPNOTSUPP),
        _ => fail(Errno::EINVAL),
    }
}

/// Sets the file-creation mask to `mask & 0o777`; returns the old one.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn umask(mask: mode_t) -> mode_t {
    // SAFETY: `umask` touches no memory and cannot fail.
    unsafe { syscall!(nr::UMASK, mask) as mode_t }
}

/// Sets the access and modification times of the file `fd` refers to
/// (`times` NULL: both to now; a `tv_nsec` of `UTIME_NOW` or `UTIME_OMIT`
/// sets one to now or leaves it).
///
/// # Safety
///
/// `times` must be NULL or point to two `struct timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn futimens(fd: c_int, times: *const timespec) -> c_int {
    // SAFETY: the kernel reads at most two `timespec`s at `times`; a NULL
    // path means `fd` itself.
    ret_int(unsafe { syscall!(nr::UTIMENSAT, fd, 0usize, times, 0) })
}

/// [`futimens`] for the file at `path` relative to `dirfd`; `flags` may
/// hold `AT_SYMLINK_NOFOLLOW`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string, `times` NULL or two
/// `struct timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn utimensat(
    dirfd: c_int,
    path: *const c_char,
    times: *const timespec,
    flags: c_int,
) -> c_int {
    // glibc refuses a NULL path here (`futimens` is the call for that).
    if path.is_null() {
        return fail(Errno::EINVAL);
    }
    // SAFETY: the kernel reads `path` and at most two `timespec`s.
    ret_int(unsafe { syscall!(nr::UTIMENSAT, dirfd, path, times, flags) })
}

/// [`stat`] under glibc's large-file name (`_LARGEFILE64_SOURCE`); on x86_64 `off_t` is
/// already 64 bits, so it is the same call. Programs built
/// against glibc's headers (Rust's std for `linux-gnu`) call these names.
///
/// # Safety
///
/// As [`stat`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn stat64(path: *const c_char, buf: *mut stat) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { stat(path, buf) }
}

/// [`fstat`] under glibc's large-file name (see [`stat64`]).
///
/// # Safety
///
/// As [`fstat`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fstat64(fd: c_int, buf: *mut stat) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fstat(fd, buf) }
}

/// [`lstat`] under glibc's large-file name (see [`stat64`]).
///
/// # Safety
///
/// As [`lstat`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn lstat64(path: *const c_char, buf: *mut stat) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { lstat(path, buf) }
}

/// [`fstatat`] under glibc's large-file name (see [`stat64`]).
///
/// # Safety
///
/// As [`fstatat`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fstatat64(
    dirfd: c_int,
    path: *const c_char,
    buf: *mut stat,
    flags: c_int,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fstatat(dirfd, path, buf, flags) }
}

/// Makes the special file `path` (a FIFO, a device, a socket: `mode`'s
/// type bits) relative to `dirfd`; `dev` names a device.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mknodat(
    dirfd: c_int,
    path: *const c_char,
    mode: mode_t,
    dev: dev_t,
) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::MKNODAT, dirfd, path, mode, dev) })
}

/// [`mknodat`] relative to the working directory.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mknod(path: *const c_char, mode: mode_t, dev: dev_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { mknodat(AT_FDCWD, path, mode, dev) }
}

/// Makes the FIFO `path` relative to `dirfd` (`mknodat` with `S_IFIFO`).
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mkfifoat(dirfd: c_int, path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { mknodat(dirfd, path, mode | S_IFIFO, 0) }
}

/// [`mkfifoat`] relative to the working directory.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mkfifo(path: *const c_char, mode: mode_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { mkfifoat(AT_FDCWD, path, mode) }
}

#[cfg(test)]
mod tests;
