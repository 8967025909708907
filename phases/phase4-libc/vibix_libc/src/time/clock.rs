//! `<time.h>`: the clocks and sleeping: `time`, `clock_gettime`,
//! `clock_getres`, `clock`, `nanosleep`, `clock_nanosleep`, `difftime`.
//!
//! `clock` is the process's CPU time when the kernel has
//! `CLOCK_PROCESS_CPUTIME_ID`; vibix does not yet, and then it is the
//! monotonic time since the program started (recorded by a constructor).
//! `clock_getres` asks the kernel, and for a clock the kernel can read but
//! has no `clock_getres` for (vibix) answers one nanosecond, the unit its
//! clocks count in.

use core::sync::atomic::{AtomicI64, Ordering};

use vibix_abi::Errno;
use vibix_abi::errno::set_errno;
use vibix_uapi::{nr, syscall};

use crate::types::{c_double, c_int, c_long, clockid_t, time_t};

pub use vibix_uapi::time::Timespec as timespec;
pub use vibix_uapi::time::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
    CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_THREAD_CPUTIME_ID,
    TIMER_ABSTIME,
};

/// Processor time, in `CLOCKS_PER_SEC` units.
pub type clock_t = c_long;

/// `clock`'s unit: microseconds, as POSIX's XSI requires.
pub const CLOCKS_PER_SEC: c_long = 1_000_000;

const NANOS: i64 = 1_000_000_000;

/// Reads clock `id` into a `timespec`: the raw call, its errno kept.
pub(crate) fn read_clock(id: clockid_t) -> Result<timespec, Errno> {
    let mut ts = timespec::default();
    // SAFETY: the kernel writes one `timespec` into `ts`, which we own.
    Errno::from_ret(unsafe { syscall!(nr::CLOCK_GETTIME, id, &raw mut ts) })?;
    Ok(ts)
}

/// The current calendar time, in seconds since the epoch; also stored
/// through `t` unless it is NULL.
///
/// # Safety
///
/// `t` must be NULL or valid for a write of a `time_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn time(t: *mut time_t) -> time_t {
    let now = match read_clock(CLOCK_REALTIME) {
        Ok(ts) => ts.tv_sec,
        Err(e) => {
            set_errno(e.raw());
            -1
        }
    };
    if !t.is_null() {
        // SAFETY: the caller's contract.
        unsafe { t.write(now) };
    }
    now
}

/// Reads clock `id` into `*tp`.
///
/// # Safety
///
/// `tp` must be valid for a write of a `timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn clock_gettime(id: clockid_t, tp: *mut timespec) -> c_int {
    // SAFETY: the kernel writes at most one `timespec` at `tp` (the
    // caller's); a bad pointer is its EFAULT.
    let r = unsafe { syscall!(nr::CLOCK_GETTIME, id, tp) };
    sys(r)
}

/// The resolution of clock `id`, into `*res` unless it is NULL.
///
/// # Safety
///
/// `res` must be NULL or valid for a write of a `timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn clock_getres(id: clockid_t, res: *mut timespec) -> c_int {
    // SAFETY: the kernel writes at most one `timespec` at `res` (the
    // caller's, or NULL for none).
    let r = unsafe { syscall!(nr::CLOCK_GETRES, id, res) };
    match Errno::from_ret(r) {
        Err(Errno::ENOSYS) => match read_clock(id) {
            Ok(_) => {
                if !res.is_null() {
                    // SAFETY: the caller's contract.
                    unsafe {
                        res.write(timespec {
                            tv_sec: 0,
                            tv_nsec: 1,
                        })
                    };
                }
                0
            }
            Err(e) => crate::errno::fail(e.raw()),
        },
        _ => sys(r),
    }
}

/// The monotonic time at program start, in nanoseconds: `clock`'s origin
/// where the kernel has no CPU-time clock.
static START_NS: AtomicI64 = AtomicI64::new(i64::MIN);

