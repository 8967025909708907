//! `exit` ends one thread, `exit_group` all of them. Each case runs in a
//! child process, whose wait status the parent prints: the main thread's
//! `exit` leaves the process running until its last thread exits (with
//! that thread's status); `exit_group` from a thread ends the process
//! while other threads sleep or spin; a fatal signal (an unhandled
//! SIGSEGV in one thread) ends every thread; `wait4` sees the process,
//! never its threads.

#![no_std]
#![no_main]

use core::sync::atomic::AtomicU32;

use vrt::children::{Ended, decode, spawn as fork_child, wait4};
use vrt::errno::Errno;
use vrt::syscall::syscall1;
use vrt::thread::{exit_thread, futex_wait, sched_yield, spawn};
use vrt::{check_eq, nr, println};

vrt::entry!(main);

static FOREVER: AtomicU32 = AtomicU32::new(0);

/// Sleeps until the process ends.
extern "C" fn sleep_forever(_: usize) -> i32 {
    loop {
        let _ = futex_wait(&FOREVER, 0, None);
    }
}

/// Spins until the process ends.
extern "C" fn spin_forever(_: usize) -> i32 {
    loop {
        core::hint::spin_loop();
    }
}

/// Yields a while, then ends its thread with status 7.
extern "C" fn last_one(_: usize) -> i32 {
    for _ in 0..200 {
        sched_yield();
    }
    println!("the last thread ends");
    7
}

/// Ends the whole process with status 3.
extern "C" fn group_exit(_: usize) -> i32 {
    for _ in 0..20 {
        sched_yield();
    }
    // SAFETY: exit_group ends the process.
    unsafe { syscall1(nr::EXIT_GROUP, 3) };
    1
}

/// Faults.
extern "C" fn segv(_: usize) -> i32 {
    for _ in 0..20 {
        sched_yield();
    }
    // SAFETY: deliberately faults: nothing is mapped at address 8.
    unsafe { core::ptr::read_volatile(8 as *const u32) as i32 }
}

fn run(what: &str, child: fn() -> i32) {
    let pid = fork_child(child);
    let (got, status) = wait4(pid, 0).expect("wait4");
    check_eq!(got, pid, "wait4 reaps the process");
    let ended = match decode(status) {
        Ended::Exited(code) => ("exit", code as i32),
        Ended::Killed(sig) => ("signal", sig as i32),
        Ended::Other(status) => ("other", status as i32),
    };
    println!("{what}: {} {}", ended.0, ended.1);
    check_eq!(
        wait4(-1, 0),
        Err(Errno::ECHILD),
        "no other child: threads are not children"
    );
}

fn main(_args: &vrt::Args) -> i32 {
    run("main thread exits, another goes on", || {
        spawn(last_one, 0).expect("spawn");
        exit_thread(5)
    });
    run("exit_group from a thread", || {
        spawn(sleep_forever, 0).expect("spawn");
        spawn(spin_forever, 0).expect("spawn");
        spawn(group_exit, 0).expect("spawn");
        sleep_forever(0)
    });
    run("SIGSEGV in a thread", || {
        spawn(sleep_forever, 0).expect("spawn");
        spawn(segv, 0).expect("spawn");
        spin_forever(0)
    });
    run("exit_group from the main thread", || {
        spawn(sleep_forever, 0).expect("spawn");
        spawn(spin_forever, 0).expect("spawn");
        sched_yield();
        // SAFETY: exit_group ends the process.
        unsafe { syscall1(nr::EXIT_GROUP, 4) };
        1
    });
    vrt::check::all_passed();
    0
}
