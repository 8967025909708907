//! (internal) Host tests: Descriptor calls against the host C library's: same results, same
//! `errno`, on files, pipes and bad descriptors.

use super::*;
use crate::testutil::{Scratch, same};

/// Opens `path` for both libraries' use (the descriptor is the kernel's).
fn open_rw(path: &std::ffi::CStr) -> c_int {
    // SAFETY: `path` is NUL-terminated.
    unsafe {
        libc::open(
            path.as_ptr(),
            libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC,
            0o644,
        )
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn read_write_seek_and_positioned() {
    let dir = Scratch::new("io-rw");
    let (a, b) = (open_rw(&dir.c("a")), open_rw(&dir.c("b")));
    let data = b"0123456789abcdef";
    // SAFETY: (every block of this test) the buffers are ours and as long
    // as the counts given.
    unsafe {
        same(
            "write",
            || write(a, data.as_ptr().cast(), 16),
            || libc::write(b, data.as_ptr().cast(), 16),
        )
    };
    for (off, whence) in [
        (0, 0),
        (4, 0),
        (-2, 1),
        (0, 2),
        (-5, 2),
        (-100, 0),
        (3, 7),
        (1 << 40, 0),
    ] {
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe {
            same(
                "lseek",
                || lseek(a, off, whence),
                || libc::lseek(b, off, whence),
            )
        };
    }
    let (mut x, mut y) = ([0u8; 8], [0u8; 8]);
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("lseek", || lseek(a, 3, 0), || libc::lseek(b, 3, 0)) };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "read",
            || read(a, x.as_mut_ptr().cast(), 8),
            || libc::read(b, y.as_mut_ptr().cast(), 8),
        )
    };
    assert_eq!(x, y);
    for off in [0, 5, 15, 16, 100, -1] {
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe {
            same(
                "pread",
                || pread(a, x.as_mut_ptr().cast(), 8, off),
                || libc::pread(b, y.as_mut_ptr().cast(), 8, off),
            )
        };
        assert_eq!(x, y);
    }
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "pwrite",
            || pwrite(a, b"XY".as_ptr().cast(), 2, 20),
            || libc::pwrite(b, b"XY".as_ptr().cast(), 2, 20),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "pwrite -1",
            || pwrite(a, b"XY".as_ptr().cast(), 2, -1),
            || libc::pwrite(b, b"XY".as_ptr().cast(), 2, -1),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("lseek end", || lseek(a, 0, 2), || libc::lseek(b, 0, 2)) };
    // A file with a hole reads zeros, then EOF.
    // SAFETY: the buffers are ours and 8 bytes long.
    unsafe {
        same(
            "read eof",
            || read(a, x.as_mut_ptr().cast(), 8),
            || libc::read(b, y.as_mut_ptr().cast(), 8),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "read zero",
            || read(a, x.as_mut_ptr().cast(), 0),
            || libc::read(b, y.as_mut_ptr().cast(), 0),
        )
    };
    for len in [0, 3, 30] {
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe {
            same(
                "ftruncate",
                || ftruncate(a, len),
                || libc::ftruncate(b, len),
            )
        };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe { same("size", || lseek(a, 0, 2), || libc::lseek(b, 0, 2)) };
    }
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "ftruncate -1",
            || ftruncate(a, -1),
            || libc::ftruncate(b, -1),
        )
    };
    let (ca, cb) = (dir.c("a"), dir.c("b"));
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "truncate",
            || truncate(ca.as_ptr(), 2),
            || libc::truncate(cb.as_ptr(), 2),
        )
    };
    let missing = dir.c("missing");
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "truncate missing",
            || truncate(missing.as_ptr(), 2),
            || libc::truncate(missing.as_ptr(), 2),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("fsync", || fsync(a), || libc::fsync(b)) };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("fdatasync", || fdatasync(a), || libc::fdatasync(b)) };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("isatty file", || isatty(a), || libc::isatty(b)) };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("close", || close(a), || libc::close(b)) };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("close again", || close(a), || libc::close(b)) };
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn bad_descriptors() {
    let (mut x, mut y) = ([0u8; 4], [0u8; 4]);
    for fd in [-1, 100_000, 9999] {
        // SAFETY: the buffers are ours; the calls fail before using them.
        unsafe {
            same(
                "read",
                || read(fd, x.as_mut_ptr().cast(), 4),
                || libc::read(fd, y.as_mut_ptr().cast(), 4),
            )
        };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe {
            same(
                "write",
                || write(fd, x.as_ptr().cast(), 4),
                || libc::write(fd, y.as_ptr().cast(), 4),
            )
        };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe { same("close", || close(fd), || libc::close(fd)) };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe { same("lseek", || lseek(fd, 0, 0), || libc::lseek(fd, 0, 0)) };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe { same("dup", || dup(fd), || libc::dup(fd)) };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe { same("dup2", || dup2(fd, 50), || libc::dup2(fd, 50)) };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe { same("fsync", || fsync(fd), || libc::fsync(fd)) };
        // SAFETY: the test's buffers and NUL-terminated paths are live and as
        // large as the calls say.
        unsafe { same("isatty", || isatty(fd), || libc::isatty(fd)) };
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn pipes_and_duplicates() {
    let (mut p, mut q) = ([0; 2], [0; 2]);
    // SAFETY: both arrays hold two ints.
    unsafe {
        same(
            "pipe",
            || pipe(p.as_mut_ptr()),
            || libc::pipe(q.as_mut_ptr()),
        )
    };
    // SAFETY: as above.
    unsafe {
        same(
            "pipe2 bad flags",
            || pipe2(p.as_mut_ptr(), 1),
            || libc::pipe2(q.as_mut_ptr(), 1),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "lseek pipe",
            || lseek(p[0], 0, 0),
            || libc::lseek(q[0], 0, 0),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "ftruncate pipe",
            || ftruncate(p[1], 0),
            || libc::ftruncate(q[1], 0),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe { same("isatty pipe", || isatty(p[0]), || libc::isatty(q[0])) };
    // dup gives a working descriptor, dup2 onto itself is a no-op, dup3
    // onto itself is EINVAL, and flags other than O_CLOEXEC are EINVAL.
    let d = dup(p[1]);
    assert!(d > 2);
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "dup2 self",
            || dup2(p[1], p[1]) - p[1],
            || libc::dup2(q[1], q[1]) - q[1],
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "dup3 self",
            || dup3(p[1], p[1], 0),
            || libc::dup3(q[1], q[1], 0),
        )
    };
    // SAFETY: the test's buffers and NUL-terminated paths are live and as
    // large as the calls say.
    unsafe {
        same(
            "dup3 flags",
            || dup3(p[1], 90, 1),
            || libc::dup3(q[1], 91, 1),
        )
    };
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
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
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

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn large_file_names_as_glibcs() {
    let dir = Scratch::new("io-64");
    let (a, b) = (open_rw(&dir.c("a")), open_rw(&dir.c("b")));
    let data = b"0123456789";
    let mut x = [0u8; 4];
    let mut y = [0u8; 4];
    // SAFETY: the buffers are ours and as long as the counts given.
    unsafe {
        same(
            "pwrite64",
            || pwrite64(a, data.as_ptr().cast(), 10, 3),
            || libc::pwrite64(b, data.as_ptr().cast(), 10, 3),
        );
        same(
            "pread64",
            || pread64(a, x.as_mut_ptr().cast(), 4, 5),
            || libc::pread64(b, y.as_mut_ptr().cast(), 4, 5),
        );
    }
    assert_eq!(x, y);
    // SAFETY: no memory is touched.
    unsafe {
        same("lseek64", || lseek64(a, -2, 2), || libc::lseek64(b, -2, 2));
        same(
            "ftruncate64",
            || ftruncate64(a, 4),
            || libc::ftruncate64(b, 4),
        );
        same(
            "lseek64 end",
            || lseek64(a, 0, 2),
            || libc::lseek64(b, 0, 2),
        );
        same(
            "lseek64 bad",
            || lseek64(-1, 0, 0),
            || libc::lseek64(-1, 0, 0),
        );
    }
    close(a);
    close(b);
}
