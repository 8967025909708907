//! `<sys/uio.h>`: vectored I/O: `readv`, `writev` and `struct iovec`
//! (`vibix_uapi::uio`'s). More than 1024 buffers is `EINVAL`.

pub use vibix_uapi::uio::Iovec as iovec;
use vibix_uapi::{nr, syscall};

use crate::sysret::ret;
use crate::types::{c_int, ssize_t};

/// Reads from `fd` into `iov[..iovcnt]`'s buffers, in order.
///
/// # Safety
///
/// `iov` must hold `iovcnt` entries, each describing writable memory.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn readv(fd: c_int, iov: *const iovec, iovcnt: c_int) -> ssize_t {
    // SAFETY: the kernel reads the entries and writes into their buffers.
    ret(unsafe { syscall!(nr::READV, fd, iov, iovcnt) })
}

/// Writes `iov[..iovcnt]`'s buffers to `fd`, in order, as one write.
///
/// # Safety
///
/// `iov` must hold `iovcnt` entries, each describing readable memory.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn writev(fd: c_int, iov: *const iovec, iovcnt: c_int) -> ssize_t {
    // SAFETY: the kernel reads the entries and their buffers.
    ret(unsafe { syscall!(nr::WRITEV, fd, iov, iovcnt) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn scatter_and_gather_through_a_pipe() {
        let mut fds = [0; 2];
        // SAFETY: `fds` holds two ints.
        assert_eq!(unsafe { crate::unistd::io::pipe(fds.as_mut_ptr()) }, 0);
        let (a, b) = (*b"hello ", *b"world");
        let out = [
            iovec {
                iov_base: a.as_ptr().cast_mut().cast(),
                iov_len: 6,
            },
            iovec {
                iov_base: b.as_ptr().cast_mut().cast(),
                iov_len: 5,
            },
        ];
        // SAFETY: both buffers are readable for their lengths.
        assert_eq!(unsafe { writev(fds[1], out.as_ptr(), 2) }, 11);
        let (mut x, mut y) = ([0u8; 4], [0u8; 7]);
        let inp = [
            iovec {
                iov_base: x.as_mut_ptr().cast(),
                iov_len: 4,
            },
            iovec {
                iov_base: y.as_mut_ptr().cast(),
                iov_len: 7,
            },
        ];
        // SAFETY: both buffers are writable for their lengths.
        assert_eq!(unsafe { readv(fds[0], inp.as_ptr(), 2) }, 11);
        assert_eq!((&x, &y), (b"hell", b"o world"));
        // SAFETY: a negative count is refused before anything is read.
        assert_eq!(unsafe { writev(fds[1], out.as_ptr(), -1) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        crate::unistd::io::close(fds[0]);
        crate::unistd::io::close(fds[1]);
        assert_eq!(size_of::<iovec>(), size_of::<libc::iovec>());
    }
}
