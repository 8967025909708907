//! Descriptor calls against the host C library's: same results, same
//! `errno`, on files, pipes and bad descriptors.

use super::*;
use crate::testutil::{Scratch, same};

/// Opens `path` for both libraries' use (the descriptor is the kernel's).
fn open_rw(path: &std::ffi::CStr) -> c_int {
    // SAFETY: `path` is NUL-terminated.
    unsafe { libc::open(path.as_ptr(), libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC, 0o644) }
}

#[test]
fn read_write_seek_and_positioned() {
    let dir = Scratch::new("io-rw");
    let (a, b) = (open_rw(&dir.c("a")), open_rw(&dir.c("b")));
    let data = b"0123456789abcdef";
    // SAFETY (every block of this test): the buffers are ours and as long
    // as the counts given.
    same("write", || unsafe { write(a, data.as_ptr().cast(), 16) }, || unsafe {
        libc::write(b, data.as_ptr().cast(), 16)
    });
    for (off, whence) in [(0, 0), (4, 0), (-2, 1), (0, 2), (-5, 2), (-100, 0), (3, 7), (1 << 40, 0)] {
        same("lseek", || lseek(a, off, whence), || unsafe { libc::lseek(b, off, whence) });
    }
    let (mut x, mut y) = ([0u8; 8], [0u8; 8]);
    same("lseek", || lseek(a, 3, 0), || unsafe { libc::lseek(b, 3, 0) });
    same("read", || unsafe { read(a, x.as_mut_ptr().cast(), 8) }, || unsafe {
        libc::read(b, y.as_mut_ptr().cast(), 8)
    });
    assert_eq!(x, y);
    for off in [0, 5, 15, 16, 100, -1] {
        same("pread", || unsafe { pread(a, x.as_mut_ptr().cast(), 8, off) }, || unsafe {
            libc::pread(b, y.as_mut_ptr().cast(), 8, off)
        });
        assert_eq!(x, y);
    }
    same("pwrite", || unsafe { pwrite(a, b"XY".as_ptr().cast(), 2, 20) }, || unsafe {
        libc::pwrite(b, b"XY".as_ptr().cast(), 2, 20)
    });
    same("pwrite -1", || unsafe { pwrite(a, b"XY".as_ptr().cast(), 2, -1) }, || unsafe {
        libc::pwrite(b, b"XY".as_ptr().cast(), 2, -1)
    });
    same("lseek end", || lseek(a, 0, 2), || unsafe { libc::lseek(b, 0, 2) });
    // A file with a hole reads zeros, then EOF.
    same("read eof", || unsafe { read(a, x.as_mut_ptr().cast(), 8) }, || unsafe {
        libc::read(b, y.as_mut_ptr().cast(), 8)
    });
    same("read zero", || unsafe { read(a, x.as_mut_ptr().cast(), 0) }, || unsafe {
        libc::read(b, y.as_mut_ptr().cast(), 0)
    });
    for len in [0, 3, 30] {
        same("ftruncate", || ftruncate(a, len), || unsafe { libc::ftruncate(b, len) });
        same("size", || lseek(a, 0, 2), || unsafe { libc::lseek(b, 0, 2) });
    }
    same("ftruncate -1", || ftruncate(a, -1), || unsafe { libc::ftruncate(b, -1) });
    let (ca, cb) = (dir.c("a"), dir.c("b"));
    same("truncate", || unsafe { truncate(ca.as_ptr(), 2) }, || unsafe {
        libc::truncate(cb.as_ptr(), 2)
    });
    let missing = dir.c("missing");
    same("truncate missing", || unsafe { truncate(missing.as_ptr(), 2) }, || unsafe {
        libc::truncate(missing.as_ptr(), 2)
    });
    same("fsync", || fsync(a), || unsafe { libc::fsync(b) });
    same("fdatasync", || fdatasync(a), || unsafe { libc::fdatasync(b) });
    same("isatty file", || isatty(a), || unsafe { libc::isatty(b) });
    same("close", || close(a), || unsafe { libc::close(b) });
    same("close again", || close(a), || unsafe { libc::close(b) });
}

