//! `writev`: gathers every buffer into one write, and fails cleanly on bad
//! input: more than 1024 entries is EINVAL (finding S-A1), a bad iovec array
//! or any bad buffer is EFAULT with nothing written (as on Linux for ttys
//! and pipes; a regular file would take a short write instead, so stdout
//! must be the console or a pipe, as under the runner).

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::syscall::syscall3;
use vrt::{check, check_eq};

use vrt::uapi::uio::Iovec;

vrt::entry!(main);

const WRITEV: usize = vrt::nr::WRITEV;

fn writev(fd: i32, iov: *const Iovec, count: usize) -> Result<usize, Errno> {
    // SAFETY: the kernel only reads `count` iovecs and the buffers they
    // name; bad pointers come back as EFAULT, never as memory errors here.
    Errno::from_ret(unsafe { syscall3(WRITEV, fd as usize, iov as usize, count) })
}

fn iov(s: &[u8]) -> Iovec {
    Iovec {
        iov_base: s.as_ptr().cast_mut().cast(),
        iov_len: s.len(),
    }
}

fn main(_args: &vrt::Args) -> i32 {
    let parts = [
        iov(b"gathered "),
        iov(b""),
        iov(b"from "),
        iov(b"three buffers\n"),
    ];
    check_eq!(
        writev(1, parts.as_ptr(), parts.len()),
        Ok(28),
        "writev of 4 buffers writes 28 bytes"
    );
    check_eq!(
        writev(1, parts.as_ptr(), 0),
        Ok(0),
        "writev of 0 buffers writes nothing"
    );

    let many = [iov(b""); 1025];
    check_eq!(
        writev(1, many.as_ptr(), 1024),
        Ok(0),
        "1024 entries are allowed"
    );
    check_eq!(
        writev(1, many.as_ptr(), 1025),
        Err(Errno::EINVAL),
        "1025 entries -> EINVAL"
    );
    check_eq!(
        writev(1, many.as_ptr(), usize::MAX),
        Err(Errno::EINVAL),
        "a huge count -> EINVAL"
    );

    check_eq!(
        writev(1, core::ptr::null(), 1),
        Err(Errno::EFAULT),
        "a NULL iovec array -> EFAULT"
    );
    let kernel = 0xffff_8000_0000_0000usize as *const Iovec;
    check_eq!(
        writev(1, kernel, 1),
        Err(Errno::EFAULT),
        "a kernel-half iovec array -> EFAULT"
    );

    let bad_first = [
        Iovec {
            iov_base: core::ptr::null_mut(),
            iov_len: 4,
        },
        iov(b"never\n"),
    ];
    check_eq!(
        writev(1, bad_first.as_ptr(), 2),
        Err(Errno::EFAULT),
        "a bad first buffer -> EFAULT"
    );
    let bad_second = [
        iov(b"never written\n"),
        Iovec {
            iov_base: core::ptr::null_mut(),
            iov_len: 4,
        },
    ];
    check_eq!(
        writev(1, bad_second.as_ptr(), 2),
        Err(Errno::EFAULT),
        "a bad second buffer -> EFAULT, nothing written"
    );

    let overflow = [
        Iovec {
            iov_base: b"x".as_ptr().cast_mut().cast(),
            iov_len: usize::MAX / 2,
        },
        Iovec {
            iov_base: b"x".as_ptr().cast_mut().cast(),
            iov_len: usize::MAX / 2 + 2,
        },
    ];
    check_eq!(
        writev(1, overflow.as_ptr(), 2),
        Err(Errno::EINVAL),
        "lengths adding past isize::MAX -> EINVAL"
    );
    check_eq!(
        writev(-1, parts.as_ptr(), 1),
        Err(Errno::EBADF),
        "a bad fd -> EBADF"
    );
    check!(true, "the process survived");
    vrt::check::all_passed();
    0
}