fn monotonic_ns() -> Option<i64> {
    let ts = read_clock(CLOCK_MONOTONIC).ok()?;
    ts.tv_sec.checked_mul(NANOS)?.checked_add(ts.tv_nsec)
}

/// Records [`START_NS`]; a constructor (`.init_array`) runs it before
/// `main`.
extern "C" fn record_start() {
    if let Some(ns) = monotonic_ns() {
        let _ = START_NS.compare_exchange(i64::MIN, ns, Ordering::Relaxed, Ordering::Relaxed);
    }
}

#[cfg(all(target_os = "vibix", not(miri)))]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_START: extern "C" fn() = record_start;

/// The processor time the program has used, in `CLOCKS_PER_SEC` units, or
/// `(clock_t)-1`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn clock() -> clock_t {
    let ns = match read_clock(CLOCK_PROCESS_CPUTIME_ID) {
        Ok(ts) => ts
            .tv_sec
            .checked_mul(NANOS)
            .and_then(|s| s.checked_add(ts.tv_nsec)),
        Err(_) => {
            record_start();
            monotonic_ns().map(|now| now - START_NS.load(Ordering::Relaxed))
        }
    };
    ns.map_or(-1, |ns| ns / (NANOS / CLOCKS_PER_SEC))
}

/// Sleeps for `*req`; interrupted by a signal, fails with `EINTR` and
/// stores the time left in `*rem` (unless NULL).
///
/// # Safety
///
/// `req` must point to a `timespec`; `rem` be NULL or writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn nanosleep(req: *const timespec, rem: *mut timespec) -> c_int {
    // SAFETY: the kernel reads one `timespec` and writes at most one (the
    // caller's pointers; bad ones are EFAULT).
    sys(unsafe { syscall!(nr::NANOSLEEP, req, rem) })
}

/// Sleeps on clock `id` for `*req` (until it, with `TIMER_ABSTIME`).
/// Returns 0 or an error number (errno is left alone).
///
/// # Safety
///
/// As for [`nanosleep`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn clock_nanosleep(
    id: clockid_t,
    flags: c_int,
    req: *const timespec,
    rem: *mut timespec,
) -> c_int {
    if id == CLOCK_THREAD_CPUTIME_ID {
        return Errno::EINVAL.raw();
    }
    // SAFETY: as for `nanosleep`.
    let r = unsafe { syscall!(nr::CLOCK_NANOSLEEP, id, flags, req, rem) };
    match Errno::from_ret(r) {
        Ok(_) => 0,
        Err(e) => e.raw(),
    }
}

/// `timespec_get`'s base: UTC (`CLOCK_REALTIME`).
pub const TIME_UTC: c_int = 1;

/// The current time on `base` (only `TIME_UTC`) into `*ts`; returns
/// `base`, or 0 on failure.
///
/// # Safety
///
/// `ts` must be valid for a write of a `timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn timespec_get(ts: *mut timespec, base: c_int) -> c_int {
    if base != TIME_UTC {
        return 0;
    }
    match read_clock(CLOCK_REALTIME) {
        Ok(now) => {
            // SAFETY: the caller's contract.
            unsafe { ts.write(now) };
            base
        }
        Err(_) => 0,
    }
}

/// `t1 - t0` in seconds.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn difftime(t1: time_t, t0: time_t) -> c_double {
    (i128::from(t1) - i128::from(t0)) as c_double
}