#[test]
fn bad_descriptors() {
    let (mut x, mut y) = ([0u8; 4], [0u8; 4]);
    for fd in [-1, 100_000, 9999] {
        // SAFETY: the buffers are ours; the calls fail before using them.
        same("read", || unsafe { read(fd, x.as_mut_ptr().cast(), 4) }, || unsafe {
            libc::read(fd, y.as_mut_ptr().cast(), 4)
        });
        same("write", || unsafe { write(fd, x.as_ptr().cast(), 4) }, || unsafe {
            libc::write(fd, y.as_ptr().cast(), 4)
        });
        same("close", || close(fd), || unsafe { libc::close(fd) });
        same("lseek", || lseek(fd, 0, 0), || unsafe { libc::lseek(fd, 0, 0) });
        same("dup", || dup(fd), || unsafe { libc::dup(fd) });
        same("dup2", || dup2(fd, 50), || unsafe { libc::dup2(fd, 50) });
        same("fsync", || fsync(fd), || unsafe { libc::fsync(fd) });
        same("isatty", || isatty(fd), || unsafe { libc::isatty(fd) });
    }
}

#[test]
fn pipes_and_duplicates() {
    let (mut p, mut q) = ([0; 2], [0; 2]);
    // SAFETY: both arrays hold two ints.
    same("pipe", || unsafe { pipe(p.as_mut_ptr()) }, || unsafe { libc::pipe(q.as_mut_ptr()) });
    // SAFETY: as above.
    same("pipe2 bad flags", || unsafe { pipe2(p.as_mut_ptr(), 1) }, || unsafe {
        libc::pipe2(q.as_mut_ptr(), 1)
    });
    same("lseek pipe", || lseek(p[0], 0, 0), || unsafe { libc::lseek(q[0], 0, 0) });
    same("ftruncate pipe", || ftruncate(p[1], 0), || unsafe { libc::ftruncate(q[1], 0) });
    same("isatty pipe", || isatty(p[0]), || unsafe { libc::isatty(q[0]) });
    // dup gives a working descriptor, dup2 onto itself is a no-op, dup3
    // onto itself is EINVAL, and flags other than O_CLOEXEC are EINVAL.
    let d = dup(p[1]);
    assert!(d > 2);
    same("dup2 self", || dup2(p[1], p[1]) - p[1], || unsafe { libc::dup2(q[1], q[1]) - q[1] });
    same("dup3 self", || dup3(p[1], p[1], 0), || unsafe { libc::dup3(q[1], q[1], 0) });
    same("dup3 flags", || dup3(p[1], 90, 1), || unsafe { libc::dup3(q[1], 91, 1) });
    assert_eq!(dup3(p[1], 90, O_CLOEXEC_FOR_TEST), 90);
    // SAFETY: `fcntl(F_GETFD)` reads only flags.
    assert_eq!(unsafe { libc::fcntl(90, libc::F_GETFD) }, libc::FD_CLOEXEC);
    // SAFETY: the buffers are ours.
    unsafe {
        assert_eq!(write(d, b"ab".as_ptr().cast(), 2), 2);
        assert_eq!(write(90, b"c".as_ptr().cast(), 1), 1);
        let mut got = [0u8; 3];
        assert_eq!(read(p[0], got.as_mut_ptr().cast(), 3), 3);
        assert_eq!(&got, b"abc");
    }
    for fd in [d, 90, p[0], p[1], q[0], q[1]] {
        assert_eq!(close(fd), 0);
    }
}

const O_CLOEXEC_FOR_TEST: c_int = vibix_uapi::fcntl::O_CLOEXEC;

#[test]
fn a_closed_pipe_reads_eof() {
    let mut p = [0; 2];
    // SAFETY: `p` holds two ints.
    assert_eq!(unsafe { pipe2(p.as_mut_ptr(), O_CLOEXEC_FOR_TEST) }, 0);
    close(p[1]);
    let mut b = [0u8; 1];
    // SAFETY: the buffer is ours.
    assert_eq!(unsafe { read(p[0], b.as_mut_ptr().cast(), 1) }, 0);
    close(p[0]);
}
