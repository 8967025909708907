//! `rename`, `renameat`, `renameat2`: a file moves (and replaces what had
//! its new name), a directory moves with its contents; the errors Linux
//! gives (a missing source, a directory into itself, a file onto a
//! directory, a directory onto a non-empty one); `RENAME_NOREPLACE`
//! refuses to replace (EEXIST) and leaves both; unknown flags and
//! contradictory ones are EINVAL.

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::errno::Errno;
use vrt::fs::{self, AT_FDCWD, O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY};
use vrt::syscall::{syscall2, syscall4, syscall5};
use vrt::uapi::fcntl::{RENAME_EXCHANGE, RENAME_NOREPLACE};
use vrt::{check_eq, fsops, io};

vrt::entry!(main);

fn rename(old: &CStr, new: &CStr) -> Result<usize, Errno> {
    // SAFETY: the kernel reads two NUL-terminated paths.
    Errno::from_ret(unsafe {
        syscall2(
            vrt::nr::RENAME,
            old.as_ptr() as usize,
            new.as_ptr() as usize,
        )
    })
}

fn renameat(odir: i32, old: &CStr, ndir: i32, new: &CStr) -> Result<usize, Errno> {
    // SAFETY: as `rename`.
    Errno::from_ret(unsafe {
        syscall4(
            vrt::nr::RENAMEAT,
            odir as usize,
            old.as_ptr() as usize,
            ndir as usize,
            new.as_ptr() as usize,
        )
    })
}

fn renameat2(odir: i32, old: &CStr, ndir: i32, new: &CStr, flags: u32) -> Result<usize, Errno> {
    // SAFETY: as `rename`.
    Errno::from_ret(unsafe {
        syscall5(
            vrt::nr::RENAMEAT2,
            odir as usize,
            old.as_ptr() as usize,
            ndir as usize,
            new.as_ptr() as usize,
            flags as usize,
        )
    })
}

/// Creates `path` holding `text`.
fn make(path: &CStr, text: &[u8]) {
    let fd = fs::open(path, O_WRONLY | O_CREAT, 0o644).expect("create a file");
    let _ = io::write(fd, text);
    let _ = fs::close(fd);
}

/// What `path` holds (up to 16 bytes), or the error opening it.
fn contents(path: &CStr) -> Result<([u8; 16], usize), Errno> {
    let fd = fs::open(path, O_RDONLY, 0)?;
    let mut buf = [0u8; 16];
    let n = io::read(fd, &mut buf);
    let _ = fs::close(fd);
    Ok((buf, n?))
}

fn holds(path: &CStr, text: &[u8]) -> bool {
    matches!(contents(path), Ok((buf, n)) if &buf[..n] == text)
}

