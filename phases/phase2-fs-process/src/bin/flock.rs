//! `flock`: locks belong to open file descriptions. A second open of the
//! file conflicts (`LOCK_NB`: EWOULDBLOCK), a `dup` or a forked child
//! shares the lock; shared locks share, conversions work (a refused
//! upgrade gives up the shared lock, as on Linux); a lock goes with the
//! last descriptor of its description; the two ends of a pipe are one
//! file. Across processes: a child holds `LOCK_EX`, the parent's `LOCK_NB`
//! request fails and its blocking `LOCK_SH` returns once the child has
//! unlocked; a blocking request is granted when a holder exits without
//! unlocking. Errors: a bad operation is EINVAL (checked before the
//! descriptor), a bad descriptor EBADF; the obsolete `LOCK_MAND` bit makes
//! the call do nothing.

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::children::{Ended, reap, spawn};
use vrt::errno::Errno;
use vrt::fs::{self, O_CREAT, O_RDONLY, O_RDWR};
use vrt::pipes::{O_NONBLOCK, pipe2};
use vrt::syscall::{syscall1, syscall2};
use vrt::uapi::fcntl::{LOCK_EX, LOCK_MAND, LOCK_NB, LOCK_SH, LOCK_UN};
use vrt::uapi::time::Timespec;
use vrt::{check_eq, fsops, io};

vrt::entry!(main);

const F: &CStr = c"tmp-p2-flock";

fn flock(fd: i32, op: i32) -> Result<usize, Errno> {
    // SAFETY: flock touches no memory.
    Errno::from_ret(unsafe { syscall2(vrt::nr::FLOCK, fd as usize, op as usize) })
}

fn dup(fd: i32) -> i32 {
    // SAFETY: dup touches no memory.
    let r = unsafe { syscall1(vrt::nr::DUP, fd as usize) };
    Errno::from_ret(r).expect("dup") as i32
}

fn open() -> i32 {
    fs::open(F, O_RDWR | O_CREAT, 0o644).expect("open the file")
}

fn sleep_ms(ms: i64) {
    let req = Timespec {
        tv_sec: 0,
        tv_nsec: ms * 1_000_000,
    };
    // SAFETY: the kernel reads `req`; `rem` is NULL.
    let r = unsafe { syscall2(vrt::nr::NANOSLEEP, &req as *const Timespec as usize, 0) };
    Errno::from_ret(r).expect("nanosleep");
}

/// Waits for one byte on `fd` (a pipe).
fn wait_byte(fd: i32) {
    let mut b = [0u8; 1];
    check_eq!(
        io::read(fd, &mut b),
        Ok(1),
        "the child says it holds the lock"
    );
}

const WOULD_BLOCK: Result<usize, Errno> = Err(Errno::EWOULDBLOCK);

