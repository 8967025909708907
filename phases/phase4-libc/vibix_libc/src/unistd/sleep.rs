//! `<unistd.h>`: sleeping: `sleep` (seconds) and `usleep` (microseconds),
//! over `nanosleep`, and `pause` (until a signal handler has run).

use vibix_uapi::signal::{SIG_BLOCK, SigSet};
use vibix_uapi::time::Timespec;
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, c_uint};

/// Sleeps `seconds` seconds; returns 0, or the whole seconds left (as
/// glibc: the fraction is dropped) if a signal handler interrupted the
/// sleep.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sleep(seconds: c_uint) -> c_uint {
    let ts = Timespec {
        tv_sec: seconds.into(),
        tv_nsec: 0,
    };
    let mut rem = Timespec::default();
    // SAFETY: the kernel reads `ts` and may write `rem`, both ours.
    if ret_int(unsafe { syscall!(nr::NANOSLEEP, &raw const ts, &raw mut rem) }) < 0 {
        return rem.tv_sec as c_uint;
    }
    0
}

/// Sleeps `usec` microseconds: 0, or `-1` with `errno` (`EINTR`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn usleep(usec: c_uint) -> c_int {
    let ts = Timespec {
        tv_sec: i64::from(usec / 1_000_000),
        tv_nsec: i64::from(usec % 1_000_000) * 1000,
    };
    // SAFETY: the kernel reads `ts`, which is ours.
    ret_int(unsafe { syscall!(nr::NANOSLEEP, &raw const ts, 0usize) })
}

/// Waits until a signal handler has run (or a signal ends the process);
/// always `-1` with `errno` `EINTR`. Linux's `pause` is `sigsuspend` with
/// the mask the thread already has: the mask is read, then suspended on.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn pause() -> c_int {
    let mut mask: SigSet = 0;
    // SAFETY: with no new set the kernel only writes the current mask, one
    // word, into `mask`.
    let r = unsafe {
        syscall!(
            nr::RT_SIGPROCMASK,
            SIG_BLOCK,
            0usize,
            &raw mut mask,
            size_of::<SigSet>()
        )
    };
    if ret_int(r) < 0 {
        return -1;
    }
    // SAFETY: the kernel reads one mask word, ours.
    ret_int(unsafe { syscall!(nr::RT_SIGSUSPEND, &raw const mask, size_of::<SigSet>()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn pause_returns_after_a_handler_with_eintr() {
        extern "C" fn nothing(_: c_int) {}
        // SAFETY: a handler that does nothing, for a signal nothing else
        // in the test process uses.
        let old = unsafe {
            libc::signal(
                libc::SIGURG,
                nothing as extern "C" fn(c_int) as libc::sighandler_t,
            )
        };
        // SAFETY: this thread's handle, for the sender below.
        let me = unsafe { libc::pthread_self() };
        let sender = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            // SAFETY: the test thread waits in `pause` until this signal.
            unsafe { libc::pthread_kill(me, libc::SIGURG) };
        });
        assert_eq!(pause(), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINTR);
        sender.join().unwrap();
        // SAFETY: the previous disposition back.
        unsafe { libc::signal(libc::SIGURG, old) };
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn sleeps_at_least_as_asked() {
        let start = std::time::Instant::now();
        assert_eq!(usleep(20_000), 0);
        assert!(start.elapsed() >= std::time::Duration::from_millis(20));
        assert_eq!(sleep(0), 0);
    }
}
