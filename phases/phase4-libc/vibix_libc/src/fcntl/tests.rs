//! (internal) Host tests: `open`, `openat`, `creat` and `fcntl` against glibc's, on twin files.

use super::*;
use crate::testutil::{Scratch, same};
use crate::unistd::io::close;

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn opening_and_its_errors() {
    let s = Scratch::new("fcntl-open");
    for side in ["o", "h"] {
        std::fs::create_dir_all(s.0.join(side).join("d")).unwrap();
        std::fs::write(s.0.join(side).join("f"), b"x").unwrap();
    }
    let cases: &[(&str, c_int)] = &[
        ("f", O_RDONLY),
        ("f", O_RDWR | O_APPEND),
        ("new", O_WRONLY | O_CREAT),
        ("new", O_WRONLY | O_CREAT | O_EXCL),
        ("missing", O_RDONLY),
        ("d", O_RDWR),
        ("d", O_RDONLY | O_DIRECTORY),
        ("f", O_RDONLY | O_DIRECTORY),
        ("f/x", O_RDONLY),
        ("d/new2", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC),
        ("", O_RDONLY),
    ];
    for &(rel, flags) in cases {
        let (o, h) = (s.c(&std::format!("o/{rel}")), s.c(&std::format!("h/{rel}")));
        // SAFETY: NUL-terminated paths; a mode follows when O_CREAT is set.
        let opened = unsafe {
            same(
                &std::format!("open({rel}, {flags:o})"),
                || open(o.as_ptr(), flags, 0o640) >= 0,
                || libc::open(h.as_ptr(), flags, 0o640) >= 0,
            )
        };
        let _ = opened;
    }
    // The created file has the mode asked for, less the umask.
    let meta = std::fs::metadata(s.0.join("o/new")).unwrap();
    let host = std::fs::metadata(s.0.join("h/new")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(meta.permissions().mode(), host.permissions().mode());
    let (o, h) = (s.c("o/c"), s.c("h/c"));
    // SAFETY: NUL-terminated paths.
    let (fo, fh) = unsafe { (creat(o.as_ptr(), 0o600), libc::creat(h.as_ptr(), 0o600)) };
    assert!(fo >= 0 && fh >= 0);
    // openat relative to a directory descriptor, and with a bad one.
    let (od, hd) = (s.c("o/d"), s.c("h/d"));
    // SAFETY: NUL-terminated paths.
    unsafe {
        let (diro, dirh) = (
            open(od.as_ptr(), O_RDONLY),
            libc::open(hd.as_ptr(), O_RDONLY),
        );
        same(
            "openat",
            || openat(diro, c"new2".as_ptr(), O_RDONLY) >= 0,
            || libc::openat(dirh, c"new2".as_ptr(), O_RDONLY) >= 0,
        );
        same(
            "openat badfd",
            || openat(-7, c"new2".as_ptr(), O_RDONLY),
            || libc::openat(-7, c"new2".as_ptr(), O_RDONLY),
        );
        same(
            "openat file fd",
            || openat(fo, c"x".as_ptr(), O_RDONLY),
            || libc::openat(fh, c"x".as_ptr(), O_RDONLY),
        );
        close(diro);
        libc::close(dirh);
    }
    close(fo);
    // SAFETY: closing our own descriptor.
    unsafe { libc::close(fh) };
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn fcntl_commands() {
    let s = Scratch::new("fcntl-cmds");
    let p = s.c("f");
    // SAFETY: NUL-terminated path, and a mode.
    let fd = unsafe { open(p.as_ptr(), O_RDWR | O_CREAT, 0o600) };
    assert!(fd >= 0);
    // SAFETY: (every call) the commands take an int or nothing.
    unsafe {
        same(
            "F_GETFD",
            || fcntl(fd, F_GETFD),
            || libc::fcntl(fd, F_GETFD),
        );
        same(
            "F_SETFD",
            || fcntl(fd, F_SETFD, FD_CLOEXEC),
            || libc::fcntl(fd, F_SETFD, FD_CLOEXEC),
        );
        same(
            "F_GETFD",
            || fcntl(fd, F_GETFD),
            || libc::fcntl(fd, F_GETFD),
        );
        same(
            "F_GETFL",
            || fcntl(fd, F_GETFL),
            || libc::fcntl(fd, F_GETFL),
        );
        same(
            "F_SETFL",
            || fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK),
            || libc::fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK),
        );
        same(
            "F_GETFL",
            || fcntl(fd, F_GETFL),
            || libc::fcntl(fd, F_GETFL),
        );
        same(
            "F_GETFL bad",
            || fcntl(-1, F_GETFL),
            || libc::fcntl(-1, F_GETFL),
        );
        same(
            "F_DUPFD big",
            || fcntl(fd, F_DUPFD, 1 << 30),
            || libc::fcntl(fd, F_DUPFD, 1 << 30),
        );
        same(
            "F_DUPFD -1",
            || fcntl(fd, F_DUPFD, -1),
            || libc::fcntl(fd, F_DUPFD, -1),
        );
        let a = fcntl(fd, F_DUPFD, 200);
        assert!(a >= 200);
        let b = fcntl(fd, F_DUPFD_CLOEXEC, 300);
        assert!(b >= 300);
        assert_eq!(fcntl(a, F_GETFD), 0);
        assert_eq!(fcntl(b, F_GETFD), FD_CLOEXEC);
        close(a);
        close(b);
    }
    close(fd);
    assert_eq!(O_NDELAY, libc::O_NDELAY);
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn large_file_names_open_as_glibcs() {
    let s = Scratch::new("fcntl-open64");
    for side in ["o", "h"] {
        std::fs::create_dir_all(s.0.join(side)).unwrap();
    }
    for (rel, flags) in [
        ("new", O_WRONLY | O_CREAT | O_EXCL),
        ("new", O_WRONLY | O_CREAT | O_EXCL),
        ("new", O_RDONLY),
        ("missing", O_RDONLY),
    ] {
        let (o, h) = (s.c(&std::format!("o/{rel}")), s.c(&std::format!("h/{rel}")));
        // SAFETY: NUL-terminated paths; a mode follows.
        let fds = unsafe {
            (
                open64(o.as_ptr(), flags, 0o600),
                libc::open64(h.as_ptr(), flags, 0o600),
            )
        };
        assert_eq!(fds.0 >= 0, fds.1 >= 0, "open64({rel}, {flags:o})");
        if fds.0 >= 0 {
            close(fds.0);
            close(fds.1);
        }
        let (o, h) = (s.c("o"), s.c("h"));
        // SAFETY: NUL-terminated directory paths, then relative names.
        unsafe {
            let (od, hd) = (
                libc::open(o.as_ptr(), O_RDONLY | O_DIRECTORY),
                libc::open(h.as_ptr(), O_RDONLY | O_DIRECTORY),
            );
            let name = crate::testutil::cstr(rel);
            let fds = (
                openat64(od, name.as_ptr(), flags & !O_EXCL, 0o600),
                libc::openat64(hd, name.as_ptr(), flags & !O_EXCL, 0o600),
            );
            assert_eq!(fds.0 >= 0, fds.1 >= 0, "openat64({rel}, {flags:o})");
            for fd in [fds.0, fds.1, od, hd] {
                if fd >= 0 {
                    close(fd);
                }
            }
        }
    }
}
