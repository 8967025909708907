//! `pread64` and `pwrite64`: read and write at an offset without moving
//! the file offset; a write past the end leaves a hole of zeros; a
//! negative offset is EINVAL, a pipe ESPIPE, a directory EISDIR, the wrong
//! access mode EBADF; with `O_APPEND`, Linux's `pwrite` appends whatever
//! the offset says (a documented Linux bug vibix keeps, to behave the same).

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::fs::{
    self, O_APPEND, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_CUR,
};
use vrt::pipes::pipe2;
use vrt::syscall::syscall4;
use vrt::{check_eq, fsops, io};

vrt::entry!(main);

const PREAD64: usize = vrt::nr::PREAD64;
const PWRITE64: usize = vrt::nr::PWRITE64;
const SCRATCH: &core::ffi::CStr = c"tmp-p2-positioned";

fn pread(fd: i32, buf: &mut [u8], at: i64) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
    Errno::from_ret(unsafe {
        syscall4(
            PREAD64,
            fd as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
            at as usize,
        )
    })
}

fn pwrite(fd: i32, buf: &[u8], at: i64) -> Result<usize, Errno> {
    // SAFETY: the kernel only reads `buf`.
    Errno::from_ret(unsafe {
        syscall4(
            PWRITE64,
            fd as usize,
            buf.as_ptr() as usize,
            buf.len(),
            at as usize,
        )
    })
}

fn offset(fd: i32) -> Result<usize, Errno> {
    fs::lseek(fd, 0, SEEK_CUR)
}

fn main(_args: &vrt::Args) -> i32 {
    let fd = fs::open(SCRATCH, O_RDWR | O_CREAT | O_TRUNC, 0o644).expect("create the scratch file");
    check_eq!(io::write(fd, b"0123456789"), Ok(10), "write 10 bytes");
    let mut four = [0u8; 4];
    check_eq!(pread(fd, &mut four, 2), Ok(4), "pread 4 bytes at 2");
    check_eq!(&four, b"2345", "they are bytes 2..6");
    check_eq!(offset(fd), Ok(10), "the file offset did not move");
    check_eq!(pwrite(fd, b"AB", 4), Ok(2), "pwrite 2 bytes at 4");
    check_eq!(offset(fd), Ok(10), "the file offset still did not move");
    check_eq!(
        pwrite(fd, b"xy", 12),
        Ok(2),
        "pwrite 2 bytes at 12, past the end"
    );
    let mut all = [0xffu8; 20];
    check_eq!(pread(fd, &mut all, 0), Ok(14), "the file is 14 bytes now");
    check_eq!(
        &all[..14],
        b"0123AB6789\0\0xy",
        "the bytes in place, a hole of zeros"
    );
    check_eq!(
        pread(fd, &mut all, 100),
        Ok(0),
        "pread past the end reads nothing"
    );
    check_eq!(
        pwrite(fd, b"", 3),
        Ok(0),
        "pwrite of nothing writes nothing"
    );
    check_eq!(
        pread(fd, &mut all[..0], 3),
        Ok(0),
        "pread of nothing reads nothing"
    );
    check_eq!(
        pread(fd, &mut four, -1),
        Err(Errno::EINVAL),
        "pread at -1 -> EINVAL"
    );
    check_eq!(
        pwrite(fd, b"z", -1),
        Err(Errno::EINVAL),
        "pwrite at -1 -> EINVAL"
    );
    check_eq!(
        pread(fd, &mut four, i64::MIN),
        Err(Errno::EINVAL),
        "pread at i64::MIN -> EINVAL"
    );
    check_eq!(offset(fd), Ok(10), "the file offset never moved");
    let _ = fs::close(fd);

    // The access mode still counts.
    let ro = fs::open(SCRATCH, O_RDONLY, 0).expect("open read-only");
    check_eq!(
        pwrite(ro, b"z", 0),
        Err(Errno::EBADF),
        "pwrite on a read-only descriptor -> EBADF"
    );
    let _ = fs::close(ro);
    let wo = fs::open(SCRATCH, O_WRONLY | O_APPEND, 0).expect("open write-only, appending");
    check_eq!(
        pread(wo, &mut four, 0),
        Err(Errno::EBADF),
        "pread on a write-only descriptor -> EBADF"
    );
    check_eq!(pwrite(wo, b"Z", 0), Ok(1), "pwrite with O_APPEND");
    let _ = fs::close(wo);
    let fd = fs::open(SCRATCH, O_RDONLY, 0).expect("open again");
    check_eq!(
        pread(fd, &mut all, 0),
        Ok(15),
        "O_APPEND's pwrite went to the end"
    );
    check_eq!(&all[..15], b"0123AB6789\0\0xyZ", "whatever the offset said");
    let _ = fs::close(fd);
    check_eq!(fsops::unlink(SCRATCH), Ok(()), "remove the scratch file");

    // No positions on a pipe; a directory is no file.
    let (r, w) = pipe2(0).expect("pipe2");
    let _ = io::write(w, b"pipe");
    check_eq!(
        pread(r, &mut four, 0),
        Err(Errno::ESPIPE),
        "pread on a pipe -> ESPIPE"
    );
    check_eq!(
        pwrite(w, b"z", 0),
        Err(Errno::ESPIPE),
        "pwrite on a pipe -> ESPIPE"
    );
    check_eq!(
        io::read(r, &mut four),
        Ok(4),
        "the pipe's data is untouched"
    );
    let _ = fs::close(r);
    let _ = fs::close(w);
    let dir = fs::open(c".", O_RDONLY | O_DIRECTORY, 0).expect("open .");
    check_eq!(
        pread(dir, &mut four, 0),
        Err(Errno::EISDIR),
        "pread on a directory -> EISDIR"
    );
    let _ = fs::close(dir);
    check_eq!(
        pread(dir, &mut four, 0),
        Err(Errno::EBADF),
        "pread on a closed descriptor -> EBADF"
    );
    vrt::check::all_passed();
    0
}
