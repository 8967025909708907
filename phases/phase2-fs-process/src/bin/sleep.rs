//! `nanosleep` and `clock_nanosleep`: a sleep lasts at least as long as
//! asked (and not absurdly longer), a bad `timespec` is EINVAL, a clock
//! nobody sleeps on is EINVAL, `TIMER_ABSTIME` sleeps until a time of the
//! clock, and a signal ends the sleep with EINTR and the time left in
//! `rem`. Prints no times, only comparisons.

#![no_std]
#![no_main]

use vrt::children::{Fork, fork, wait4};
use vrt::errno::Errno;
use vrt::pipes::kill;
use vrt::process::exit;
use vrt::signal::SIGUSR1;
use vrt::syscall::{syscall0, syscall2, syscall4};
use vrt::uapi::time::{CLOCK_MONOTONIC, CLOCK_REALTIME, TIMER_ABSTIME, Timespec};
use vrt::{check, check_eq};

vrt::entry!(main);

const MS: i64 = 1_000_000;
const SEC: i64 = 1_000_000_000;

fn ts(ns: i64) -> Timespec {
    Timespec {
        tv_sec: ns.div_euclid(SEC),
        tv_nsec: ns.rem_euclid(SEC),
    }
}

fn ns(t: &Timespec) -> i64 {
    t.tv_sec * SEC + t.tv_nsec
}

fn now(clock: i32) -> i64 {
    let mut t = Timespec::default();
    // SAFETY: the kernel writes one timespec into `t`.
    let r = unsafe {
        syscall2(
            vrt::nr::CLOCK_GETTIME,
            clock as usize,
            &mut t as *mut _ as usize,
        )
    };
    check_eq!(Errno::from_ret(r), Ok(0), "clock_gettime");
    ns(&t)
}

fn nanosleep(req: &Timespec, rem: Option<&mut Timespec>) -> Result<usize, Errno> {
    let rem = rem.map_or(0, |r| r as *mut _ as usize);
    // SAFETY: the kernel reads `req` and may write one timespec at `rem`.
    Errno::from_ret(unsafe { syscall2(vrt::nr::NANOSLEEP, req as *const _ as usize, rem) })
}

fn clock_nanosleep(clock: i32, flags: i32, req: &Timespec) -> Result<usize, Errno> {
    // SAFETY: the kernel reads `req`; `rem` is NULL.
    Errno::from_ret(unsafe {
        syscall4(
            vrt::nr::CLOCK_NANOSLEEP,
            clock as usize,
            flags as usize,
            req as *const _ as usize,
            0,
        )
    })
}

/// How long `f` took on the monotonic clock, in nanoseconds.
fn timed(f: impl FnOnce()) -> i64 {
    let start = now(CLOCK_MONOTONIC);
    f();
    now(CLOCK_MONOTONIC) - start
}

extern "C" fn on_usr1(_: i32) {}

fn main(_args: &vrt::Args) -> i32 {
    let took = timed(|| check_eq!(nanosleep(&ts(50 * MS), None), Ok(0), "nanosleep 50 ms"));
    check!(took >= 50 * MS, "nanosleep 50 ms sleeps at least 50 ms");
    check!(took < 5 * SEC, "and less than 5 s");
    check_eq!(
        nanosleep(&ts(0), None),
        Ok(0),
        "nanosleep 0 returns at once"
    );

    for (bad, what) in [
        (
            Timespec {
                tv_sec: 0,
                tv_nsec: SEC,
            },
            "tv_nsec = 10^9",
        ),
        (
            Timespec {
                tv_sec: 0,
                tv_nsec: -1,
            },
            "tv_nsec = -1",
        ),
        (
            Timespec {
                tv_sec: -1,
                tv_nsec: 0,
            },
            "tv_sec = -1",
        ),
    ] {
        check_eq!(
            nanosleep(&bad, None),
            Err(Errno::EINVAL),
            "nanosleep with {what} -> EINVAL"
        );
        check_eq!(
            clock_nanosleep(CLOCK_MONOTONIC, 0, &bad),
            Err(Errno::EINVAL),
            "clock_nanosleep with {what} -> EINVAL"
        );
    }

    let took = timed(|| {
        check_eq!(
            clock_nanosleep(CLOCK_MONOTONIC, 0, &ts(30 * MS)),
            Ok(0),
            "clock_nanosleep 30 ms, monotonic"
        )
    });
    check!(took >= 30 * MS, "it sleeps at least 30 ms");
    let took = timed(|| {
        check_eq!(
            clock_nanosleep(CLOCK_REALTIME, 0, &ts(30 * MS)),
            Ok(0),
            "clock_nanosleep 30 ms, realtime"
        )
    });
    check!(took >= 30 * MS, "that too sleeps at least 30 ms");
    let took = timed(|| {
        let until = ts(now(CLOCK_MONOTONIC) + 40 * MS);
        check_eq!(
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until),
            Ok(0),
            "clock_nanosleep until 40 ms from now (TIMER_ABSTIME)"
        );
        check!(
            now(CLOCK_MONOTONIC) >= ns(&until),
            "it woke no earlier than asked"
        );
    });
    check!(took < 5 * SEC, "and not much later");
    let took = timed(|| {
        check_eq!(
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts(0)),
            Ok(0),
            "clock_nanosleep until a time already past"
        )
    });
    check!(took < SEC, "returns at once");
    check_eq!(
        clock_nanosleep(CLOCK_MONOTONIC + 1000, 0, &ts(MS)),
        Err(Errno::EINVAL),
        "clock_nanosleep on a clock nobody has -> EINVAL"
    );

    // A signal cuts a 10 s sleep short: EINTR, and `rem` says what was left.
    check_eq!(
        vrt::signal::catch(SIGUSR1, on_usr1 as *const () as usize),
        Ok(0),
        "catch SIGUSR1"
    );
    // SAFETY: getpid reads and writes no memory.
    let me = unsafe { syscall0(vrt::nr::GETPID) } as i32;
    let child = match fork() {
        Ok(Fork::Child) => {
            let _ = nanosleep(&ts(100 * MS), None);
            let _ = kill(me, SIGUSR1);
            exit(0)
        }
        Ok(Fork::Parent { child }) => child,
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    };
    let mut rem = ts(-1);
    check_eq!(
        nanosleep(&ts(10 * SEC), Some(&mut rem)),
        Err(Errno::EINTR),
        "a signal ends nanosleep with EINTR"
    );
    check!(
        (0..SEC).contains(&rem.tv_nsec) && ns(&rem) > 0 && ns(&rem) < 10 * SEC,
        "rem holds the time left, below the 10 s asked"
    );
    check_eq!(
        wait4(child, 0).map(|(pid, _)| pid),
        Ok(child),
        "reap the child"
    );
    vrt::check::all_passed();
    0
}
