//! `<sys/statfs.h>`: a file system's sizes and limits, `statfs` and
//! `fstatfs` into `struct statfs` (`vibix_uapi`'s, glibc's layout), and
//! their `64` names (the same calls: the structure is 64-bit already).
//! System calls; vibix's kernel has none yet and answers `ENOSYS`.

pub use vibix_uapi::statfs::Statfs as statfs;
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_char, c_int};

/// The file system of the file at `path`, into `*buf`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string; `buf` writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn statfs(path: *const c_char, buf: *mut statfs) -> c_int {
    // SAFETY: the kernel reads `path` and writes one `struct statfs`.
    ret_int(unsafe { syscall!(nr::STATFS, path, buf) })
}

/// [`statfs`].
///
/// # Safety
///
/// As [`statfs`]'s.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn statfs64(path: *const c_char, buf: *mut statfs) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { statfs(path, buf) }
}

/// [`statfs`] of the file `fd` refers to.
///
/// # Safety
///
/// `buf` must be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fstatfs(fd: c_int, buf: *mut statfs) -> c_int {
    // SAFETY: the kernel writes one `struct statfs`.
    ret_int(unsafe { syscall!(nr::FSTATFS, fd, buf) })
}

/// [`fstatfs`].
///
/// # Safety
///
/// As [`fstatfs`]'s.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fstatfs64(fd: c_int, buf: *mut statfs) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fstatfs(fd, buf) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn same_as_the_host() {
        let dir = crate::testutil::cstr("/");
        let mut ours = statfs::default();
        let mut host = core::mem::MaybeUninit::<libc::statfs>::zeroed();
        // SAFETY: NUL-terminated path, writable structures.
        unsafe {
            assert_eq!(statfs(dir.as_ptr(), &mut ours), 0);
            assert_eq!(libc::statfs(dir.as_ptr(), host.as_mut_ptr()), 0);
        }
        // SAFETY: filled in.
        let host = unsafe { host.assume_init() };
        assert_eq!((ours.f_type, ours.f_bsize), (host.f_type, host.f_bsize));
        assert_eq!(ours.f_namelen, host.f_namelen);
        let missing = crate::testutil::cstr("/no/such/dir");
        // SAFETY: as above.
        assert_eq!(unsafe { statfs64(missing.as_ptr(), &mut ours) }, -1);
        assert_eq!(crate::testutil::our_errno(), libc::ENOENT);
    }
}