/// A raw system call's result as C returns it: 0 (or the value), or -1
/// with errno set.
pub(crate) fn sys(r: usize) -> c_int {
    match Errno::from_ret(r) {
        Ok(v) => v as c_int,
        Err(e) => crate::errno::fail(e.raw()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;

    #[test]
    #[cfg_attr(miri, ignore = "system calls")]
    fn clocks_like_the_host() {
        let mut ours = timespec::default();
        let mut host = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        for id in [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME] {
            // SAFETY: valid out-pointers.
            assert_eq!(unsafe { clock_gettime(id, &raw mut ours) }, 0);
            // SAFETY: as above.
            assert_eq!(unsafe { libc::clock_gettime(id, &raw mut host) }, 0);
            assert!((ours.tv_sec - host.tv_sec).abs() <= 1);
            // SAFETY: as above.
            assert_eq!(unsafe { clock_getres(id, &raw mut ours) }, 0);
            // SAFETY: as above.
            assert_eq!(unsafe { libc::clock_getres(id, &raw mut host) }, 0);
            assert_eq!((ours.tv_sec, ours.tv_nsec), (host.tv_sec, host.tv_nsec));
        }
        // SAFETY: NULL is allowed.
        assert_eq!(unsafe { clock_getres(CLOCK_REALTIME, ptr::null_mut()) }, 0);
        // SAFETY: as above.
        assert_eq!(unsafe { clock_gettime(99, &raw mut ours) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        // SAFETY: NULL is allowed.
        let t = unsafe { time(ptr::null_mut()) };
        // SAFETY: as above.
        let h = unsafe { libc::time(ptr::null_mut()) };
        assert!((t - h).abs() <= 1);
        let mut stored = 0;
        // SAFETY: a valid out-pointer.
        assert_eq!(unsafe { time(&raw mut stored) }, stored);
        let c0 = clock();
        assert!(c0 >= 0);
        // SAFETY: a valid out-pointer.
        assert_eq!(unsafe { timespec_get(&raw mut ours, TIME_UTC) }, TIME_UTC);
        assert!((ours.tv_sec - h).abs() <= 1);
        // SAFETY: as above.
        assert_eq!(unsafe { timespec_get(&raw mut ours, 0) }, 0);
    }

    #[test]
    #[cfg_attr(miri, ignore = "system calls")]
    fn sleeping() {
        let req = timespec {
            tv_sec: 0,
            tv_nsec: 2_000_000,
        };
        let before = read_clock(CLOCK_MONOTONIC).unwrap();
        // SAFETY: valid pointers.
        assert_eq!(unsafe { nanosleep(&req, ptr::null_mut()) }, 0);
        let after = read_clock(CLOCK_MONOTONIC).unwrap();
        let slept = (after.tv_sec - before.tv_sec) * NANOS + after.tv_nsec - before.tv_nsec;
        assert!(slept >= 2_000_000);
        let bad = timespec {
            tv_sec: 0,
            tv_nsec: NANOS,
        };
        // SAFETY: valid pointers.
        assert_eq!(unsafe { nanosleep(&bad, ptr::null_mut()) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        // SAFETY: valid pointers.
        let r = unsafe { clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, ptr::null_mut()) };
        assert_eq!(r, libc::EINVAL);
        let mut abs = read_clock(CLOCK_MONOTONIC).unwrap();
        abs.tv_nsec = 0;
        // SAFETY: valid pointers; an absolute time in the past returns at once.
        let r = unsafe { clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, ptr::null_mut()) };
        assert_eq!(r, 0);
    }

    #[test]
    fn differences() {
        for (a, b) in [
            (0, 0),
            (10, 3),
            (3, 10),
            (i64::MAX, i64::MIN),
            (i64::MIN, 1),
        ] {
            // SAFETY: a pure function.
            assert_eq!(difftime(a, b), unsafe { libc_difftime(a, b) });
        }
    }

    /// The host's `difftime`, or its definition under Miri.
    #[cfg(not(miri))]
    unsafe fn libc_difftime(a: i64, b: i64) -> f64 {
        // SAFETY: a pure function.
        unsafe { libc::difftime(a, b) }
    }
    #[cfg(miri)]
    unsafe fn libc_difftime(a: i64, b: i64) -> f64 {
        (i128::from(a) - i128::from(b)) as f64
    }
}
