//! `utimensat`: set times exactly (before 1970 too), `UTIME_OMIT` leaves a
//! time, `UTIME_NOW` and a NULL `times` set now, ctime becomes now
//! whenever something is set and two `UTIME_OMIT`s do nothing at all (not
//! even look at the path); `futimens` (a NULL path with a descriptor),
//! `AT_EMPTY_PATH`, a directory descriptor, `AT_SYMLINK_NOFOLLOW` (the
//! link's own times) against following; and the errors in Linux's order:
//! unknown flags and flags with a NULL path are EINVAL, a NULL path with
//! `AT_FDCWD` EFAULT, a bad descriptor EBADF, a missing file ENOENT before
//! a bad `tv_nsec`, which is EINVAL and changes nothing. Prints only
//! comparisons, never the current time.

#![no_std]
#![no_main]

use core::ffi::CStr;
use core::ptr;

use vrt::errno::Errno;
use vrt::fs::{self, AT_FDCWD, O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY};
use vrt::fsops::{AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW};
use vrt::stat::{Stat, UTIME_NOW, UTIME_OMIT};
use vrt::syscall::{syscall2, syscall4};
use vrt::uapi::time::{CLOCK_REALTIME, Timespec};
use vrt::{check, check_eq, fsops};

vrt::entry!(main);

const F: &CStr = c"tmp-p2-utimensat-f";
const LINK: &CStr = c"tmp-p2-utimensat-l";

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

fn ts(sec: i64, nsec: i64) -> Timespec {
    Timespec {
        tv_sec: sec,
        tv_nsec: nsec,
    }
}

