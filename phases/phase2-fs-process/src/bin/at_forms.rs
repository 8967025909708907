//! The `*at` forms of the path calls: `linkat` (a final symlink is linked
//! itself, or followed with `AT_SYMLINK_FOLLOW`; `AT_EMPTY_PATH` links an
//! open file; other flags are EINVAL before any path is looked at),
//! `symlinkat`, `readlinkat` and `fchmodat` relative to a directory
//! descriptor, with their errors; `fchmodat` has no flags argument, so a
//! fourth register is ignored and a symlink is followed, as the raw Linux
//! system call does.

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::errno::Errno;
use vrt::fs::{self, AT_FDCWD, O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY};
use vrt::fsops::{AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW};
use vrt::stat::S_IFLNK;
use vrt::syscall::{syscall3, syscall4, syscall5};
use vrt::uapi::fcntl::AT_SYMLINK_FOLLOW;
use vrt::{check, check_eq, fsops};

vrt::entry!(main);

fn linkat(odir: i32, old: &CStr, ndir: i32, new: &CStr, flags: u32) -> Result<usize, Errno> {
    // SAFETY: the kernel reads two NUL-terminated paths.
    Errno::from_ret(unsafe {
        syscall5(
            vrt::nr::LINKAT,
            odir as usize,
            old.as_ptr() as usize,
            ndir as usize,
            new.as_ptr() as usize,
            flags as usize,
        )
    })
}

fn symlinkat(target: &CStr, dir: i32, path: &CStr) -> Result<usize, Errno> {
    // SAFETY: the kernel reads two NUL-terminated paths.
    Errno::from_ret(unsafe {
        syscall3(
            vrt::nr::SYMLINKAT,
            target.as_ptr() as usize,
            dir as usize,
            path.as_ptr() as usize,
        )
    })
}

