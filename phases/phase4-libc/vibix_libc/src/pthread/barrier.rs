//! `<pthread.h>`: barriers: `pthread_barrier_*` (a fixed number of threads
//! wait until all have arrived; one of them is told it is the serial one)
//! and their attributes.
//!
//! A round counter is the futex word: the last thread to arrive resets the
//! arrival count, then bumps the round and wakes everyone; the others
//! sleep until the round they arrived in has passed. A thread arrives in a
//! new round only after it saw the old one end, so after the reset.

use core::sync::atomic::{AtomicU32, Ordering};

use vibix_abi::Errno;

use super::wait::{sleep, wake};
use crate::types::{c_int, c_uint, c_ulong};

/// What `pthread_barrier_wait` returns to the one serial thread.
pub const PTHREAD_BARRIER_SERIAL_THREAD: c_int = -1;

/// A barrier: 32 bytes, glibc's size.
#[repr(C)]
pub struct pthread_barrier_t {
    /// How many threads a round needs.
    pub __count: c_uint,
    /// How many have arrived in this round.
    pub __arrived: c_uint,
    /// The round: the futex word.
    pub __round: c_uint,
    __pad0: c_uint,
    __pad: [c_ulong; 2],
}

/// A barrier's attributes (process-private only).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct pthread_barrierattr_t {
    /// Process-shared (private only, here).
    pub __pshared: c_int,
}

/// Initializes `*b` for `count` threads (attributes: NULL or any);
/// `EINVAL` for 0.
///
/// # Safety
///
/// `b` must point to writable memory not in use.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_barrier_init(
    b: *mut pthread_barrier_t,
    _attr: *const pthread_barrierattr_t,
    count: c_uint,
) -> c_int {
    if count == 0 {
        return Errno::EINVAL.raw();
    }
    // SAFETY: the caller's contract.
    unsafe {
        b.write(pthread_barrier_t {
            __count: count,
            __arrived: 0,
            __round: 0,
            __pad0: 0,
            __pad: [0; 2],
        })
    };
    0
}

/// Destroys `*b` (nothing to free).
///
/// # Safety
///
/// `b` must point to an initialized barrier nobody waits on.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_barrier_destroy(_b: *mut pthread_barrier_t) -> c_int {
    0
}

/// Waits until `count` threads have called this; returns
/// `PTHREAD_BARRIER_SERIAL_THREAD` to one of them, 0 to the others.
///
/// # Safety
///
/// `b` must point to an initialized barrier.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_barrier_wait(b: *mut pthread_barrier_t) -> c_int {
    // SAFETY: aligned words of a live barrier, only ever accessed
    // atomically once it is in use; the count is written only at init.
    let (count, arrived, round) = unsafe {
        (
            (*b).__count,
            AtomicU32::from_ptr(&raw mut (*b).__arrived),
            AtomicU32::from_ptr(&raw mut (*b).__round),
        )
    };
    let mine = round.load(Ordering::Acquire);
    if arrived.fetch_add(1, Ordering::AcqRel) + 1 == count {
        arrived.store(0, Ordering::Relaxed);
        round.fetch_add(1, Ordering::Release);
        wake(round, i32::MAX as u32);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    while round.load(Ordering::Acquire) == mine {
        let _ = sleep(round, mine, None, 0);
    }
    0
}

/// Default attributes.
///
/// # Safety
///
/// `attr` must be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_barrierattr_init(attr: *mut pthread_barrierattr_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { attr.write(pthread_barrierattr_t { __pshared: 0 }) };
    0
}

/// Destroys attributes (nothing to free).
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_barrierattr_destroy(_attr: *mut pthread_barrierattr_t) -> c_int {
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::UnsafeCell;
    use core::mem::{size_of, zeroed};
    use core::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    use std::vec::Vec;

    #[test]
    fn layout_is_glibcs() {
        assert_eq!(
            size_of::<pthread_barrier_t>(),
            size_of::<libc::pthread_barrier_t>()
        );
        assert_eq!(
            align_of::<pthread_barrier_t>(),
            align_of::<libc::pthread_barrier_t>()
        );
        assert_eq!(
            size_of::<pthread_barrierattr_t>(),
            size_of::<libc::pthread_barrierattr_t>()
        );
        assert_eq!(
            PTHREAD_BARRIER_SERIAL_THREAD,
            libc::PTHREAD_BARRIER_SERIAL_THREAD
        );
    }

    struct Shared {
        b: UnsafeCell<pthread_barrier_t>,
        phase: AtomicUsize,
        serial: AtomicUsize,
    }
    // SAFETY: the barrier is used through its atomic operations.
    unsafe impl Sync for Shared {}
    // SAFETY: as above.
    unsafe impl Send for Shared {}

    #[test]
    #[cfg_attr(miri, ignore = "futex system calls")]
    fn rounds_hold_everyone() {
        const THREADS: usize = 4;
        const ROUNDS: usize = 500;
        // SAFETY: plain data, initialized below.
        let s = Arc::new(unsafe {
            Shared {
                b: UnsafeCell::new(zeroed()),
                phase: AtomicUsize::new(0),
                serial: AtomicUsize::new(0),
            }
        });
        // SAFETY: a valid pointer.
        unsafe {
            assert_eq!(
                pthread_barrier_init(s.b.get(), core::ptr::null(), 0),
                Errno::EINVAL.raw()
            );
            assert_eq!(
                pthread_barrier_init(s.b.get(), core::ptr::null(), THREADS as c_uint),
                0
            );
        }
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let s = Arc::clone(&s);
                std::thread::spawn(move || {
                    for round in 0..ROUNDS {
                        s.phase.fetch_add(1, Ordering::SeqCst);
                        // SAFETY: an initialized barrier.
                        let r = unsafe { pthread_barrier_wait(s.b.get()) };
                        // Everyone arrived before anyone left.
                        assert!(s.phase.load(Ordering::SeqCst) >= (round + 1) * THREADS);
                        if r == PTHREAD_BARRIER_SERIAL_THREAD {
                            s.serial.fetch_add(1, Ordering::SeqCst);
                        } else {
                            assert_eq!(r, 0);
                        }
                        // SAFETY: as above: a second barrier per round
                        // keeps the phase check exact.
                        unsafe { pthread_barrier_wait(s.b.get()) };
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(s.serial.load(Ordering::SeqCst), ROUNDS);
        // SAFETY: nobody waits any more.
        assert_eq!(unsafe { pthread_barrier_destroy(s.b.get()) }, 0);
    }
}
