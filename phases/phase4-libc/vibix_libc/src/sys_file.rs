//! `<sys/file.h>`: `flock`, advisory locks on an open file description,
//! and its operations `LOCK_SH`, `LOCK_EX`, `LOCK_UN`, `LOCK_NB`.

pub use vibix_uapi::fcntl::{LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN};
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::c_int;

/// Takes (`LOCK_SH`, `LOCK_EX`), converts or drops (`LOCK_UN`) a lock on
/// the file `fd` refers to; with `LOCK_NB`, `EWOULDBLOCK` instead of
/// waiting for a conflicting lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn flock(fd: c_int, operation: c_int) -> c_int {
    // SAFETY: `flock` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::FLOCK, fd, operation) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Scratch, same};

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn locks_conflict_between_descriptions() {
        let s = Scratch::new("flock");
        let p = s.c("f");
        // SAFETY: NUL-terminated path; plain descriptor calls.
        unsafe {
            let a = libc::open(p.as_ptr(), libc::O_RDWR | libc::O_CREAT, 0o600);
            let b = libc::open(p.as_ptr(), libc::O_RDWR);
            assert_eq!(flock(a, LOCK_EX), 0);
            same(
                "conflict",
                || flock(b, LOCK_EX | LOCK_NB),
                || libc::flock(b, LOCK_EX | LOCK_NB),
            );
            assert_eq!(flock(a, LOCK_UN), 0);
            assert_eq!(flock(b, LOCK_SH | LOCK_NB), 0);
            same("bad op", || flock(b, 0), || libc::flock(b, 0));
            same("bad fd", || flock(-1, LOCK_SH), || libc::flock(-1, LOCK_SH));
            libc::close(a);
            libc::close(b);
        }
    }
}
