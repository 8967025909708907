//! `clone`'s flags (finding S-B2): std's flag set makes a thread; each bit
//! outside `CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
//! CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
//! CLONE_CHILD_CLEARTID`, added to it one at a time, is `EINVAL`; so are a
//! non-zero exit-signal byte, a fork-like `clone(SIGCHLD)`, and the
//! combinations Linux refuses (`CLONE_THREAD` without `CLONE_SIGHAND`,
//! `CLONE_SIGHAND` without `CLONE_VM`) or vibix does (a thread that would
//! not share the descriptor table or working directory, a process that
//! would share memory). Linux accepts many of these bits, so this test
//! runs on vibix only.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};

use vrt::errno::Errno;
use vrt::thread::{THREAD_FLAGS, spawn_with};
use vrt::uapi::clone::*;
use vrt::{check_eq, println};

vrt::entry!(main);

static RAN: AtomicU32 = AtomicU32::new(0);

extern "C" fn run(_: usize) -> i32 {
    RAN.fetch_add(1, Ordering::SeqCst);
    0
}

fn try_flags(flags: usize) -> Result<(), Errno> {
    spawn_with(flags, run, 0).map(|t| t.join())
}

fn main(_args: &vrt::Args) -> i32 {
    check_eq!(try_flags(THREAD_FLAGS), Ok(()), "std's flags make a thread");
    check_eq!(RAN.load(Ordering::SeqCst), 1, "which ran");
    let allowed = THREAD_FLAGS;
    let mut refused = 0;
    for bit in 0..64 {
        let flag = 1usize << bit;
        if allowed & flag != 0 {
            continue;
        }
        check_eq!(
            try_flags(THREAD_FLAGS | flag),
            Err(Errno::EINVAL),
            "std's flags with bit {bit} added: EINVAL"
        );
        refused += 1;
    }
    println!("{refused} bits refused one by one");
    let f = |x: i32| x as usize;
    for (what, flags) in [
        ("exit signal SIGCHLD with a thread", THREAD_FLAGS | 17),
        ("fork-like clone(SIGCHLD)", 17),
        ("no flags", 0),
        (
            "CLONE_THREAD without CLONE_SIGHAND",
            THREAD_FLAGS & !f(CLONE_SIGHAND),
        ),
        (
            "CLONE_SIGHAND without CLONE_VM",
            THREAD_FLAGS & !f(CLONE_VM),
        ),
        (
            "CLONE_VM without CLONE_THREAD",
            f(CLONE_VM | CLONE_FS | CLONE_FILES),
        ),
        (
            "a thread without CLONE_FILES",
            THREAD_FLAGS & !f(CLONE_FILES),
        ),
        ("a thread without CLONE_FS", THREAD_FLAGS & !f(CLONE_FS)),
    ] {
        check_eq!(try_flags(flags), Err(Errno::EINVAL), "{what}: EINVAL");
    }
    let minimal = f(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD);
    // Without CLONE_SETTLS the thread keeps the caller's TLS pointer, and
    // without CLONE_CHILD_CLEARTID nobody is woken at its end: wait by
    // watching the counter.
    let before = RAN.load(Ordering::SeqCst);
    let t = spawn_with(minimal, run, 0);
    check_eq!(
        t.as_ref().map(|_| ()),
        Ok(()),
        "the five thread flags alone make a thread"
    );
    while RAN.load(Ordering::SeqCst) == before {
        vrt::thread::sched_yield();
    }
    check_eq!(RAN.load(Ordering::SeqCst), before + 1, "which ran");
    // Not joined: nothing clears its tid word. Its stack stays mapped.
    drop(t);
    vrt::check::all_passed();
    0
}
