//! Threads: `clone` with std's flags makes threads that share memory and
//! descriptors, each with its own tid, its own stack, and exactly the TLS
//! pointer it was given (finding O-A3); `CLONE_PARENT_SETTID` stores the
//! tid, `CLONE_CHILD_CLEARTID` clears it and wakes the joiner;
//! `set_tid_address` returns the tid; `getpid` and `getppid` are the
//! process's in every thread; `tgkill` reaches one thread's handler;
//! `sched_yield` and `sched_getaffinity` answer. Prints counts and error
//! names only.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicI32, AtomicU32, AtomicUsize, Ordering};

use vrt::errno::Errno;
use vrt::process::{ARCH_GET_FS, arch_prctl};
use vrt::signal::{SIGUSR1, catch};
use vrt::syscall::{syscall1, syscall3};
use vrt::thread::{getpid, getppid, gettid, sched_yield, spawn, tgkill};
use vrt::{check, check_eq, fs, io, nr, pipes};

vrt::entry!(main);

static COUNTER: AtomicUsize = AtomicUsize::new(0);
static MAIN_PID: AtomicI32 = AtomicI32::new(0);
static SEEN: [AtomicI32; 8] = [const { AtomicI32::new(0) }; 8];

/// Adds 1000 to the shared counter, one yield in between.
extern "C" fn count(_: usize) -> i32 {
    for i in 0..1000 {
        COUNTER.fetch_add(1, Ordering::Relaxed);
        if i % 100 == 0 {
            sched_yield();
        }
    }
    0
}

/// Records its tid, and checks what it shares and what it does not.
extern "C" fn identify(slot: usize) -> i32 {
    let ok = identify_checks();
    SEEN[slot].store(if ok == 0 { gettid() } else { -ok }, Ordering::SeqCst);
    ok
}

fn identify_checks() -> i32 {
    let mut fs_base = 0u64;
    // SAFETY: the kernel writes one u64 into `fs_base`.
    let r = unsafe { arch_prctl(ARCH_GET_FS, (&raw mut fs_base) as usize) };
    // The TLS pointer is the TCB `spawn` passed, whose first word points to
    // itself: not a copy of the main thread's.
    // SAFETY: the TCB is this thread's own, mapped by `spawn`.
    let self_ptr = unsafe { *(fs_base as *const u64) };
    if r.is_err() || self_ptr != fs_base || getpid() != MAIN_PID.load(Ordering::SeqCst) {
        return 9;
    }
    // The stack is this thread's own: far from the main thread's.
    let local = 0u8;
    let here = &raw const local as u64;
    if here.abs_diff(fs_base) > 128 * 1024 {
        return 8;
    }
    0
}

/// Writes to the descriptor number it was given (the table is shared).
extern "C" fn write_fd(fd: usize) -> i32 {
    match io::write(fd as i32, b"from a thread") {
        Ok(13) => 0,
        _ => 1,
    }
}

/// Makes a pipe; the main thread uses the descriptors it gets.
static OPENED: [AtomicI32; 2] = [AtomicI32::new(-1), AtomicI32::new(-1)];
extern "C" fn open_pipe(_: usize) -> i32 {
    match pipes::pipe2(0) {
        Ok((r, w)) => {
            OPENED[0].store(r, Ordering::SeqCst);
            OPENED[1].store(w, Ordering::SeqCst);
            0
        }
        Err(_) => 1,
    }
}

static USR1_HITS: AtomicU32 = AtomicU32::new(0);
static USR1_TID: AtomicI32 = AtomicI32::new(0);
extern "C" fn on_usr1(_: i32) {
    USR1_HITS.fetch_add(1, Ordering::SeqCst);
    USR1_TID.store(gettid(), Ordering::SeqCst);
}

/// Waits for SIGUSR1 (sent to this thread alone) by spinning.
static READY: AtomicU32 = AtomicU32::new(0);
extern "C" fn wait_usr1(_: usize) -> i32 {
    READY.store(1, Ordering::SeqCst);
    while USR1_HITS.load(Ordering::SeqCst) == 0 {
        sched_yield();
    }
    0
}

