//! `<unistd.h>`: the process's credentials beyond the ids it reads
//! (`getuid` and friends are in `vibix_abi`): `setuid`, `setgid`,
//! `seteuid`, `setegid` (Linux's `setresuid`/`setresgid` with `-1` for the
//! ids kept, as glibc calls them) and `getgroups`. System calls: vibix's
//! kernel, where every process is root, has none of them yet and answers
//! `ENOSYS`.

use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, gid_t, uid_t};

/// "Keep this id": `-1` as a `uid_t`/`gid_t`.
const KEEP: u32 = u32::MAX;

/// Sets the real, effective and saved user ids (root) or the effective one.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn setuid(uid: uid_t) -> c_int {
    // SAFETY: `setuid` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::SETUID, uid) })
}

/// [`setuid`] for the group ids.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn setgid(gid: gid_t) -> c_int {
    // SAFETY: `setgid` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::SETGID, gid) })
}

/// Sets the effective user id only.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn seteuid(uid: uid_t) -> c_int {
    if uid == KEEP {
        return crate::sysret::fail(vibix_uapi::Errno::EINVAL);
    }
    // SAFETY: `setresuid` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::SETRESUID, KEEP, uid, KEEP) })
}

/// Sets the effective group id only.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn setegid(gid: gid_t) -> c_int {
    if gid == KEEP {
        return crate::sysret::fail(vibix_uapi::Errno::EINVAL);
    }
    // SAFETY: `setresgid` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::SETRESGID, KEEP, gid, KEEP) })
}

/// The supplementary group ids, up to `size` of them into `list` (with
/// `size` 0, only their number).
///
/// # Safety
///
/// `list` must be writable for `size` ids.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getgroups(size: c_int, list: *mut gid_t) -> c_int {
    // SAFETY: the kernel writes at most `size` ids at `list`.
    ret_int(unsafe { syscall!(nr::GETGROUPS, size, list) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::our_errno;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn as_the_host_answers() {
        // The host's own ids: allowed, whatever they are.
        // SAFETY: plain calls of the host C library.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        assert_eq!(seteuid(uid), 0);
        assert_eq!(setegid(gid), 0);
        assert_eq!((seteuid(KEEP), our_errno()), (-1, libc::EINVAL));
        let mut ours = [0 as gid_t; 64];
        let mut host = [0 as gid_t; 64];
        // SAFETY: both arrays hold 64 ids.
        let (n, m) = unsafe {
            (
                getgroups(64, ours.as_mut_ptr()),
                libc::getgroups(64, host.as_mut_ptr()),
            )
        };
        assert_eq!(n, m);
        assert_eq!(ours, host);
        // SAFETY: size 0 writes nothing.
        assert_eq!(unsafe { getgroups(0, core::ptr::null_mut()) }, m);
    }
}
