//! `fdatasync` answers as `fsync` does: 0 for a file and a directory (all
//! in memory, always in sync), EINVAL for a pipe, which has nothing to
//! sync, EBADF for a closed descriptor.

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::fs::{self, O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY};
use vrt::pipes::pipe2;
use vrt::syscall::syscall1;
use vrt::{check_eq, fsops, io};

vrt::entry!(main);

fn fdatasync(fd: i32) -> Result<usize, Errno> {
    // SAFETY: fdatasync touches no memory.
    Errno::from_ret(unsafe { syscall1(vrt::nr::FDATASYNC, fd as usize) })
}

fn main(_args: &vrt::Args) -> i32 {
    let f = c"tmp-p2-fdatasync";
    let fd = fs::open(f, O_CREAT | O_WRONLY, 0o644).expect("create a file");
    check_eq!(io::write(fd, b"data"), Ok(4), "write");
    check_eq!(fdatasync(fd), Ok(0), "fdatasync of a file");
    check_eq!(fsops::fsync(fd), Ok(()), "fsync of it");
    let dir = fs::open(c".", O_RDONLY | O_DIRECTORY, 0).expect("open .");
    check_eq!(fdatasync(dir), Ok(0), "fdatasync of a directory");
    let (r, w) = pipe2(0).expect("pipe2");
    check_eq!(
        fdatasync(r),
        Err(Errno::EINVAL),
        "of a pipe's read end -> EINVAL"
    );
    check_eq!(
        fdatasync(w),
        Err(Errno::EINVAL),
        "of its write end -> EINVAL"
    );
    check_eq!(fsops::fsync(w), Err(Errno::EINVAL), "fsync says the same");
    let _ = fs::close(fd);
    check_eq!(
        fdatasync(fd),
        Err(Errno::EBADF),
        "of a closed descriptor -> EBADF"
    );
    check_eq!(fdatasync(-1), Err(Errno::EBADF), "of -1 -> EBADF");
    let _ = fs::close(dir);
    check_eq!(fsops::unlink(f), Ok(()), "clean up");
    vrt::check::all_passed();
    0
}