fn main(_args: &vrt::Args) -> i32 {
    let _ = fsops::mkdir(c"tmp-p2-rename", 0o755);
    let _ = fsops::mkdir(c"tmp-p2-rename/d", 0o755);
    make(c"tmp-p2-rename/a", b"first");
    make(c"tmp-p2-rename/b", b"second");

    check_eq!(
        rename(c"tmp-p2-rename/a", c"tmp-p2-rename/c"),
        Ok(0),
        "rename a to c"
    );
    check_eq!(
        contents(c"tmp-p2-rename/a").err(),
        Some(Errno::ENOENT),
        "a is gone"
    );
    check_eq!(
        holds(c"tmp-p2-rename/c", b"first"),
        true,
        "c holds a's bytes"
    );
    check_eq!(
        rename(c"tmp-p2-rename/c", c"tmp-p2-rename/b"),
        Ok(0),
        "rename c onto b"
    );
    check_eq!(
        holds(c"tmp-p2-rename/b", b"first"),
        true,
        "b was replaced by c"
    );
    check_eq!(
        rename(c"tmp-p2-rename/b", c"tmp-p2-rename/b"),
        Ok(0),
        "rename onto itself does nothing"
    );
    check_eq!(
        holds(c"tmp-p2-rename/b", b"first"),
        true,
        "b is still there"
    );
    check_eq!(
        rename(c"tmp-p2-rename/missing", c"tmp-p2-rename/x"),
        Err(Errno::ENOENT),
        "a missing source -> ENOENT"
    );

    // renameat: relative to directory descriptors.
    let dir = fs::open(c"tmp-p2-rename", O_RDONLY | O_DIRECTORY, 0).expect("open the directory");
    check_eq!(
        renameat(dir, c"b", AT_FDCWD, c"tmp-p2-rename/d/e"),
        Ok(0),
        "renameat from a dirfd into d"
    );
    check_eq!(
        holds(c"tmp-p2-rename/d/e", b"first"),
        true,
        "d/e holds the bytes"
    );
    check_eq!(
        renameat(dir, c"d", dir, c"d2"),
        Ok(0),
        "renameat moves a directory with its contents"
    );
    check_eq!(
        holds(c"tmp-p2-rename/d2/e", b"first"),
        true,
        "d2/e is there"
    );

    // The errors.
    check_eq!(
        rename(c"tmp-p2-rename/d2", c"tmp-p2-rename/d2/in"),
        Err(Errno::EINVAL),
        "a directory into itself -> EINVAL"
    );
    make(c"tmp-p2-rename/f", b"f");
    check_eq!(
        rename(c"tmp-p2-rename/f", c"tmp-p2-rename/d2"),
        Err(Errno::EISDIR),
        "a file onto a directory -> EISDIR"
    );
    check_eq!(
        rename(c"tmp-p2-rename/d2", c"tmp-p2-rename/f"),
        Err(Errno::ENOTDIR),
        "a directory onto a file -> ENOTDIR"
    );
    let _ = fsops::mkdir(c"tmp-p2-rename/g", 0o755);
    check_eq!(
        rename(c"tmp-p2-rename/g", c"tmp-p2-rename/d2"),
        Err(Errno::ENOTEMPTY),
        "onto a non-empty directory -> ENOTEMPTY"
    );
    check_eq!(
        rename(c"tmp-p2-rename/d2", c"tmp-p2-rename/g"),
        Ok(0),
        "onto an empty directory works"
    );
    check_eq!(holds(c"tmp-p2-rename/g/e", b"first"), true, "g/e is there");

    // renameat2's flags.
    check_eq!(
        renameat2(dir, c"f", dir, c"g/e", RENAME_NOREPLACE),
        Err(Errno::EEXIST),
        "RENAME_NOREPLACE onto an existing name -> EEXIST"
    );
    check_eq!(
        holds(c"tmp-p2-rename/f", b"f") && holds(c"tmp-p2-rename/g/e", b"first"),
        true,
        "both are unchanged"
    );
    check_eq!(
        renameat2(dir, c"missing", dir, c"g/e", RENAME_NOREPLACE),
        Err(Errno::ENOENT),
        "RENAME_NOREPLACE with a missing source -> ENOENT"
    );
    check_eq!(
        renameat2(dir, c"f", dir, c"h", RENAME_NOREPLACE),
        Ok(0),
        "RENAME_NOREPLACE onto a free name works"
    );
    check_eq!(
        renameat2(dir, c"h", dir, c"g/e", 0),
        Ok(0),
        "flags 0 replace, as rename"
    );
    check_eq!(holds(c"tmp-p2-rename/g/e", b"f"), true, "g/e was replaced");
    check_eq!(
        renameat2(dir, c"g/e", dir, c"k", RENAME_NOREPLACE | RENAME_EXCHANGE),
        Err(Errno::EINVAL),
        "RENAME_NOREPLACE | RENAME_EXCHANGE -> EINVAL"
    );
    check_eq!(
        renameat2(dir, c"g/e", dir, c"k", 1 << 8),
        Err(Errno::EINVAL),
        "an unknown flag -> EINVAL"
    );
    check_eq!(holds(c"tmp-p2-rename/g/e", b"f"), true, "nothing moved");
    let _ = fs::close(dir);

    check_eq!(fsops::unlink(c"tmp-p2-rename/g/e"), Ok(()), "clean up g/e");
    check_eq!(fsops::rmdir(c"tmp-p2-rename/g"), Ok(()), "clean up g");
    check_eq!(
        fsops::rmdir(c"tmp-p2-rename"),
        Ok(()),
        "clean up, nothing else left"
    );
    vrt::check::all_passed();
    0
}
