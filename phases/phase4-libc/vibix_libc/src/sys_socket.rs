//! `<sys/socket.h>`: `socket` and `bind`, passed to the kernel (vibix's
//! has no sockets yet and answers `ENOSYS`; pjdfstest makes a socket file
//! with them). No `struct sockaddr` yet: `bind` takes the address as
//! bytes.

use core::ffi::c_void;

use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::c_int;

/// The length of a socket address.
pub type socklen_t = u32;

/// A new socket of `domain`, `kind` and `protocol`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn socket(domain: c_int, kind: c_int, protocol: c_int) -> c_int {
    // SAFETY: `socket` touches no memory of ours.
    ret_int(unsafe { syscall!(nr::SOCKET, domain, kind, protocol) })
}

/// Gives the socket `fd` the address `addr` (`len` bytes).
///
/// # Safety
///
/// `addr` must be readable for `len` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn bind(fd: c_int, addr: *const c_void, len: socklen_t) -> c_int {
    // SAFETY: the kernel reads `len` bytes at `addr`.
    ret_int(unsafe { syscall!(nr::BIND, fd, addr, len) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn a_unix_socket_bound_to_a_file() {
        let s = crate::testutil::Scratch::new("socket");
        let fd = socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
        assert!(fd >= 0);
        // SAFETY: an all-zero `sockaddr_un` is valid.
        let mut addr: libc::sockaddr_un = unsafe { core::mem::zeroed() };
        addr.sun_family = libc::AF_UNIX as u16;
        let path = s.0.join("sock");
        for (d, b) in addr.sun_path.iter_mut().zip(path.to_str().unwrap().bytes()) {
            *d = b as libc::c_char;
        }
        let len = size_of::<libc::sockaddr_un>() as socklen_t;
        // SAFETY: `addr` is `len` bytes.
        assert_eq!(unsafe { bind(fd, (&raw const addr).cast(), len) }, 0);
        assert!(std::os::unix::fs::FileTypeExt::is_socket(
            &std::fs::metadata(&path).unwrap().file_type()
        ));
        crate::unistd::io::close(fd);
    }
}
