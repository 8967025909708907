//! File timestamps: a new file's three times are equal and come from the
//! realtime clock; writing moves mtime and ctime, an empty write nothing;
//! reads move atime as `relatime` says (not again until the file changes);
//! chmod moves ctime only; truncates that change the size, and `O_TRUNC`,
//! move mtime; adding and removing names moves the directory's mtime and
//! ctime and the node's ctime; rename moves both directories; listing a
//! directory and reading a link are reads. `fstat` reports what `stat`
//! does. Prints only comparisons, never times.
//!
//! Linux stamps with a clock that may advance only once a timer tick, so
//! the program pauses 30 ms before each step whose times must differ.

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::errno::Errno;
use vrt::fs::{self, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY};
use vrt::stat::Stat;
use vrt::syscall::syscall2;
use vrt::uapi::time::{CLOCK_REALTIME, Timespec};
use vrt::{check, check_eq, dirent, fsops, io};

vrt::entry!(main);

const DIR: &CStr = c"tmp-p2-times";
const DIR2: &CStr = c"tmp-p2-times2";
const F: &CStr = c"tmp-p2-times/f";

/// A time as (seconds, nanoseconds): ordered like the time.
type Time = (i64, i64);

fn atime(st: &Stat) -> Time {
    (st.st_atime, st.st_atime_nsec)
}

fn mtime(st: &Stat) -> Time {
    (st.st_mtime, st.st_mtime_nsec)
}

fn ctime(st: &Stat) -> Time {
    (st.st_ctime, st.st_ctime_nsec)
}

fn stat(path: &CStr) -> Stat {
    fsops::stat(path).expect("stat")
}

fn lstat(path: &CStr) -> Stat {
    fsops::lstat(path).expect("lstat")
}

fn realtime() -> Time {
    let mut t = Timespec::default();
    // SAFETY: the kernel writes one timespec into `t`.
    let r = unsafe {
        syscall2(
            vrt::nr::CLOCK_GETTIME,
            CLOCK_REALTIME as usize,
            &mut t as *mut Timespec as usize,
        )
    };
    Errno::from_ret(r).expect("clock_gettime");
    (t.tv_sec, t.tv_nsec)
}

/// Waits 30 ms, so that the next time stamped is a later one.
fn pause() {
    let req = Timespec {
        tv_sec: 0,
        tv_nsec: 30_000_000,
    };
    // SAFETY: the kernel reads `req`; `rem` is NULL.
    let r = unsafe { syscall2(vrt::nr::NANOSLEEP, &req as *const Timespec as usize, 0) };
    Errno::from_ret(r).expect("nanosleep");
}

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

/// Reads a few bytes of `path`.
fn read(path: &CStr) {
    let fd = fs::open(path, O_RDONLY, 0).expect("open to read");
    let mut buf = [0u8; 4];
    io::read(fd, &mut buf).expect("read");
    let _ = fs::close(fd);
}

