//! `fcntl(F_DUPFD_CLOEXEC)`: the lowest free descriptor at or above the
//! argument, sharing the description (and so the offset), with
//! close-on-exec set on the new descriptor only; a negative or too large
//! minimum is EINVAL, a bad descriptor EBADF.

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::fs::{self, O_RDONLY, SEEK_CUR};
use vrt::pipes::{F_DUPFD_CLOEXEC, F_GETFD, fcntl};
use vrt::uapi::fcntl::FD_CLOEXEC;
use vrt::{check, check_eq, io};

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    let fd = fs::open(c"etc/motd", O_RDONLY, 0).expect("open etc/motd");
    // High numbers, free whatever the process inherited.
    let new = fcntl(fd, F_DUPFD_CLOEXEC, 500);
    check_eq!(new, Ok(500), "F_DUPFD_CLOEXEC 500 -> 500");
    check_eq!(
        fcntl(500, F_GETFD, 0),
        Ok(FD_CLOEXEC as usize),
        "the new descriptor is close-on-exec"
    );
    check_eq!(fcntl(fd, F_GETFD, 0), Ok(0), "the old one is not");
    check_eq!(
        fcntl(fd, F_DUPFD_CLOEXEC, 500),
        Ok(501),
        "500 is taken: the next is 501"
    );
    let mut b = [0u8; 3];
    check_eq!(
        io::read(500, &mut b),
        Ok(3),
        "read 3 bytes through the copy"
    );
    check_eq!(
        fs::lseek(fd, 0, SEEK_CUR),
        Ok(3),
        "the original's offset moved: one description"
    );
    check_eq!(
        fcntl(fd, F_DUPFD_CLOEXEC, usize::MAX),
        Err(Errno::EINVAL),
        "a negative minimum -> EINVAL"
    );
    check_eq!(
        fcntl(fd, F_DUPFD_CLOEXEC, 1 << 20),
        Err(Errno::EINVAL),
        "a minimum past the descriptor limit -> EINVAL"
    );
    check_eq!(
        fcntl(999, F_DUPFD_CLOEXEC, 0),
        Err(Errno::EBADF),
        "a bad descriptor -> EBADF"
    );
    check!(
        fs::close(501).is_ok() && fs::close(500).is_ok(),
        "close the copies"
    );
    let _ = fs::close(fd);
    vrt::check::all_passed();
    0
}
