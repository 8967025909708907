//! Futexes (phase 3): sleeping until a 32-bit word changes, and waking
//! those who sleep on it. Everything std's `Mutex`, `Condvar`, `RwLock`,
//! `Once` and thread parking do when they have to wait comes down to
//! [`wait`] and [`wake`]; `thread::join` waits on the word the kernel
//! clears when a thread ends ([`wait_shared`]).
//!
//! A wait is `FUTEX_WAIT_BITSET` with a full bit mask (which makes it a
//! plain wait) because only that operation takes an *absolute* deadline on
//! `CLOCK_MONOTONIC`: a wait interrupted by a signal and resumed keeps its
//! original deadline instead of starting a fresh timeout.

use core::sync::atomic::AtomicU32;

use crate::errno::{Errno, Result, check};
use crate::time::{CLOCK_MONOTONIC, clock_gettime, timespec};
use crate::{nr, syscall};

use vibix_uapi::futex::{
    FUTEX_BITSET_MATCH_ANY, FUTEX_PRIVATE_FLAG, FUTEX_WAIT_BITSET, FUTEX_WAKE,
};

const NANOS_PER_SEC: i64 = 1_000_000_000;

// ANCHOR: wait
/// Sleeps while `*futex == expected`, until a [`wake`] on it, a signal,
/// or `deadline` (on `CLOCK_MONOTONIC`; `None`: no deadline).
///
/// `Ok(())` after a wake-up (which may be spurious); `Err(EAGAIN)` if the
/// word did not hold `expected` when the kernel looked (atomically with
/// going to sleep, so no wake-up between the check and the sleep is lost);
/// `Err(ETIMEDOUT)` at the deadline; `Err(EINTR)` after a signal.
pub fn wait(futex: &AtomicU32, expected: u32, deadline: Option<&timespec>) -> Result<()> {
    wait_op(futex, expected, deadline, FUTEX_PRIVATE_FLAG)
}
// ANCHOR_END: wait

/// [`wait`], as a futex shared between processes would be. This is how to
/// wait for the kernel's own wake-up of a thread-id word (`clone`'s
/// `CLONE_CHILD_CLEARTID`), which Linux sends as a shared wake: a private
/// waiter would not be found by it.
pub fn wait_shared(futex: &AtomicU32, expected: u32, deadline: Option<&timespec>) -> Result<()> {
    wait_op(futex, expected, deadline, 0)
}

fn wait_op(
    futex: &AtomicU32,
    expected: u32,
    deadline: Option<&timespec>,
    flags: i32,
) -> Result<()> {
    let deadline = deadline.map_or(core::ptr::null(), |t| t as *const timespec);
    // SAFETY: the kernel reads the 4-byte word (ours, alive for the call)
    // and at most one `timespec`; it writes nothing.
    check(unsafe {
        syscall!(
            nr::FUTEX,
            futex.as_ptr(),
            FUTEX_WAIT_BITSET | flags,
            expected,
            deadline,
            0usize,
            // Every waker matches: a plain wait, with an absolute deadline.
            FUTEX_BITSET_MATCH_ANY
        )
    })
    .map(drop)
}

/// Wakes at most `n` threads sleeping in [`wait`] on `futex`; returns how
/// many woke.
pub fn wake(futex: &AtomicU32, n: u32) -> Result<usize> {
    let n = n.min(i32::MAX as u32);
    // SAFETY: the kernel only uses the word's address to find its waiters.
    check(unsafe {
        syscall!(
            nr::FUTEX,
            futex.as_ptr(),
            FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
            n
        )
    })
}

/// The deadline `secs` seconds and `nanos` nanoseconds from now on
/// `CLOCK_MONOTONIC`, for [`wait`]; `None` if it lies beyond what a
/// `timespec` holds (then there is no deadline), or if the clock fails.
pub fn deadline_after(secs: u64, nanos: u32) -> Option<timespec> {
    add(clock_gettime(CLOCK_MONOTONIC).ok()?, secs, nanos)
}

/// `t` plus `secs` seconds and `nanos` (below one second) nanoseconds;
/// `None` on overflow.
pub fn add(t: timespec, secs: u64, nanos: u32) -> Option<timespec> {
    let mut sec = t.tv_sec.checked_add(i64::try_from(secs).ok()?)?;
    let mut nsec = t.tv_nsec + i64::from(nanos);
    if nsec >= NANOS_PER_SEC {
        nsec -= NANOS_PER_SEC;
        sec = sec.checked_add(1)?;
    }
    Some(timespec {
        tv_sec: sec,
        tv_nsec: nsec,
    })
}

/// Whether a [`wait`] ended at its deadline.
pub fn timed_out(r: Result<()>) -> bool {
    r == Err(Errno::ETIMEDOUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(tv_sec: i64, tv_nsec: i64) -> timespec {
        timespec { tv_sec, tv_nsec }
    }

    #[test]
    fn deadlines_carry_and_saturate() {
        assert_eq!(add(ts(5, 0), 0, 0), Some(ts(5, 0)));
        assert_eq!(add(ts(5, 999_999_999), 0, 1), Some(ts(6, 0)));
        assert_eq!(
            add(ts(5, 600_000_000), 2, 700_000_000),
            Some(ts(8, 300_000_000))
        );
        assert_eq!(add(ts(1, 0), u64::MAX, 0), None, "beyond i64");
        assert_eq!(
            add(ts(i64::MAX, 999_999_999), 0, 1),
            None,
            "the carry overflows"
        );
        assert_eq!(add(ts(0, 0), i64::MAX as u64, 0), Some(ts(i64::MAX, 0)));
    }

    #[test]
    fn timeouts_are_recognized() {
        assert!(timed_out(Err(Errno::ETIMEDOUT)));
        assert!(!timed_out(Err(Errno::EAGAIN)));
        assert!(!timed_out(Ok(())));
    }
}
