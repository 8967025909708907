//! `readv`: scatters one read over the buffers in order, and fails cleanly
//! on bad input: more than 1024 entries is EINVAL (finding S-A1), a bad
//! iovec array or a bad buffer is EFAULT with nothing consumed. The array
//! is copied in before any entry is looked at (S-B1): a kernel that read
//! the array twice could be made to write through an entry that changed
//! after its check; here every entry checked is the entry used, so
//! `readv` beside `writev` (U-B1) behaves as on Linux. Reads from pipes,
//! so the result does not depend on what stdin is.

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::pipes::pipe2;
use vrt::syscall::syscall3;
use vrt::{check_eq, fs, io};

use vrt::uapi::uio::Iovec;

vrt::entry!(main);

const READV: usize = vrt::nr::READV;
const IOV_MAX: usize = vrt::uapi::uio::IOV_MAX;

fn readv(fd: i32, iov: *const Iovec, count: usize) -> Result<usize, Errno> {
    // SAFETY: the kernel reads `count` iovecs and writes only into the
    // buffers they name (ours, or bad addresses that come back EFAULT).
    Errno::from_ret(unsafe { syscall3(READV, fd as usize, iov as usize, count) })
}

fn iov(b: &mut [u8]) -> Iovec {
    Iovec {
        iov_base: b.as_mut_ptr().cast(),
        iov_len: b.len(),
    }
}

fn main(_args: &vrt::Args) -> i32 {
    let (r, w) = pipe2(0).expect("pipe2");
    check_eq!(
        io::write(w, b"scattered over three"),
        Ok(20),
        "20 bytes into the pipe"
    );
    let (mut a, mut b, mut c) = ([0u8; 9], [0u8; 0], [0u8; 32]);
    let parts = [iov(&mut a), iov(&mut b), iov(&mut c)];
    check_eq!(
        readv(r, parts.as_ptr(), parts.len()),
        Ok(20),
        "readv into 9 + 0 + 32 bytes reads the 20 there are"
    );
    check_eq!(&a, b"scattered", "the first buffer is filled first");
    check_eq!(&c[..11], b" over three", "then the next, in order");
    check_eq!(c[11], 0, "nothing past what was read");
    check_eq!(
        readv(r, parts.as_ptr(), 0),
        Ok(0),
        "readv of 0 buffers reads nothing"
    );

    // S-A1: 1024 entries are allowed, 1025 are EINVAL.
    let _ = io::write(w, b"x");
    let mut one = [0u8; 1];
    let mut many = [Iovec {
        iov_base: core::ptr::null_mut(),
        iov_len: 0,
    }; IOV_MAX + 1];
    many[IOV_MAX - 1] = iov(&mut one);
    check_eq!(
        readv(r, many.as_ptr(), IOV_MAX + 1),
        Err(Errno::EINVAL),
        "1025 entries -> EINVAL"
    );
    check_eq!(
        readv(r, many.as_ptr(), usize::MAX),
        Err(Errno::EINVAL),
        "a huge count -> EINVAL"
    );
    check_eq!(
        readv(r, many.as_ptr(), IOV_MAX),
        Ok(1),
        "1024 entries are allowed (the last one gets the byte)"
    );
    check_eq!(one, *b"x", "and it holds the byte");

    // Bad arrays and bad buffers: EFAULT, and the pipe's data stays.
    let _ = io::write(w, b"kept");
    check_eq!(
        readv(r, core::ptr::null(), 1),
        Err(Errno::EFAULT),
        "a NULL iovec array -> EFAULT"
    );
    let kernel = 0xffff_8000_0000_0000usize as *const Iovec;
    check_eq!(
        readv(r, kernel, 1),
        Err(Errno::EFAULT),
        "a kernel-half iovec array -> EFAULT"
    );
    let mut good = [0u8; 2];
    let bad = [
        iov(&mut good),
        Iovec {
            iov_base: core::ptr::null_mut(),
            iov_len: 2,
        },
    ];
    check_eq!(
        readv(r, bad.as_ptr(), 2),
        Err(Errno::EFAULT),
        "a NULL buffer -> EFAULT"
    );
    let mut rest = [0u8; 8];
    check_eq!(
        io::read(r, &mut rest),
        Ok(4),
        "the pipe still holds its 4 bytes"
    );
    check_eq!(&rest[..4], b"kept", "unchanged");

    // A length that is negative as a signed size is EINVAL before
    // anything moves.
    let _ = io::write(w, b"y");
    let huge = [Iovec {
        iov_base: rest.as_mut_ptr().cast(),
        iov_len: usize::MAX,
    }];
    check_eq!(
        readv(r, huge.as_ptr(), 1),
        Err(Errno::EINVAL),
        "a length past isize::MAX -> EINVAL"
    );
    check_eq!(io::read(r, &mut rest), Ok(1), "the byte is still there");

    // Not readable, or not open.
    check_eq!(
        readv(w, parts.as_ptr(), 1),
        Err(Errno::EBADF),
        "readv of a write end -> EBADF"
    );
    let _ = fs::close(r);
    let _ = fs::close(w);
    check_eq!(
        readv(r, parts.as_ptr(), 1),
        Err(Errno::EBADF),
        "readv of a closed descriptor -> EBADF"
    );
    vrt::check::all_passed();
    0
}