fn readlinkat(dir: i32, path: &CStr, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel reads a path and writes at most `buf.len()` bytes
    // into `buf`.
    Errno::from_ret(unsafe {
        syscall4(
            vrt::nr::READLINKAT,
            dir as usize,
            path.as_ptr() as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    })
}

/// `fchmodat` with a fourth argument in its register (the system call has
/// only three).
fn fchmodat(dir: i32, path: &CStr, mode: u32, fourth: u32) -> Result<usize, Errno> {
    // SAFETY: the kernel reads a NUL-terminated path.
    Errno::from_ret(unsafe {
        syscall4(
            vrt::nr::FCHMODAT,
            dir as usize,
            path.as_ptr() as usize,
            mode as usize,
            fourth as usize,
        )
    })
}

fn ino(path: &CStr) -> u64 {
    fsops::lstat(path).expect("lstat").st_ino
}

fn perm(path: &CStr) -> u32 {
    fsops::stat(path).expect("stat").permissions()
}

const FOLLOW: u32 = AT_SYMLINK_FOLLOW as u32;

fn main(_args: &vrt::Args) -> i32 {
    let _ = fsops::mkdir(c"tmp-p2-at", 0o755);
    let fd = fs::open(c"tmp-p2-at/f", O_CREAT | O_WRONLY, 0o644).expect("create f");
    let dir = fs::open(c"tmp-p2-at", O_RDONLY | O_DIRECTORY, 0).expect("open the directory");

    // symlinkat and readlinkat, from the directory descriptor.
    check_eq!(
        symlinkat(c"f", dir, c"l"),
        Ok(0),
        "symlinkat l -> f in the directory"
    );
    let mut buf = [0u8; 16];
    check_eq!(readlinkat(dir, c"l", &mut buf), Ok(1), "readlinkat l");
    check_eq!(&buf[..1], b"f", "its target is f");
    check_eq!(
        readlinkat(AT_FDCWD, c"tmp-p2-at/l", &mut buf),
        Ok(1),
        "readlinkat with AT_FDCWD"
    );
    check_eq!(
        readlinkat(dir, c"l", &mut []),
        Err(Errno::EINVAL),
        "readlinkat into 0 bytes -> EINVAL"
    );
    check_eq!(
        readlinkat(dir, c"f", &mut buf),
        Err(Errno::EINVAL),
        "readlinkat of a file -> EINVAL"
    );
    check_eq!(
        readlinkat(fd, c"l", &mut buf),
        Err(Errno::ENOTDIR),
        "a file as the directory -> ENOTDIR"
    );
    check_eq!(
        symlinkat(c"", dir, c"empty"),
        Err(Errno::ENOENT),
        "symlinkat to an empty target -> ENOENT"
    );
    check_eq!(
        symlinkat(c"f", dir, c"l"),
        Err(Errno::EEXIST),
        "symlinkat onto an existing name -> EEXIST"
    );

    // linkat.
    check_eq!(linkat(dir, c"l", dir, c"l2", 0), Ok(0), "linkat l l2");
    check_eq!(
        fsops::lstat(c"tmp-p2-at/l2").expect("lstat").file_type(),
        S_IFLNK,
        "without AT_SYMLINK_FOLLOW the link itself is linked"
    );
    check_eq!(
        linkat(dir, c"l", AT_FDCWD, c"tmp-p2-at/f2", FOLLOW),
        Ok(0),
        "linkat l f2 AT_SYMLINK_FOLLOW"
    );
    check_eq!(
        ino(c"tmp-p2-at/f2"),
        ino(c"tmp-p2-at/f"),
        "with it, the target is linked"
    );
    check_eq!(
        fsops::stat(c"tmp-p2-at/f").expect("stat").st_nlink,
        2,
        "f has 2 names"
    );
    check_eq!(
        linkat(fd, c"", dir, c"f3", AT_EMPTY_PATH),
        Ok(0),
        "linkat with AT_EMPTY_PATH links the open file"
    );
    check_eq!(ino(c"tmp-p2-at/f3"), ino(c"tmp-p2-at/f"), "f3 is f");
    check_eq!(
        linkat(dir, c"missing", dir, c"x", 0x2),
        Err(Errno::EINVAL),
        "an unknown flag -> EINVAL, before the path"
    );
    check_eq!(
        linkat(dir, c"f", dir, c"x", AT_SYMLINK_NOFOLLOW),
        Err(Errno::EINVAL),
        "AT_SYMLINK_NOFOLLOW is no linkat flag -> EINVAL"
    );
    check_eq!(
        linkat(dir, c"missing", dir, c"x", 0),
        Err(Errno::ENOENT),
        "a missing source -> ENOENT"
    );
    check_eq!(
        linkat(dir, c"f", dir, c"f2", 0),
        Err(Errno::EEXIST),
        "an existing name -> EEXIST"
    );
    check_eq!(
        linkat(AT_FDCWD, c"tmp-p2-at", dir, c"d", 0),
        Err(Errno::EPERM),
        "a directory -> EPERM"
    );
    check_eq!(
        linkat(dir, c"", dir, c"x", 0),
        Err(Errno::ENOENT),
        "an empty path without AT_EMPTY_PATH -> ENOENT"
    );

    // fchmodat.
    check_eq!(fchmodat(dir, c"f", 0o600, 0), Ok(0), "fchmodat f 0600");
    check_eq!(perm(c"tmp-p2-at/f"), 0o600, "f is 0600");
    check_eq!(
        fchmodat(dir, c"l", 0o640, AT_SYMLINK_NOFOLLOW),
        Ok(0),
        "fchmodat through the symlink, AT_SYMLINK_NOFOLLOW in the 4th register"
    );
    check_eq!(
        perm(c"tmp-p2-at/f"),
        0o640,
        "the 4th register is ignored: the target changed"
    );
    check!(
        fsops::lstat(c"tmp-p2-at/l").expect("lstat").permissions() == 0o777,
        "the link is still 0777"
    );
    check_eq!(
        fchmodat(dir, c"missing", 0o600, 0),
        Err(Errno::ENOENT),
        "fchmodat of a missing file -> ENOENT"
    );
    check_eq!(
        fchmodat(fd, c"f", 0o600, 0),
        Err(Errno::ENOTDIR),
        "a file as the directory -> ENOTDIR"
    );

    let _ = fs::close(fd);
    let _ = fs::close(dir);
    for name in [c"f", c"f2", c"f3", c"l", c"l2"] {
        let mut path = [0u8; 32];
        let prefix = b"tmp-p2-at/";
        path[..prefix.len()].copy_from_slice(prefix);
        let bytes = name.to_bytes_with_nul();
        path[prefix.len()..prefix.len() + bytes.len()].copy_from_slice(bytes);
        let path = CStr::from_bytes_until_nul(&path).expect("a path");
        check_eq!(
            fsops::unlink(path),
            Ok(()),
            "clean up {}",
            name.to_str().unwrap_or("?")
        );
    }
    check_eq!(fsops::rmdir(c"tmp-p2-at"), Ok(()), "clean up the directory");
    vrt::check::all_passed();
    0
}
