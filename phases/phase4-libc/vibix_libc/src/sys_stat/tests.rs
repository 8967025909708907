//! (internal) Host tests: File status, directories, permissions and times against glibc's.

use std::ffi::CStr;

use super::*;
use crate::testutil::{Scratch, same};
use crate::unistd::io::close;

/// The fields of a `struct stat` that two stats of one file share.
fn key(st: &stat) -> (u64, u64, u32, u64, i64, i64, i64) {
    (
        st.st_dev,
        st.st_ino,
        st.st_mode,
        st.st_nlink,
        st.st_size,
        st.st_mtime,
        st.st_mtime_nsec,
    )
}

#[test]
fn layout_is_glibcs() {
    use core::mem::{align_of, offset_of, size_of};
    assert_eq!(size_of::<stat>(), size_of::<libc::stat>());
    assert_eq!(align_of::<stat>(), align_of::<libc::stat>());
    assert_eq!(offset_of!(stat, st_mode), offset_of!(libc::stat, st_mode));
    assert_eq!(offset_of!(stat, st_size), offset_of!(libc::stat, st_size));
    assert_eq!(offset_of!(stat, st_mtime), offset_of!(libc::stat, st_mtime));
    assert_eq!(
        offset_of!(stat, st_ctime_nsec),
        offset_of!(libc::stat, st_ctime_nsec)
    );
    assert_eq!(
        (S_IRWXU, S_IRUSR, S_IXOTH),
        (libc::S_IRWXU, libc::S_IRUSR, libc::S_IXOTH)
    );
}