fn main(_args: &vrt::Args) -> i32 {
    let _ = fsops::mkdir(DIR, 0o755);
    let _ = fsops::mkdir(DIR2, 0o755);

    // A new file.
    pause();
    let dir_before = stat(DIR);
    let before = realtime();
    let fd = fs::open(F, O_CREAT | O_RDWR, 0o644).expect("create f");
    let after = realtime();
    let st = stat(F);
    check!(
        atime(&st) == mtime(&st) && mtime(&st) == ctime(&st),
        "a new file's atime, mtime and ctime are equal"
    );
    // Linux stamps with a clock that may lag up to a tick behind.
    check!(
        mtime(&st) >= (before.0 - 1, before.1) && mtime(&st) <= after,
        "they are the realtime clock's time of the call"
    );
    check!(
        (0..1_000_000_000).contains(&st.st_mtime_nsec),
        "st_mtime_nsec is a nanosecond count"
    );
    let dir = stat(DIR);
    check!(
        mtime(&dir) > mtime(&dir_before) && ctime(&dir) > ctime(&dir_before),
        "creating moves the directory's mtime and ctime"
    );
    let fst = fs::fstat(fd).expect("fstat");
    check_eq!(
        (atime(&fst), mtime(&fst), ctime(&fst)),
        (atime(&st), mtime(&st), ctime(&st)),
        "fstat reports the same times as stat"
    );

    // Writes.
    pause();
    check_eq!(io::write(fd, b"hello"), Ok(5), "write 5 bytes");
    let w = stat(F);
    check!(mtime(&w) > mtime(&st), "a write moves mtime");
    check!(ctime(&w) > ctime(&st), "a write moves ctime");
    check_eq!(atime(&w), atime(&st), "a write leaves atime");
    pause();
    check_eq!(io::write(fd, b""), Ok(0), "write 0 bytes");
    let z = stat(F);
    check_eq!(
        (mtime(&z), ctime(&z)),
        (mtime(&w), ctime(&w)),
        "an empty write changes no time"
    );

    // Reads, under relatime.
    pause();
    read(F);
    let r1 = stat(F);
    check!(atime(&r1) > atime(&w), "a read after a write moves atime");
    check_eq!(
        (mtime(&r1), ctime(&r1)),
        (mtime(&w), ctime(&w)),
        "a read leaves mtime and ctime"
    );
    pause();
    read(F);
    check_eq!(
        atime(&stat(F)),
        atime(&r1),
        "a second read does not move atime (relatime)"
    );

    // chmod.
    pause();
    check_eq!(fsops::chmod(F, 0o600), Ok(()), "chmod");
    let c = stat(F);
    check!(ctime(&c) > ctime(&r1), "chmod moves ctime");
    check_eq!(
        (atime(&c), mtime(&c)),
        (atime(&r1), mtime(&r1)),
        "chmod leaves atime and mtime"
    );
    pause();
    read(F);
    check!(
        atime(&stat(F)) > atime(&c),
        "a read after a change moves atime again"
    );

    // Truncates that change the size.
    pause();
    let t0 = stat(F);
    check_eq!(fsops::ftruncate(fd, 2), Ok(()), "ftruncate to 2 bytes");
    let t1 = stat(F);
    check!(
        mtime(&t1) > mtime(&t0) && ctime(&t1) > ctime(&t0),
        "ftruncate moves mtime and ctime"
    );
    pause();
    check_eq!(fsops::truncate(F, 8), Ok(()), "truncate to 8 bytes");
    let t2 = stat(F);
    check!(
        mtime(&t2) > mtime(&t1) && ctime(&t2) > ctime(&t1),
        "truncate moves mtime and ctime"
    );
    pause();
    let fd2 = fs::open(F, O_WRONLY | O_TRUNC, 0).expect("open O_TRUNC");
    let _ = fs::close(fd2);
    let t3 = stat(F);
    check_eq!(t3.st_size, 0, "O_TRUNC empties the file");
    check!(
        mtime(&t3) > mtime(&t2) && ctime(&t3) > ctime(&t2),
        "O_TRUNC of a non-empty file moves mtime and ctime"
    );
    let _ = fs::close(fd);

    // Names.
    pause();
    let d0 = stat(DIR);
    check_eq!(fsops::link(F, c"tmp-p2-times/h"), Ok(()), "link f to h");
    let (d1, f1) = (stat(DIR), stat(F));
    check!(
        mtime(&d1) > mtime(&d0) && ctime(&d1) > ctime(&d0),
        "link moves the directory's mtime and ctime"
    );
    check!(ctime(&f1) > ctime(&t3), "link moves the file's ctime");
    check_eq!(mtime(&f1), mtime(&t3), "link leaves the file's mtime");
    pause();
    check_eq!(fsops::unlink(c"tmp-p2-times/h"), Ok(()), "unlink h");
    let (d2, f2) = (stat(DIR), stat(F));
    check!(
        mtime(&d2) > mtime(&d1) && ctime(&d2) > ctime(&d1),
        "unlink moves the directory's mtime and ctime"
    );
    check!(
        ctime(&f2) > ctime(&f1),
        "unlink moves the ctime of the file it named"
    );
    pause();
    check_eq!(
        fsops::mkdir(c"tmp-p2-times/sub", 0o755),
        Ok(()),
        "mkdir sub"
    );
    let d3 = stat(DIR);
    check!(mtime(&d3) > mtime(&d2), "mkdir moves the directory's mtime");
    pause();
    check_eq!(fsops::rmdir(c"tmp-p2-times/sub"), Ok(()), "rmdir sub");
    let d4 = stat(DIR);
    check!(mtime(&d4) > mtime(&d3), "rmdir moves the directory's mtime");
    pause();
    check_eq!(
        fsops::symlink(c"f", c"tmp-p2-times/s"),
        Ok(()),
        "symlink s -> f"
    );
    let d5 = stat(DIR);
    check!(
        mtime(&d5) > mtime(&d4),
        "symlink moves the directory's mtime"
    );
    let s = lstat(c"tmp-p2-times/s");
    check!(
        atime(&s) == mtime(&s) && mtime(&s) == ctime(&s),
        "a new symlink's three times are equal"
    );

    // Reads of a directory and of a link.
    pause();
    let dfd = fs::open(DIR, O_RDONLY | O_DIRECTORY, 0).expect("open the directory");
    let mut buf = [0u8; 1024];
    check!(
        dirent::getdents64(dfd, &mut buf).is_ok_and(|n| n > 0),
        "list the directory"
    );
    let _ = fs::close(dfd);
    check!(
        atime(&stat(DIR)) > atime(&d5),
        "listing a directory moves its atime"
    );
    pause();
    let mut target = [0u8; 16];
    check_eq!(
        fsops::readlink(c"tmp-p2-times/s", &mut target),
        Ok(1),
        "readlink s"
    );
    check!(
        atime(&lstat(c"tmp-p2-times/s")) > atime(&s),
        "readlink moves the link's atime"
    );

    // rename.
    pause();
    let (a0, b0, f0) = (stat(DIR), stat(DIR2), stat(F));
    check_eq!(
        rename(F, c"tmp-p2-times2/f"),
        Ok(0),
        "rename f into the other directory"
    );
    let (a1, b1, moved) = (stat(DIR), stat(DIR2), stat(c"tmp-p2-times2/f"));
    check!(
        mtime(&a1) > mtime(&a0) && ctime(&a1) > ctime(&a0),
        "rename moves the old directory's mtime and ctime"
    );
    check!(
        mtime(&b1) > mtime(&b0) && ctime(&b1) > ctime(&b0),
        "rename moves the new directory's mtime and ctime"
    );
    check!(ctime(&moved) > ctime(&f0), "rename moves the file's ctime");
    check_eq!(mtime(&moved), mtime(&f0), "rename leaves the file's mtime");

    check_eq!(fsops::unlink(c"tmp-p2-times2/f"), Ok(()), "clean up f");
    check_eq!(fsops::unlink(c"tmp-p2-times/s"), Ok(()), "clean up s");
    check_eq!(fsops::rmdir(DIR), Ok(()), "clean up the directory");
    check_eq!(fsops::rmdir(DIR2), Ok(()), "clean up the other directory");
    vrt::check::all_passed();
    0
}
