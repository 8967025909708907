//! `<unistd.h>`: a file's owner and group: `chown`, `fchown`, `lchown`,
//! `fchownat`
//! (system calls; an id of `-1` leaves that id as it is). vibix has one
//! user, root, and its kernel has no ownership calls: there they fail
//! with `ENOSYS`, which programs that only try (SQLite gives a new
//! journal its database's owner) ignore.

use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_char, c_int, gid_t, uid_t};

/// Sets the owner and group of the file at `path` (following a final
/// symbolic link).
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn chown(path: *const c_char, owner: uid_t, group: gid_t) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::CHOWN, path, owner, group) })
}

/// [`chown`] of the file `fd` refers to.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fchown(fd: c_int, owner: uid_t, group: gid_t) -> c_int {
    // SAFETY: `fchown` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::FCHOWN, fd, owner, group) })
}

/// [`chown`] of a symbolic link itself, not of what it names.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn lchown(path: *const c_char, owner: uid_t, group: gid_t) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::LCHOWN, path, owner, group) })
}

/// [`chown`] of `path` relative to `dirfd`; `flags` may hold
/// `AT_SYMLINK_NOFOLLOW` (the link itself) and `AT_EMPTY_PATH`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fchownat(
    dirfd: c_int,
    path: *const c_char,
    owner: uid_t,
    group: gid_t,
    flags: c_int,
) -> c_int {
    // SAFETY: the kernel reads the NUL-terminated `path`.
    ret_int(unsafe { syscall!(nr::FCHOWNAT, dirfd, path, owner, group, flags) })
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;
    use crate::testutil::{Scratch, same};

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn to_the_same_ids_and_errors_as_the_host() {
        let s = Scratch::new("owner");
        std::fs::write(s.0.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink("f", s.0.join("l")).unwrap();
        let meta = std::fs::metadata(s.0.join("f")).unwrap();
        let (uid, gid) = (meta.uid(), meta.gid());
        let (f, l, missing) = (s.c("f"), s.c("l"), s.c("missing"));
        let keep = u32::MAX;
        for (path, owner, group) in [(&f, uid, gid), (&f, keep, keep), (&l, uid, keep)] {
            // SAFETY: NUL-terminated paths.
            unsafe {
                same(
                    "chown",
                    || chown(path.as_ptr(), owner, group),
                    || libc::chown(path.as_ptr(), owner, group),
                );
                same(
                    "lchown",
                    || lchown(path.as_ptr(), owner, group),
                    || libc::lchown(path.as_ptr(), owner, group),
                );
            }
        }
        // SAFETY: a NUL-terminated path.
        let r = unsafe { chown(missing.as_ptr(), uid, gid) };
        assert_eq!((r, crate::testutil::our_errno()), (-1, libc::ENOENT));
        let file = std::fs::File::open(s.0.join("f")).unwrap();
        let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
        same(
            "fchown",
            || fchown(fd, uid, gid),
            // SAFETY: `fchown` touches no memory of ours.
            || unsafe { libc::fchown(fd, uid, gid) },
        );
        same(
            "fchown(-1)",
            || fchown(-1, uid, gid),
            // SAFETY: as above (a bad descriptor is EBADF).
            || unsafe { libc::fchown(-1, uid, gid) },
        );
        assert_eq!(std::fs::metadata(s.0.join("f")).unwrap().uid(), uid);
    }
}