fn utimensat(
    dirfd: i32,
    path: Option<&CStr>,
    times: Option<&[Timespec; 2]>,
    flags: u32,
) -> Result<usize, Errno> {
    let path = path.map_or(ptr::null(), CStr::as_ptr);
    let times = times.map_or(ptr::null(), |t| t.as_ptr());
    // SAFETY: the kernel reads a NUL-terminated path (or none) and two
    // timespecs (or none).
    Errno::from_ret(unsafe {
        syscall4(
            vrt::nr::UTIMENSAT,
            dirfd as usize,
            path as usize,
            times as usize,
            flags as usize,
        )
    })
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

/// Whether `t` is the realtime clock's time between `before` (Linux's
/// file clock may lag it up to a tick: a second is plenty) and now.
fn is_now(t: Time, before: Time) -> bool {
    t >= (before.0 - 1, before.1) && t <= realtime()
}

/// Waits 30 ms, so that the next time stamped is a later one.
fn pause() {
    let req = ts(0, 30_000_000);
    // SAFETY: the kernel reads `req`; `rem` is NULL.
    let r = unsafe { syscall2(vrt::nr::NANOSLEEP, &req as *const Timespec as usize, 0) };
    Errno::from_ret(r).expect("nanosleep");
}

fn main(_args: &vrt::Args) -> i32 {
    let fd = fs::open(F, O_CREAT | O_WRONLY, 0o644).expect("create the file");
    let _ = fsops::symlink(F, LINK);

    // Exact times, before the epoch too.
    let before = realtime();
    check_eq!(
        utimensat(AT_FDCWD, Some(F), Some(&[ts(1000, 5), ts(-5, 7)]), 0),
        Ok(0),
        "set atime 1000.000000005 and mtime -5 + 7 ns"
    );
    let st = stat(F);
    check_eq!(atime(&st), (1000, 5), "atime is exactly what was set");
    check_eq!(mtime(&st), (-5, 7), "mtime is exactly what was set");
    check!(is_now(ctime(&st), before), "ctime became now");

    // UTIME_OMIT and UTIME_NOW.
    check_eq!(
        utimensat(
            AT_FDCWD,
            Some(F),
            Some(&[ts(9, UTIME_OMIT), ts(3000, 0)]),
            0
        ),
        Ok(0),
        "UTIME_OMIT for atime, mtime 3000"
    );
    let st = stat(F);
    check_eq!(
        (atime(&st), mtime(&st)),
        ((1000, 5), (3000, 0)),
        "atime kept, mtime set"
    );
    let before = realtime();
    check_eq!(
        utimensat(
            AT_FDCWD,
            Some(F),
            Some(&[ts(9, UTIME_NOW), ts(9, UTIME_OMIT)]),
            0
        ),
        Ok(0),
        "UTIME_NOW for atime, UTIME_OMIT for mtime"
    );
    let st = stat(F);
    check!(is_now(atime(&st), before), "atime became now");
    check_eq!(mtime(&st), (3000, 0), "mtime kept");

    // Two UTIME_OMITs: nothing at all.
    pause();
    let omit = [ts(0, UTIME_OMIT), ts(0, UTIME_OMIT)];
    check_eq!(
        utimensat(AT_FDCWD, Some(F), Some(&omit), 0),
        Ok(0),
        "two UTIME_OMITs"
    );
    check_eq!(
        ctime(&stat(F)),
        ctime(&st),
        "two UTIME_OMITs leave even ctime"
    );
    check_eq!(
        utimensat(AT_FDCWD, Some(c"tmp-p2-missing"), Some(&omit), 0x8000),
        Ok(0),
        "two UTIME_OMITs look at neither the path nor the flags"
    );

    // A NULL `times`: now, all three the same.
    pause();
    let before = realtime();
    check_eq!(utimensat(AT_FDCWD, Some(F), None, 0), Ok(0), "NULL times");
    let st = stat(F);
    check!(is_now(mtime(&st), before), "NULL times: mtime became now");
    check!(
        atime(&st) == mtime(&st) && mtime(&st) == ctime(&st),
        "NULL times: atime, mtime and ctime are one time"
    );

    // futimens, AT_EMPTY_PATH and a directory descriptor.
    check_eq!(
        utimensat(fd, None, Some(&[ts(11, 0), ts(12, 0)]), 0),
        Ok(0),
        "a NULL path with a descriptor: the open file (futimens)"
    );
    let st = stat(F);
    check_eq!(
        (atime(&st), mtime(&st)),
        ((11, 0), (12, 0)),
        "its times set"
    );
    check_eq!(
        utimensat(fd, Some(c""), Some(&[ts(13, 0), ts(14, 0)]), AT_EMPTY_PATH),
        Ok(0),
        "AT_EMPTY_PATH with an empty path: the open file"
    );
    check_eq!(mtime(&stat(F)), (14, 0), "its times set");
    let dir = fs::open(c".", O_RDONLY | O_DIRECTORY, 0).expect("open .");
    check_eq!(
        utimensat(dir, Some(F), Some(&[ts(15, 0), ts(16, 0)]), 0),
        Ok(0),
        "a path relative to a directory descriptor"
    );
    check_eq!(mtime(&stat(F)), (16, 0), "its times set");
    let _ = fs::close(dir);

    // Symlinks.
    check_eq!(
        utimensat(
            AT_FDCWD,
            Some(LINK),
            Some(&[ts(21, 0), ts(22, 0)]),
            AT_SYMLINK_NOFOLLOW
        ),
        Ok(0),
        "AT_SYMLINK_NOFOLLOW on a symlink"
    );
    let l = fsops::lstat(LINK).expect("lstat");
    check_eq!(mtime(&l), (22, 0), "the link's own mtime is set");
    check_eq!(mtime(&stat(F)), (16, 0), "the target's is not");
    check_eq!(
        utimensat(AT_FDCWD, Some(LINK), Some(&[ts(31, 0), ts(32, 0)]), 0),
        Ok(0),
        "a symlink without AT_SYMLINK_NOFOLLOW"
    );
    check_eq!(mtime(&stat(F)), (32, 0), "the target's mtime is set");
    check_eq!(
        mtime(&fsops::lstat(LINK).expect("lstat")),
        (22, 0),
        "the link's is not"
    );

    // The errors, in Linux's order.
    pause();
    let st = stat(F);
    let good = [ts(41, 0), ts(42, 0)];
    check_eq!(
        utimensat(AT_FDCWD, Some(F), Some(&good), 0x8000),
        Err(Errno::EINVAL),
        "an unknown flag -> EINVAL"
    );
    check_eq!(
        utimensat(fd, None, Some(&good), AT_SYMLINK_NOFOLLOW),
        Err(Errno::EINVAL),
        "flags with a NULL path -> EINVAL"
    );
    check_eq!(
        utimensat(AT_FDCWD, None, Some(&good), 0),
        Err(Errno::EFAULT),
        "a NULL path with AT_FDCWD -> EFAULT"
    );
    check_eq!(
        utimensat(999, None, Some(&good), 0),
        Err(Errno::EBADF),
        "a bad descriptor -> EBADF"
    );
    check_eq!(
        utimensat(AT_FDCWD, Some(c""), Some(&good), 0),
        Err(Errno::ENOENT),
        "an empty path without AT_EMPTY_PATH -> ENOENT"
    );
    for bad in [1_000_000_000, -1, UTIME_NOW + 1] {
        check_eq!(
            utimensat(AT_FDCWD, Some(F), Some(&[ts(1, 0), ts(2, bad)]), 0),
            Err(Errno::EINVAL),
            "tv_nsec {bad} -> EINVAL"
        );
        check_eq!(
            utimensat(fd, None, Some(&[ts(1, bad), ts(2, 0)]), 0),
            Err(Errno::EINVAL),
            "tv_nsec {bad} through a descriptor -> EINVAL"
        );
    }
    check_eq!(
        utimensat(
            AT_FDCWD,
            Some(c"tmp-p2-missing"),
            Some(&[ts(1, 0), ts(2, -1)]),
            0
        ),
        Err(Errno::ENOENT),
        "a missing file with a bad tv_nsec -> ENOENT (the path first)"
    );
    let after = stat(F);
    check_eq!(
        (atime(&after), mtime(&after), ctime(&after)),
        (atime(&st), mtime(&st), ctime(&st)),
        "the failed calls changed nothing"
    );

    let _ = fs::close(fd);
    check_eq!(fsops::unlink(LINK), Ok(()), "clean up the link");
    check_eq!(fsops::unlink(F), Ok(()), "clean up the file");
    vrt::check::all_passed();
    0
}
