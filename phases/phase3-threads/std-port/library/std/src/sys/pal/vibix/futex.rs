//! vibix: the futex interface std's own futex-based primitives expect
//! (`sys/sync`: `Mutex`, `Condvar`, `RwLock`, `Once`, thread parking), over
//! `vibix_abi::futex`. A 32-bit word for every one of them, as on Linux.

use crate::sync::atomic::Atomic;
use crate::sync::atomic::Ordering::Relaxed;
use crate::time::Duration;
use vibix_abi::Errno;

/// An atomic for use as a futex that is at least 32-bits but may be larger
pub type Futex = Atomic<Primitive>;
/// Must be the underlying type of Futex
pub type Primitive = u32;

/// An atomic for use as a futex that is at least 8-bits but may be larger.
pub type SmallFutex = Atomic<SmallPrimitive>;
/// Must be the underlying type of SmallFutex
pub type SmallPrimitive = u32;

// ANCHOR: futex_wait
/// Sleeps while `futex` holds `expected`, until a wake-up or `timeout`.
/// Returns `false` only when the timeout passed.
///
/// The timeout becomes a deadline on `CLOCK_MONOTONIC` once, before the
/// first wait, so a wait that a signal interrupts resumes with what is left
/// of it; a timeout too large for a deadline is no timeout.
pub fn futex_wait(futex: &Atomic<u32>, expected: u32, timeout: Option<Duration>) -> bool {
    let deadline =
        timeout.and_then(|d| vibix_abi::futex::deadline_after(d.as_secs(), d.subsec_nanos()));
    loop {
        // No need to wait if the value already changed.
        if futex.load(Relaxed) != expected {
            return true;
        }
        match vibix_abi::futex::wait(futex, expected, deadline.as_ref()) {
            Err(Errno::EINTR) => continue,
            r => return !vibix_abi::futex::timed_out(r),
        }
    }
}
// ANCHOR_END: futex_wait

/// Wakes one thread waiting on `futex`; whether one woke.
#[inline]
pub fn futex_wake(futex: &Atomic<u32>) -> bool {
    vibix_abi::futex::wake(futex, 1).is_ok_and(|n| n > 0)
}

/// Wakes every thread waiting on `futex`.
#[inline]
pub fn futex_wake_all(futex: &Atomic<u32>) {
    let _ = vibix_abi::futex::wake(futex, i32::MAX as u32);
}
