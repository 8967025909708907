//! (internal) What the locks of `<pthread.h>` share: who the calling
//! thread is (an owner's id), and turning a C absolute timeout on some
//! clock into the monotonic deadline `vibix_abi::futex::wait` takes.

use core::sync::atomic::AtomicU32;

use vibix_abi::Errno;
use vibix_abi::futex;
use vibix_uapi::time::{CLOCK_MONOTONIC, Timespec};

use crate::time::clock::read_clock;
use crate::types::{c_int, clockid_t};

/// One byte of thread-local storage: its address names the thread among
/// the live ones (and stays its name in a child after `fork`, as the
/// thread's identity does in POSIX).
#[thread_local]
static ME: u8 = 0;

/// The calling thread's owner id (never 0).
pub(crate) fn me() -> usize {
    (&raw const ME).addr()
}

const NANOS: i64 = 1_000_000_000;

/// The monotonic deadline of `abstime` on clock `clock`: `Err(EINVAL)`
/// for a bad `tv_nsec`, `Err(ETIMEDOUT)` if it has passed.
pub(crate) fn deadline(abstime: &Timespec, clock: clockid_t) -> Result<Timespec, c_int> {
    if !(0..NANOS).contains(&abstime.tv_nsec) {
        return Err(Errno::EINVAL.raw());
    }
    let now = read_clock(clock).map_err(|e| e.raw())?;
    let left = i128::from(abstime.tv_sec - now.tv_sec) * i128::from(NANOS)
        + i128::from(abstime.tv_nsec - now.tv_nsec);
    if left <= 0 {
        return Err(Errno::ETIMEDOUT.raw());
    }
    if clock == CLOCK_MONOTONIC {
        return Ok(*abstime);
    }
    let mono = read_clock(CLOCK_MONOTONIC).map_err(|e| e.raw())?;
    let end = i128::from(mono.tv_sec) * i128::from(NANOS) + i128::from(mono.tv_nsec) + left;
    let sec = i64::try_from(end / i128::from(NANOS)).unwrap_or(i64::MAX);
    Ok(Timespec {
        tv_sec: sec,
        tv_nsec: (end % i128::from(NANOS)) as i64,
    })
}

/// Sleeps while `*word == expected`, until woken or the absolute time
/// `abstime` on `clock` (if any). `Err(ETIMEDOUT)` at the time, or
/// `Err(EINVAL)` for a bad one; `Ok` for anything else (a wake-up, a
/// changed word, a signal): the caller looks again.
pub(crate) fn sleep(
    word: &AtomicU32,
    expected: u32,
    abstime: Option<&Timespec>,
    clock: clockid_t,
) -> Result<(), c_int> {
    let end = match abstime {
        Some(t) => Some(deadline(t, clock)?),
        None => None,
    };
    match futex::wait(word, expected, end.as_ref()) {
        Err(Errno::ETIMEDOUT) => Err(Errno::ETIMEDOUT.raw()),
        _ => Ok(()),
    }
}

/// Wakes at most `n` sleepers on `word`.
pub(crate) fn wake(word: &AtomicU32, n: u32) {
    let _ = futex::wake(word, n);
}

#[cfg(test)]
mod tests {
    use super::*;
    use vibix_uapi::time::CLOCK_REALTIME;

    #[test]
    fn owners_differ_by_thread() {
        let here = me();
        assert_ne!(here, 0);
        assert_eq!(here, me());
        let there = std::thread::spawn(me).join().unwrap();
        assert_ne!(here, there);
    }

    #[test]
    #[cfg_attr(miri, ignore = "system calls")]
    fn deadlines() {
        let bad = Timespec {
            tv_sec: 0,
            tv_nsec: NANOS,
        };
        assert_eq!(deadline(&bad, CLOCK_REALTIME), Err(Errno::EINVAL.raw()));
        let past = Timespec {
            tv_sec: 1,
            tv_nsec: 0,
        };
        assert_eq!(deadline(&past, CLOCK_REALTIME), Err(Errno::ETIMEDOUT.raw()));
        let mut soon = read_clock(CLOCK_REALTIME).unwrap();
        soon.tv_sec += 2;
        let d = deadline(&soon, CLOCK_REALTIME).unwrap();
        let mono = read_clock(CLOCK_MONOTONIC).unwrap();
        assert!((d.tv_sec - mono.tv_sec - 2).abs() <= 1);
        let word = AtomicU32::new(0);
        let mut short = read_clock(CLOCK_MONOTONIC).unwrap();
        short.tv_nsec += 1_000_000;
        if short.tv_nsec >= NANOS {
            short.tv_nsec -= NANOS;
            short.tv_sec += 1;
        }
        loop {
            match sleep(&word, 0, Some(&short), CLOCK_MONOTONIC) {
                Ok(()) => continue,
                Err(e) => {
                    assert_eq!(e, Errno::ETIMEDOUT.raw());
                    break;
                }
            }
        }
    }
}
