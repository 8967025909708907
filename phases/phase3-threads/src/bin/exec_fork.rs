//! `execve` and `fork` in a process with several threads. `execve` from a
//! thread that is not the main one ends every other thread (sleeping or
//! spinning) first, and the new program runs with the process's pid as
//! its only thread's tid. `fork` copies only the calling thread (finding
//! A-A6): in the child, which has one thread, memory can still be mapped
//! and used, and output printed, even though other threads of the parent
//! held no lock at the fork and keep running in the parent.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};

use vrt::children::{Ended, Fork, decode, execve, fork, wait4};
use vrt::mm::{self, PROT_READ, PROT_WRITE};
use vrt::thread::{futex_wait, getpid, gettid, sched_yield, spawn};
use vrt::{check, check_eq, println};

vrt::entry!(main);

static FOREVER: AtomicU32 = AtomicU32::new(0);
static SPINS: AtomicU32 = AtomicU32::new(0);

extern "C" fn sleep_forever(_: usize) -> i32 {
    loop {
        let _ = futex_wait(&FOREVER, 0, None);
    }
}

extern "C" fn spin_forever(_: usize) -> i32 {
    loop {
        SPINS.fetch_add(1, Ordering::Relaxed);
        core::hint::spin_loop();
    }
}

/// Runs this program again as `exec_fork after-exec <pid>`.
extern "C" fn exec_self(pid: usize) -> i32 {
    for _ in 0..20 {
        sched_yield();
    }
    let mut digits = [0u8; 24];
    let arg = format_pid(pid as u32, &mut digits);
    let e = execve(c"bin/exec_fork", &[c"exec_fork", c"after-exec", arg], &[]);
    println!("FAIL: execve: {e:?}");
    1
}

fn format_pid(mut n: u32, buf: &mut [u8; 24]) -> &core::ffi::CStr {
    let mut i = 22;
    loop {
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
        i -= 1;
    }
    buf[23] = 0;
    core::ffi::CStr::from_bytes_with_nul(&buf[i..]).expect("digits and a NUL")
}

fn after_exec(args: &vrt::Args) -> i32 {
    let pid = args
        .arg(2)
        .and_then(|a| a.to_str().ok()?.parse::<i32>().ok());
    check_eq!(
        pid,
        Some(getpid()),
        "after execve from a thread: the same pid"
    );
    check_eq!(gettid(), getpid(), "and its one thread's tid is the pid");
    println!("the new program runs alone");
    0
}

fn main(args: &vrt::Args) -> i32 {
    if args.arg(1).is_some_and(|a| a == c"after-exec") {
        return after_exec(args);
    }
    // execve from a thread, in a child process with sleeping and spinning
    // threads.
    let pid = match fork().expect("fork") {
        Fork::Child => {
            spawn(sleep_forever, 0).expect("spawn");
            spawn(spin_forever, 0).expect("spawn");
            spawn(exec_self, getpid() as usize).expect("spawn");
            sleep_forever(0)
        }
        Fork::Parent { child } => child,
    };
    let (_, status) = wait4(pid, 0).expect("wait4");
    check!(
        matches!(decode(status), Ended::Exited(0)),
        "the exec'd program exits 0"
    );

    // fork with other threads running.
    let sleeper = spawn(sleep_forever, 0).expect("spawn");
    let spinner = spawn(spin_forever, 0).expect("spawn");
    while SPINS.load(Ordering::Relaxed) == 0 {
        sched_yield();
    }
    let _ = (&sleeper, &spinner);
    for round in 0..3 {
        let pid = match fork().expect("fork") {
            Fork::Child => {
                // One thread here: map, write, read back, print.
                let len = 1 << 20;
                let at = mm::map_anonymous(len, PROT_READ | PROT_WRITE).expect("mmap in the child");
                // SAFETY: the fresh mapping is ours alone.
                let bytes = unsafe { core::slice::from_raw_parts_mut(at as *mut u8, len) };
                for (i, b) in bytes.iter_mut().enumerate() {
                    *b = i as u8;
                }
                let sum: u64 = bytes.iter().map(|&b| u64::from(b)).sum();
                println!("child {round} of a threaded process: mapped 1 MiB, sum {sum}");
                vrt::process::exit(0)
            }
            Fork::Parent { child } => child,
        };
        let (_, status) = wait4(pid, 0).expect("wait4");
        check!(
            matches!(decode(status), Ended::Exited(0)),
            "the child exits 0"
        );
    }
    vrt::check::all_passed();
    // The sleeping and spinning threads end with the process.
    vrt::process::exit_process(0)
}
