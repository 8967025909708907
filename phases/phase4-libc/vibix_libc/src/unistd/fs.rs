//! `<unistd.h>`: names in the file tree: the working directory (`getcwd`,
//! `chdir`, `fchdir`), removing names (`unlink`, `unlinkat`, `rmdir`),
//! links (`link`, `linkat`, `symlink`, `symlinkat`, `readlink`,
//! `readlinkat`) and permission checks (`access`, `faccessat`).

use vibix_uapi::Errno;
use vibix_uapi::fcntl::{AT_EACCESS, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW};
use vibix_uapi::limits::PATH_MAX;
use vibix_uapi::stat::{F_OK, R_OK, S_IFDIR, S_IFMT, Stat, W_OK, X_OK};
use vibix_uapi::{nr, syscall};

use crate::sysret::{fail, ret, ret_int};
use crate::types::{c_char, c_int, c_void, size_t, ssize_t};

unsafe extern "C" {
    // The C library's allocator (`<stdlib.h>`), for `getcwd(NULL, size)`.
    fn malloc(size: size_t) -> *mut c_void;
}

/// Writes the working directory's absolute path into `buf` (`size` bytes,
/// NUL included) and returns `buf`; `ERANGE` if it does not fit, `EINVAL`
/// for a size of 0. glibc's extension: with `buf` NULL the buffer is
/// `malloc`ed, `size` bytes (or just as many as needed if `size` is 0),
/// and the caller frees it.
///
/// # Safety
///
/// `buf` must be NULL or writable for `size` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getcwd(buf: *mut c_char, size: size_t) -> *mut c_char {
    if !buf.is_null() {
        if size == 0 {
            fail(Errno::EINVAL);
            return core::ptr::null_mut();
        }
        // SAFETY: the kernel writes at most `size` bytes at `buf`.
        let r = ret(unsafe { syscall!(nr::GETCWD, buf, size) });
        return if r < 0 { core::ptr::null_mut() } else { buf };
    }
    let mut local = [0u8; PATH_MAX];
    let cap = if size == 0 {
        PATH_MAX
    } else {
        size.min(PATH_MAX)
    };
    // SAFETY: the kernel writes at most `cap <= PATH_MAX` bytes into `local`.
    let len = ret(unsafe { syscall!(nr::GETCWD, local.as_mut_ptr(), cap) });
    if len < 0 {
        return core::ptr::null_mut();
    }
    let len = len as usize; // the path's bytes and its NUL
    let alloc = if size == 0 { len } else { size };
    // SAFETY: `malloc` has no preconditions.
    let out = unsafe { malloc(alloc) }.cast::<c_char>();
    if out.is_null() {
        fail(Errno::ENOMEM);
        return out;
    }
    // SAFETY: `out` holds `alloc >= len` bytes, `local` `len` of them.
    unsafe { core::ptr::copy_nonoverlapping(local.as_ptr().cast(), out, len) };
    out
}

/// Makes `path` the working directory.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn chdir(path: *const c_char) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::CHDIR, path) })
}

/// Makes the directory `fd` refers to the working directory.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fchdir(fd: c_int) -> c_int {
    // SAFETY: `fchdir` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::FCHDIR, fd) })
}

/// Removes the name `path` (not a directory: `EISDIR`).
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn unlink(path: *const c_char) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::UNLINK, path) })
}

/// Removes the name `path` relative to `dirfd`; with `AT_REMOVEDIR`, an
/// empty directory.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn unlinkat(dirfd: c_int, path: *const c_char, flags: c_int) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::UNLINKAT, dirfd, path, flags) })
}

/// Removes the empty directory `path`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn rmdir(path: *const c_char) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::RMDIR, path) })
}

/// Makes `new` another name of the file `old`.
///
/// # Safety
///
/// Both must be NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn link(old: *const c_char, new: *const c_char) -> c_int {
    // SAFETY: the kernel reads the two NUL-terminated paths.
    ret_int(unsafe { syscall!(nr::LINK, old, new) })
}

