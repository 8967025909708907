//! (internal) Host tests: Names in the file tree against the host C library: two twin scratch
//! trees, `o` (ours) and `h` (the host's), get the same calls, which must
//! return the same results and `errno`.

use std::borrow::ToOwned;
use std::ffi::CStr;
use std::os::unix::fs::symlink as mklink;

use super::*;
use crate::testutil::{Scratch, cstr, same};

/// The twin trees: `o/` and `h/`, each with a file `f`, a directory `d`
/// holding `inner`, an empty directory `e`, a link `l -> f` and a dangling
/// link `dl`.
fn twins(name: &str) -> Scratch {
    let s = Scratch::new(name);
    for side in ["o", "h"] {
        let root = s.0.join(side);
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::create_dir_all(root.join("e")).unwrap();
        std::fs::write(root.join("f"), b"file").unwrap();
        std::fs::write(root.join("d/inner"), b"").unwrap();
        mklink("f", root.join("l")).unwrap();
        mklink("nowhere", root.join("dl")).unwrap();
    }
    s
}

/// Runs a one-path call on `o/rel` (ours) and `h/rel` (the host's).
fn both<T: PartialEq + std::fmt::Debug>(
    s: &Scratch,
    what: &str,
    rel: &str,
    ours: impl FnOnce(&CStr) -> T,
    host: impl FnOnce(&CStr) -> T,
) -> T {
    let (o, h) = (s.c(&std::format!("o/{rel}")), s.c(&std::format!("h/{rel}")));
    same(&std::format!("{what}({rel})"), || ours(&o), || host(&h))
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn unlink_rmdir_and_their_errors() {
    let s = twins("fs-unlink");
    // SAFETY: (every call of this test) the paths are NUL-terminated.
    for rel in ["missing", "d", "f/x", "d/inner/x", "", "l", "dl", "f"] {
        // SAFETY: NUL-terminated paths and buffers of the sizes given.
        unsafe {
            both(
                &s,
                "unlink",
                rel,
                |p| unlink(p.as_ptr()),
                |p| libc::unlink(p.as_ptr()),
            )
        };
    }
    for rel in ["missing", "f", "d", "e", "e", "d/inner/x"] {
        // SAFETY: NUL-terminated paths and buffers of the sizes given.
        unsafe {
            both(
                &s,
                "rmdir",
                rel,
                |p| rmdir(p.as_ptr()),
                |p| libc::rmdir(p.as_ptr()),
            )
        };
    }
    for (rel, flags) in [
        ("d/inner", 0),
        ("d", AT_REMOVEDIR_T),
        ("d", 0),
        ("d", AT_REMOVEDIR_T),
        ("x", 0x1),
    ] {
        // SAFETY: NUL-terminated paths and buffers of the sizes given.
        unsafe {
            both(
                &s,
                "unlinkat",
                rel,
                |p| unlinkat(libc::AT_FDCWD, p.as_ptr(), flags),
                |p| libc::unlinkat(libc::AT_FDCWD, p.as_ptr(), flags),
            )
        };
    }
}

const AT_REMOVEDIR_T: c_int = vibix_uapi::fcntl::AT_REMOVEDIR;

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn links_and_their_errors() {
    let s = twins("fs-links");
    let two = |what: &str,
               a: &str,
               b: &str,
               ours: unsafe extern "C" fn(*const c_char, *const c_char) -> c_int,
               host: unsafe extern "C" fn(*const c_char, *const c_char) -> c_int,
               rel_target: bool| {
        let (oa, ob) = (s.c(&std::format!("o/{a}")), s.c(&std::format!("o/{b}")));
        let (ha, hb) = (s.c(&std::format!("h/{a}")), s.c(&std::format!("h/{b}")));
        let (oa, ha) = if rel_target {
            (cstr(a), cstr(a))
        } else {
            (oa, ha)
        };
        // SAFETY: all four paths are NUL-terminated.
        unsafe {
            same(
                &std::format!("{what}({a}, {b})"),
                || ours(oa.as_ptr(), ob.as_ptr()),
                || host(ha.as_ptr(), hb.as_ptr()),
            )
        };
    };
    two("link", "f", "g", link, libc::link, false);
    two("link exists", "f", "g", link, libc::link, false);
    two("link missing", "missing", "m2", link, libc::link, false);
    two("link dir", "d", "d2", link, libc::link, false);
    two("symlink", "f", "s", symlink, libc::symlink, true);
    two("symlink exists", "f", "s", symlink, libc::symlink, true);
    two(
        "symlink bad dir",
        "f",
        "missing/s",
        symlink,
        libc::symlink,
        true,
    );
    let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
    for (rel, size) in [
        ("s", 16),
        ("l", 16),
        ("l", 0),
        ("l", 1),
        ("f", 16),
        ("missing", 16),
        ("dl", 3),
    ] {
        // SAFETY: the buffers hold 16 bytes, more than `size`.
        // SAFETY: NUL-terminated paths and buffers of the sizes given.
        unsafe {
            both(
                &s,
                "readlink",
                rel,
                |p| readlink(p.as_ptr(), x.as_mut_ptr().cast(), size),
                |p| libc::readlink(p.as_ptr(), y.as_mut_ptr().cast(), size),
            )
        };
        assert_eq!(x, y);
    }
    // The *at forms, relative to a directory descriptor.
    let (od, hd) = (s.c("o"), s.c("h"));
    // SAFETY: NUL-terminated paths.
    let (ofd, hfd) = unsafe {
        (
            libc::open(od.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY),
            libc::open(hd.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY),
        )
    };
    // SAFETY: NUL-terminated paths and 16-byte buffers.
    unsafe {
        same(
            "linkat",
            || linkat(ofd, c"f".as_ptr(), ofd, c"g2".as_ptr(), 0),
            || libc::linkat(hfd, c"f".as_ptr(), hfd, c"g2".as_ptr(), 0),
        );
        same(
            "linkat flags",
            || linkat(ofd, c"f".as_ptr(), ofd, c"g3".as_ptr(), 0x1),
            || libc::linkat(hfd, c"f".as_ptr(), hfd, c"g3".as_ptr(), 0x1),
        );
        same(
            "symlinkat",
            || symlinkat(c"target".as_ptr(), ofd, c"s2".as_ptr()),
            || libc::symlinkat(c"target".as_ptr(), hfd, c"s2".as_ptr()),
        );
        same(
            "readlinkat",
            || readlinkat(ofd, c"s2".as_ptr(), x.as_mut_ptr().cast(), 16),
            || libc::readlinkat(hfd, c"s2".as_ptr(), y.as_mut_ptr().cast(), 16),
        );
        assert_eq!(x, y);
        same(
            "readlinkat badfd",
            || readlinkat(-5, c"s2".as_ptr(), x.as_mut_ptr().cast(), 16),
            || libc::readlinkat(-5, c"s2".as_ptr(), y.as_mut_ptr().cast(), 16),
        );
        libc::close(ofd);
        libc::close(hfd);
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn access_checks() {
    let s = twins("fs-access");
    for rel in ["f", "d", "missing", "l", "dl", "f/x"] {
        for mode in [F_OK, R_OK, W_OK, X_OK, R_OK | W_OK, 0x40] {
            // SAFETY: NUL-terminated paths.
            // SAFETY: NUL-terminated paths and buffers of the sizes given.
            unsafe {
                both(
                    &s,
                    "access",
                    rel,
                    |p| access(p.as_ptr(), mode),
                    |p| libc::access(p.as_ptr(), mode),
                )
            };
            for flags in [0, AT_EACCESS, AT_SYMLINK_NOFOLLOW, 0x8000] {
                // SAFETY: NUL-terminated paths.
                // SAFETY: NUL-terminated paths and buffers of the sizes given.
                unsafe {
                    both(
                        &s,
                        "faccessat",
                        rel,
                        |p| faccessat(libc::AT_FDCWD, p.as_ptr(), mode, flags),
                        |p| libc::faccessat(libc::AT_FDCWD, p.as_ptr(), mode, flags),
                    )
                };
            }
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn working_directory() {
    let _cwd = crate::testutil::cwd_lock();
    let s = twins("fs-cwd");
    let mut x = [0 as c_char; 4096];
    let mut y = [0 as c_char; 4096];
    // SAFETY: the buffers hold 4096 bytes; the others are NULL or sized.
    unsafe {
        let before = libc::getcwd(y.as_mut_ptr(), 4096);
        assert!(!before.is_null());
        let saved = CStr::from_ptr(before).to_owned();
        for size in [4096usize, 1, 0] {
            crate::testutil::clear_errno();
            let a = getcwd(x.as_mut_ptr(), size).is_null();
            let b = libc::getcwd(y.as_mut_ptr(), size).is_null();
            assert_eq!(a, b, "getcwd size {size}");
            if a {
                assert_eq!(crate::testutil::our_errno(), crate::testutil::host_errno());
            }
        }
        for size in [0usize, 4096, 1] {
            let a = getcwd(core::ptr::null_mut(), size);
            let b = libc::getcwd(core::ptr::null_mut(), size);
            assert_eq!(a.is_null(), b.is_null(), "getcwd(NULL, {size})");
            if !a.is_null() {
                assert_eq!(CStr::from_ptr(a), CStr::from_ptr(b));
                libc::free(a.cast());
                libc::free(b.cast());
            } else {
                assert_eq!(crate::testutil::our_errno(), crate::testutil::host_errno());
            }
        }
        let d = s.c("o/d");
        assert_eq!(chdir(d.as_ptr()), 0);
        assert_eq!(CStr::from_ptr(getcwd(x.as_mut_ptr(), 4096)), d.as_c_str());
        same(
            "chdir missing",
            || chdir(c"missing".as_ptr()),
            || libc::chdir(c"missing".as_ptr()),
        );
        same(
            "chdir file",
            || chdir(c"inner".as_ptr()),
            || libc::chdir(c"inner".as_ptr()),
        );
        let fd = libc::open(c"..".as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
        assert_eq!(fchdir(fd), 0);
        assert_eq!(
            CStr::from_ptr(getcwd(x.as_mut_ptr(), 4096)),
            s.c("o").as_c_str()
        );
        libc::close(fd);
        same("fchdir bad", || fchdir(-1), || libc::fchdir(-1));
        assert_eq!(chdir(saved.as_ptr()), 0);
    }
}

#[test]
fn refused_before_the_kernel() {
    let mut buf = [0 as c_char; 4];
    // SAFETY: each call fails on its arguments before using the buffer or
    // reading the path.
    unsafe {
        assert!(getcwd(buf.as_mut_ptr(), 0).is_null());
        assert_eq!(crate::testutil::our_errno(), libc::EINVAL);
        assert_eq!(faccessat(libc::AT_FDCWD, c"x".as_ptr(), F_OK, 0x8000), -1);
        assert_eq!(crate::testutil::our_errno(), libc::EINVAL);
        assert_eq!(faccessat(libc::AT_FDCWD, c"x".as_ptr(), 0x40, 0), -1);
        assert_eq!(crate::testutil::our_errno(), libc::EINVAL);
    }
}