fn main(_args: &vrt::Args) -> i32 {
    MAIN_PID.store(getpid(), Ordering::SeqCst);
    check_eq!(gettid(), getpid(), "the main thread's tid is the pid");
    // SAFETY: set_tid_address only records the address.
    let tid = unsafe { syscall1(nr::SET_TID_ADDRESS, 0) } as i32;
    check_eq!(tid, getpid(), "set_tid_address returns the tid");

    let threads = [0; 4].map(|_| spawn(count, 0).expect("spawn"));
    for t in threads {
        t.join();
    }
    check_eq!(
        COUNTER.load(Ordering::Relaxed),
        4000,
        "4 threads add 1000 each to shared memory"
    );

    let ts = [0, 1, 2].map(|i| spawn(identify, i).expect("spawn"));
    let tids = ts.each_ref().map(|t| t.tid());
    for t in ts {
        t.join();
    }
    let seen = [0, 1, 2].map(|i| SEEN[i].load(Ordering::SeqCst));
    check_eq!(seen, tids, "each thread's gettid is the tid clone returned");
    check!(
        tids.iter().all(|&t| t != getpid()) && tids[0] != tids[1] && tids[1] != tids[2],
        "tids are distinct and not the pid"
    );

    // Exit statuses of threads are nobody's business but the join's:
    // identify's 0 is checked by its absence of failure below.
    let t = spawn(identify, 3).expect("spawn");
    let t_tid = t.tid();
    t.join();
    check_eq!(
        SEEN[3].load(Ordering::SeqCst),
        t_tid,
        "its TLS pointer is its own TCB, its stack its own"
    );

    let (r, w) = pipes::pipe2(0).expect("pipe2");
    spawn(write_fd, w as usize).expect("spawn").join();
    let mut buf = [0u8; 32];
    check_eq!(
        io::read(r, &mut buf).map(|n| &buf[..n]),
        Ok(&b"from a thread"[..]),
        "a thread writes to a descriptor of the main thread's table"
    );
    spawn(open_pipe, 0).expect("spawn").join();
    let (r2, w2) = (
        OPENED[0].load(Ordering::SeqCst),
        OPENED[1].load(Ordering::SeqCst),
    );
    check!(r2 >= 0 && w2 >= 0, "a thread makes a pipe");
    check_eq!(io::write(w2, b"hi"), Ok(2), "the main thread writes to it");
    check_eq!(
        io::read(r2, &mut buf).map(|n| &buf[..n]),
        Ok(&b"hi"[..]),
        "and reads it back"
    );
    for fd in [r, w, r2, w2] {
        check_eq!(fs::close(fd), Ok(()), "close");
    }

    check_eq!(getppid() >= 0, true, "getppid answers");
    check_eq!(
        catch(SIGUSR1, on_usr1 as *const () as usize),
        Ok(0),
        "SIGUSR1 handler"
    );
    let t = spawn(wait_usr1, 0).expect("spawn");
    while READY.load(Ordering::SeqCst) == 0 {
        sched_yield();
    }
    check_eq!(tgkill(getpid(), t.tid(), SIGUSR1), Ok(0), "tgkill");
    let target = t.tid();
    t.join();
    check_eq!(
        (
            USR1_HITS.load(Ordering::SeqCst),
            USR1_TID.load(Ordering::SeqCst)
        ),
        (1, target),
        "the handler ran once, in the thread tgkill named"
    );
    check_eq!(
        tgkill(getpid(), target, 0),
        Err(Errno::ESRCH),
        "tgkill of an ended thread: ESRCH"
    );
    check_eq!(
        tgkill(getpid() + 100_000, getpid(), 0),
        Err(Errno::ESRCH),
        "tgkill with the wrong tgid: ESRCH"
    );
    check_eq!(
        tgkill(0, getpid(), 0),
        Err(Errno::EINVAL),
        "tgkill tgid 0: EINVAL"
    );
    check_eq!(
        tgkill(getpid(), -1, 0),
        Err(Errno::EINVAL),
        "tgkill tid -1: EINVAL"
    );
    check_eq!(
        tgkill(getpid(), getpid(), 65),
        Err(Errno::EINVAL),
        "tgkill signal 65: EINVAL"
    );

    let mut mask = [0u64; 16];
    // SAFETY: the kernel writes at most 128 bytes into `mask`.
    let r = unsafe { syscall3(nr::SCHED_GETAFFINITY, 0, 128, mask.as_mut_ptr() as usize) };
    check!(
        Errno::from_ret(r).is_ok_and(|n| n >= 8) && mask.iter().any(|&m| m != 0),
        "sched_getaffinity: the mask is not empty"
    );
    // SAFETY: as above, with a length Linux refuses.
    let r = unsafe { syscall3(nr::SCHED_GETAFFINITY, 0, 7, mask.as_mut_ptr() as usize) };
    check_eq!(
        Errno::from_ret(r),
        Err(Errno::EINVAL),
        "sched_getaffinity of 7 bytes: EINVAL"
    );
    vrt::check::all_passed();
    0
}