/// Calls `ours` and `host` on `path` and compares result, errno and (on
/// success) the status.
fn compare(
    what: &str,
    path: &CStr,
    ours: unsafe extern "C" fn(*const c_char, *mut stat) -> c_int,
    host: unsafe extern "C" fn(*const c_char, *mut libc::stat) -> c_int,
) {
    let mut a = stat::default();
    // SAFETY: a zeroed libc::stat is valid (integers).
    let mut b: libc::stat = unsafe { core::mem::zeroed() };
    // SAFETY: NUL-terminated path, writable structures.
    let r = unsafe {
        same(
            what,
            || ours(path.as_ptr(), &mut a),
            || host(path.as_ptr(), &mut b),
        )
    };
    if r == 0 {
        let b = (
            b.st_dev,
            b.st_ino,
            b.st_mode,
            b.st_nlink,
            b.st_size,
            b.st_mtime,
            b.st_mtime_nsec,
        );
        assert_eq!(key(&a), b, "{what}({path:?})");
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn stat_lstat_fstat_fstatat() {
    let s = Scratch::new("stat");
    std::fs::write(s.0.join("f"), b"12345").unwrap();
    std::fs::create_dir(s.0.join("d")).unwrap();
    std::os::unix::fs::symlink("f", s.0.join("l")).unwrap();
    std::os::unix::fs::symlink("nowhere", s.0.join("dl")).unwrap();
    for rel in ["f", "d", "l", "dl", "missing", "f/x", ""] {
        let p = s.c(rel);
        compare("stat", &p, stat, libc::stat);
        compare("lstat", &p, lstat, libc::lstat);
    }
    let p = s.c("f");
    // SAFETY: NUL-terminated path.
    let fd = unsafe { libc::open(p.as_ptr(), libc::O_RDONLY) };
    let mut a = stat::default();
    // SAFETY: zeroed integers.
    let mut b: libc::stat = unsafe { core::mem::zeroed() };
    // SAFETY: writable structures.
    unsafe {
        same("fstat", || fstat(fd, &mut a), || libc::fstat(fd, &mut b));
        assert_eq!(
            (a.st_ino, a.st_size, a.st_mode),
            (b.st_ino, b.st_size, b.st_mode)
        );
        same(
            "fstat bad",
            || fstat(-1, &mut a),
            || libc::fstat(-1, &mut b),
        );
        same(
            "fstatat empty",
            || fstatat(fd, c"".as_ptr(), &mut a, 0x1000),
            || libc::fstatat(fd, c"".as_ptr(), &mut b, 0x1000),
        );
        same(
            "fstatat empty no flag",
            || fstatat(fd, c"".as_ptr(), &mut a, 0),
            || libc::fstatat(fd, c"".as_ptr(), &mut b, 0),
        );
        same(
            "fstatat flags",
            || fstatat(libc::AT_FDCWD, p.as_ptr(), &mut a, 0x4),
            || libc::fstatat(libc::AT_FDCWD, p.as_ptr(), &mut b, 0x4),
        );
    }
    close(fd);
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn directories_permissions_times() {
    let s = Scratch::new("mkdir");
    std::fs::write(s.0.join("f"), b"").unwrap();
    for rel in ["o", "h"] {
        let _ = rel;
    }
    // SAFETY: (every call) NUL-terminated paths.
    unsafe {
        let (o, h) = (s.c("o"), s.c("h"));
        same(
            "mkdir",
            || mkdir(o.as_ptr(), 0o750),
            || libc::mkdir(h.as_ptr(), 0o750),
        );
        same(
            "mkdir again",
            || mkdir(o.as_ptr(), 0o750),
            || libc::mkdir(h.as_ptr(), 0o750),
        );
        let (o2, h2) = (s.c("missing/o"), s.c("missing/h"));
        same(
            "mkdir no parent",
            || mkdir(o2.as_ptr(), 0o750),
            || libc::mkdir(h2.as_ptr(), 0o750),
        );
        let (o3, h3) = (s.c("f/o"), s.c("f/h"));
        same(
            "mkdir under a file",
            || mkdir(o3.as_ptr(), 0o750),
            || libc::mkdir(h3.as_ptr(), 0o750),
        );
        let od = libc::open(o.as_ptr(), libc::O_RDONLY);
        let hd = libc::open(h.as_ptr(), libc::O_RDONLY);
        same(
            "mkdirat",
            || mkdirat(od, c"sub".as_ptr(), 0o700),
            || libc::mkdirat(hd, c"sub".as_ptr(), 0o700),
        );
        same(
            "mkdirat bad",
            || mkdirat(-3, c"sub".as_ptr(), 0o700),
            || libc::mkdirat(-3, c"sub".as_ptr(), 0o700),
        );
        same(
            "chmod",
            || chmod(o.as_ptr(), 0o711),
            || libc::chmod(h.as_ptr(), 0o711),
        );
        let (m1, m2) = (s.c("o/missing"), s.c("h/missing"));
        same(
            "chmod missing",
            || chmod(m1.as_ptr(), 0o711),
            || libc::chmod(m2.as_ptr(), 0o711),
        );
        same("fchmod", || fchmod(od, 0o755), || libc::fchmod(hd, 0o755));
        same(
            "fchmod bad",
            || fchmod(-1, 0o755),
            || libc::fchmod(-1, 0o755),
        );
        same(
            "fchmodat",
            || fchmodat(od, c"sub".as_ptr(), 0o701, 0),
            || libc::fchmodat(hd, c"sub".as_ptr(), 0o701, 0),
        );
        same(
            "fchmodat flags",
            || fchmodat(od, c"sub".as_ptr(), 0o701, 0x8),
            || libc::fchmodat(hd, c"sub".as_ptr(), 0o701, 0x8),
        );
        let mut a = stat::default();
        let mut b: libc::stat = core::mem::zeroed();
        assert_eq!(stat(s.c("o/sub").as_ptr(), &mut a), 0);
        assert_eq!(libc::stat(s.c("h/sub").as_ptr(), &mut b), 0);
        assert_eq!(a.st_mode, b.st_mode);
        // Times: set, omit, now; bad nanoseconds are EINVAL.
        let times = [
            timespec {
                tv_sec: 1_000_000,
                tv_nsec: 5,
            },
            timespec {
                tv_sec: 2_000_000,
                tv_nsec: UTIME_OMIT,
            },
        ];
        let htimes = [
            libc::timespec {
                tv_sec: 1_000_000,
                tv_nsec: 5,
            },
            libc::timespec {
                tv_sec: 2_000_000,
                tv_nsec: libc::UTIME_OMIT,
            },
        ];
        same(
            "futimens",
            || futimens(od, times.as_ptr()),
            || libc::futimens(hd, htimes.as_ptr()),
        );
        same(
            "utimensat",
            || utimensat(od, c"sub".as_ptr(), times.as_ptr(), 0),
            || libc::utimensat(hd, c"sub".as_ptr(), htimes.as_ptr(), 0),
        );
        assert_eq!(stat(s.c("o/sub").as_ptr(), &mut a), 0);
        assert_eq!(libc::stat(s.c("h/sub").as_ptr(), &mut b), 0);
        assert_eq!((a.st_atime, a.st_atime_nsec), (b.st_atime, b.st_atime_nsec));
        assert_eq!((a.st_atime, a.st_atime_nsec), (1_000_000, 5));
        let bad = [timespec {
            tv_sec: 0,
            tv_nsec: 2_000_000_000,
        }; 2];
        let hbad = [libc::timespec {
            tv_sec: 0,
            tv_nsec: 2_000_000_000,
        }; 2];
        same(
            "futimens bad",
            || futimens(od, bad.as_ptr()),
            || libc::futimens(hd, hbad.as_ptr()),
        );
        same(
            "utimensat NULL path",
            || utimensat(od, core::ptr::null(), core::ptr::null(), 0),
            || libc::utimensat(hd, core::ptr::null(), core::ptr::null(), 0),
        );
        close(od);
        libc::close(hd);
    }
    // umask: set and read back.
    let old = umask(0o027);
    assert_eq!(umask(old), 0o027);
}

#[test]
fn refused_before_the_kernel() {
    // SAFETY: each call fails on its arguments before reading the path.
    unsafe {
        assert_eq!(
            fchmodat(AT_FDCWD, c"x".as_ptr(), 0o600, AT_SYMLINK_NOFOLLOW),
            -1
        );
        assert_eq!(vibix_abi::errno::errno(), libc::EOPNOTSUPP);
        assert_eq!(fchmodat(AT_FDCWD, c"x".as_ptr(), 0o600, 0x8000), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        assert_eq!(
            utimensat(AT_FDCWD, core::ptr::null(), core::ptr::null(), 0),
            -1
        );
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
    }
}

/// glibc's `stat64` (its `struct stat64` is `struct stat` on x86_64).
///
/// # Safety
///
/// As `stat`.
unsafe extern "C" fn host_stat64(path: *const c_char, buf: *mut libc::stat) -> c_int {
    // SAFETY: the caller's contract; the layouts are the same.
    unsafe { libc::stat64(path, buf.cast()) }
}

/// glibc's `lstat64`.
///
/// # Safety
///
/// As `lstat`.
unsafe extern "C" fn host_lstat64(path: *const c_char, buf: *mut libc::stat) -> c_int {
    // SAFETY: the caller's contract; the layouts are the same.
    unsafe { libc::lstat64(path, buf.cast()) }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn large_file_names_match_glibcs() {
    assert_eq!(size_of::<stat>(), size_of::<libc::stat64>());
    let s = Scratch::new("stat64");
    std::fs::write(s.0.join("f"), b"12345").unwrap();
    std::os::unix::fs::symlink("f", s.0.join("l")).unwrap();
    for rel in ["f", "l", "missing"] {
        let p = s.c(rel);
        compare("stat64", &p, stat64, host_stat64);
        compare("lstat64", &p, lstat64, host_lstat64);
    }
    let p = s.c("f");
    // SAFETY: NUL-terminated path.
    let fd = unsafe { libc::open(p.as_ptr(), libc::O_RDONLY) };
    let mut a = stat::default();
    // SAFETY: zeroed integers.
    let mut b: libc::stat64 = unsafe { core::mem::zeroed() };
    // SAFETY: writable structures, NUL-terminated paths.
    unsafe {
        same(
            "fstat64",
            || fstat64(fd, &mut a),
            || libc::fstat64(fd, &mut b),
        );
        assert_eq!((a.st_ino, a.st_size), (b.st_ino, b.st_size));
        same(
            "fstatat64",
            || fstatat64(AT_FDCWD, p.as_ptr(), &mut a, 0),
            || libc::fstatat64(AT_FDCWD, p.as_ptr(), &mut b, 0),
        );
        assert_eq!((a.st_ino, a.st_size), (b.st_ino, b.st_size));
    }
    close(fd);
}
