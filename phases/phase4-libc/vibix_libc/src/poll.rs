//! `<poll.h>`: waiting for descriptors: `poll`, `struct pollfd`
//! (`vibix_uapi::poll`'s) and its event bits, and `nfds_t`.

pub use vibix_uapi::poll::PollFd as pollfd;
pub use vibix_uapi::poll::{
    POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM,
};
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, c_ulong};

/// The number of entries of a `poll` array.
pub type nfds_t = c_ulong;

/// Waits until one of `fds[..nfds]` is ready, at most `timeout`
/// milliseconds (negative: no limit); returns how many have `revents` set.
///
/// # Safety
///
/// `fds` must be readable and writable for `nfds` entries.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn poll(fds: *mut pollfd, nfds: nfds_t, timeout: c_int) -> c_int {
    // SAFETY: the kernel reads and writes `nfds` entries at `fds`.
    ret_int(unsafe { syscall!(nr::POLL, fds, nfds, timeout) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn a_pipe_becomes_readable() {
        let mut fds = [0; 2];
        // SAFETY: `fds` holds two ints.
        assert_eq!(unsafe { crate::unistd::io::pipe(fds.as_mut_ptr()) }, 0);
        let mut p = [pollfd {
            fd: fds[0],
            events: POLLIN,
            revents: 0,
        }];
        // SAFETY: one entry, ours.
        assert_eq!(unsafe { poll(p.as_mut_ptr(), 1, 0) }, 0);
        // SAFETY: one byte from a static.
        unsafe { crate::unistd::io::write(fds[1], b"x".as_ptr().cast(), 1) };
        // SAFETY: as above.
        assert_eq!(unsafe { poll(p.as_mut_ptr(), 1, -1) }, 1);
        assert_eq!(p[0].revents, POLLIN);
        crate::unistd::io::close(fds[1]);
        crate::unistd::io::close(fds[0]);
        // SAFETY: as above.
        assert_eq!(unsafe { poll(p.as_mut_ptr(), 1, 0) }, 1);
        assert_eq!(p[0].revents, POLLNVAL);
        assert_eq!(
            core::mem::size_of::<pollfd>(),
            core::mem::size_of::<libc::pollfd>()
        );
    }
}