/// [`link`] with each path relative to its directory descriptor.
///
/// # Safety
///
/// Both paths must be NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn linkat(
    olddirfd: c_int,
    old: *const c_char,
    newdirfd: c_int,
    new: *const c_char,
    flags: c_int,
) -> c_int {
    // SAFETY: the kernel reads the two NUL-terminated paths.
    ret_int(unsafe { syscall!(nr::LINKAT, olddirfd, old, newdirfd, new, flags) })
}

/// Creates the symbolic link `linkpath` whose target is `target`.
///
/// # Safety
///
/// Both must be NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn symlink(target: *const c_char, linkpath: *const c_char) -> c_int {
    // SAFETY: the kernel reads the two NUL-terminated paths.
    ret_int(unsafe { syscall!(nr::SYMLINK, target, linkpath) })
}

/// [`symlink`] with `linkpath` relative to `dirfd`.
///
/// # Safety
///
/// Both must be NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn symlinkat(
    target: *const c_char,
    dirfd: c_int,
    linkpath: *const c_char,
) -> c_int {
    // SAFETY: the kernel reads the two NUL-terminated paths.
    ret_int(unsafe { syscall!(nr::SYMLINKAT, target, dirfd, linkpath) })
}

/// Copies the target of the symbolic link `path` into `buf` (at most
/// `size` bytes, no NUL added); returns its length.
///
/// # Safety
///
/// `path` must be a NUL-terminated string, `buf` writable for `size` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn readlink(path: *const c_char, buf: *mut c_char, size: size_t) -> ssize_t {
    // SAFETY: the kernel reads `path` and writes at most `size` bytes at `buf`.
    ret(unsafe { syscall!(nr::READLINK, path, buf, size) })
}

/// [`readlink`] with `path` relative to `dirfd`.
///
/// # Safety
///
/// As [`readlink`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn readlinkat(
    dirfd: c_int,
    path: *const c_char,
    buf: *mut c_char,
    size: size_t,
) -> ssize_t {
    // SAFETY: the kernel reads `path` and writes at most `size` bytes at `buf`.
    ret(unsafe { syscall!(nr::READLINKAT, dirfd, path, buf, size) })
}

/// Whether the calling process may access `path` as `mode` says (`F_OK`,
/// or `R_OK | W_OK | X_OK`): 0, or `-1` with `errno`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn access(path: *const c_char, mode: c_int) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::ACCESS, path, mode) })
}

/// [`access`] relative to `dirfd`, with flags: `AT_EACCESS` (the effective
/// ids, which are the real ones on vibix), `AT_SYMLINK_NOFOLLOW` (a link
/// itself, checked from its `stat` as for root: it exists, may be read
/// and written, and executed if an execute bit is set) and `AT_EMPTY_PATH`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn faccessat(
    dirfd: c_int,
    path: *const c_char,
    mode: c_int,
    flags: c_int,
) -> c_int {
    if flags & !(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0
        || mode & !(F_OK | R_OK | W_OK | X_OK) != 0
    {
        return fail(Errno::EINVAL);
    }
    if flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) == 0 {
        // SAFETY: the kernel reads the NUL-terminated `path`.
        return ret_int(unsafe { syscall!(nr::FACCESSAT, dirfd, path, mode) });
    }
    let mut st = Stat::default();
    let stat_flags = flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
    // SAFETY: the kernel reads `path` and writes one `struct stat` into `st`.
    if ret(unsafe { syscall!(nr::NEWFSTATAT, dirfd, path, &raw mut st, stat_flags) }) < 0 {
        return -1;
    }
    let executable = st.st_mode & 0o111 != 0 || st.st_mode & S_IFMT == S_IFDIR;
    if mode & X_OK != 0 && !executable {
        return fail(Errno::EACCES);
    }
    0
}

#[cfg(test)]
mod tests;