fn main(_args: &vrt::Args) -> i32 {
    let a = open();
    let b = open();

    // Two descriptions of one file.
    check_eq!(flock(a, LOCK_EX), Ok(0), "a: LOCK_EX");
    check_eq!(
        flock(b, LOCK_EX | LOCK_NB),
        WOULD_BLOCK,
        "b (another open): LOCK_EX|LOCK_NB -> EWOULDBLOCK"
    );
    check_eq!(
        flock(b, LOCK_SH | LOCK_NB),
        WOULD_BLOCK,
        "b: LOCK_SH|LOCK_NB -> EWOULDBLOCK"
    );
    let a2 = dup(a);
    check_eq!(
        flock(a2, LOCK_EX | LOCK_NB),
        Ok(0),
        "a dup of a shares its lock: LOCK_EX|LOCK_NB works"
    );
    check_eq!(flock(a2, LOCK_UN), Ok(0), "LOCK_UN through the dup");
    check_eq!(
        flock(b, LOCK_EX | LOCK_NB),
        Ok(0),
        "the description's lock is gone: b gets LOCK_EX"
    );
    check_eq!(flock(b, LOCK_UN), Ok(0), "b: LOCK_UN");
    check_eq!(flock(b, LOCK_UN), Ok(0), "LOCK_UN without a lock");

    // Shared locks and conversions.
    check_eq!(flock(a, LOCK_SH), Ok(0), "a: LOCK_SH");
    check_eq!(flock(b, LOCK_SH | LOCK_NB), Ok(0), "b: LOCK_SH too");
    check_eq!(
        flock(b, LOCK_EX | LOCK_NB),
        WOULD_BLOCK,
        "b: upgrade while a shares -> EWOULDBLOCK"
    );
    check_eq!(
        flock(a, LOCK_EX | LOCK_NB),
        Ok(0),
        "the refused upgrade gave up b's shared lock: a upgrades"
    );
    check_eq!(flock(a, LOCK_SH), Ok(0), "a: downgrade to LOCK_SH");
    check_eq!(
        flock(b, LOCK_SH | LOCK_NB),
        Ok(0),
        "b: LOCK_SH beside the downgraded lock"
    );
    check_eq!(flock(a, LOCK_UN), Ok(0), "a: LOCK_UN");
    check_eq!(flock(b, LOCK_UN), Ok(0), "b: LOCK_UN");

    // The last close releases.
    check_eq!(flock(a, LOCK_EX), Ok(0), "a: LOCK_EX");
    let _ = fs::close(a);
    check_eq!(
        flock(b, LOCK_EX | LOCK_NB),
        WOULD_BLOCK,
        "closing a leaves the lock to its dup"
    );
    let _ = fs::close(a2);
    check_eq!(
        flock(b, LOCK_EX | LOCK_NB),
        Ok(0),
        "closing the last descriptor releases it"
    );
    check_eq!(flock(b, LOCK_UN), Ok(0), "b: LOCK_UN");

    // A forked child shares the description.
    let a = open();
    check_eq!(flock(a, LOCK_EX), Ok(0), "a: LOCK_EX before fork");
    let child = spawn(|| match flock(a, LOCK_EX | LOCK_NB) {
        Ok(_) => 0,
        Err(_) => 1,
    });
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "the child's LOCK_EX|LOCK_NB on the inherited descriptor works"
    );
    check_eq!(
        flock(b, LOCK_EX | LOCK_NB),
        WOULD_BLOCK,
        "the child's exit leaves the parent's lock"
    );
    let child = spawn(|| flock(a, LOCK_UN).map_or(1, |_| 0));
    check_eq!(reap(child), Ended::Exited(0), "the child unlocks it");
    check_eq!(
        flock(b, LOCK_EX | LOCK_NB),
        Ok(0),
        "the child's LOCK_UN released the shared description's lock"
    );
    check_eq!(flock(b, LOCK_UN), Ok(0), "b: LOCK_UN");

    // Contention: the child holds LOCK_EX on its own open of the file.
    let (locked_r, locked_w) = pipe2(0).expect("pipe2");
    let (unlock_r, unlock_w) = pipe2(O_NONBLOCK).expect("pipe2");
    let child = spawn(|| {
        let own = open();
        if flock(own, LOCK_EX).is_err() {
            return 1;
        }
        let _ = io::write(locked_w, b"l");
        sleep_ms(100);
        let _ = io::write(unlock_w, b"u");
        flock(own, LOCK_UN).map_or(2, |_| 0)
    });
    wait_byte(locked_r);
    check_eq!(
        flock(b, LOCK_SH | LOCK_NB),
        WOULD_BLOCK,
        "while the child holds LOCK_EX: LOCK_SH|LOCK_NB -> EWOULDBLOCK"
    );
    check_eq!(flock(b, LOCK_SH), Ok(0), "a blocking LOCK_SH returns");
    let mut u = [0u8; 1];
    check_eq!(
        io::read(unlock_r, &mut u),
        Ok(1),
        "it returned after the child unlocked"
    );
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "the child unlocked and ended"
    );
    check_eq!(flock(b, LOCK_UN), Ok(0), "b: LOCK_UN");

    // A holder that exits without unlocking.
    let child = spawn(|| {
        let own = open();
        if flock(own, LOCK_EX).is_err() {
            return 1;
        }
        let _ = io::write(locked_w, b"l");
        sleep_ms(100);
        0
    });
    wait_byte(locked_r);
    check_eq!(
        flock(b, LOCK_EX),
        Ok(0),
        "a blocking LOCK_EX is granted once the holder exits"
    );
    check_eq!(reap(child), Ended::Exited(0), "the holder exited");
    check_eq!(flock(b, LOCK_UN), Ok(0), "b: LOCK_UN");

    // The ends of a pipe are one file.
    check_eq!(
        flock(locked_w, LOCK_EX),
        Ok(0),
        "a pipe's write end: LOCK_EX"
    );
    check_eq!(
        flock(locked_r, LOCK_SH | LOCK_NB),
        WOULD_BLOCK,
        "its read end: LOCK_SH|LOCK_NB -> EWOULDBLOCK"
    );

    // Errors.
    check_eq!(flock(b, 0), Err(Errno::EINVAL), "operation 0 -> EINVAL");
    check_eq!(
        flock(b, LOCK_SH | LOCK_EX),
        Err(Errno::EINVAL),
        "LOCK_SH|LOCK_EX -> EINVAL"
    );
    check_eq!(
        flock(b, LOCK_NB),
        Err(Errno::EINVAL),
        "LOCK_NB alone -> EINVAL"
    );
    check_eq!(
        flock(999, LOCK_SH),
        Err(Errno::EBADF),
        "a bad descriptor -> EBADF"
    );
    check_eq!(
        flock(999, 0),
        Err(Errno::EINVAL),
        "a bad operation is checked first: EINVAL"
    );
    check_eq!(
        flock(999, LOCK_MAND | LOCK_EX),
        Ok(0),
        "LOCK_MAND: the call does nothing"
    );
    let r = fs::open(F, O_RDONLY, 0).expect("open read-only");
    check_eq!(
        flock(r, LOCK_EX | LOCK_NB),
        Ok(0),
        "a read-only descriptor can hold LOCK_EX"
    );
    let _ = fs::close(r);

    let _ = fs::close(a);
    let _ = fs::close(b);
    check_eq!(fsops::unlink(F), Ok(()), "clean up");
    vrt::check::all_passed();
    0
}
