//! `<pthread.h>`: condition variables: `pthread_cond_*` and their
//! attributes (`pthread_condattr_*`: the clock of timed waits,
//! `CLOCK_REALTIME` by default or `CLOCK_MONOTONIC`).
//!
//! A sequence number is the futex word: a waiter reads it while it still
//! holds the mutex, unlocks, and sleeps only while the number is
//! unchanged; `signal` and `broadcast` bump it before waking. A wake-up
//! between the unlock and the sleep changes the number, so the sleep does
//! not begin: none is lost (a waiter may wake spuriously, which POSIX
//! allows).
//!
//! ```c
//! #define PTHREAD_COND_INITIALIZER { 0 }
//! ```

use core::sync::atomic::{AtomicU32, Ordering};

use vibix_abi::Errno;
use vibix_uapi::time::{CLOCK_MONOTONIC, CLOCK_REALTIME, Timespec};

use super::mutex::{pthread_mutex_lock, pthread_mutex_t, pthread_mutex_unlock};
use super::wait::{sleep, wake};
use crate::types::{c_int, c_uint, c_ulong, clockid_t};

/// A condition variable: 48 bytes, glibc's size.
#[repr(C)]
pub struct pthread_cond_t {
    /// The sequence number sleepers wait on.
    pub __seq: c_uint,
    /// The clock of timed waits (`CLOCK_REALTIME`, 0, by default).
    pub __clock: c_int,
    __pad: [c_ulong; 5],
}

/// A condition variable's attributes: the clock.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct pthread_condattr_t {
    /// The clock of timed waits.
    pub __clock: c_int,
}

/// The sequence word of `*c`.
///
/// # Safety
///
/// `c` must point to a live, initialized condition variable.
unsafe fn seq<'a>(c: *mut pthread_cond_t) -> &'a AtomicU32 {
    // SAFETY: an aligned word only ever accessed atomically.
    unsafe { AtomicU32::from_ptr(&raw mut (*c).__seq) }
}

/// Initializes `*c` with the attributes `*attr` (NULL: the default).
///
/// # Safety
///
/// `c` must point to writable memory not in use; `attr` be NULL or point
/// to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_cond_init(
    c: *mut pthread_cond_t,
    attr: *const pthread_condattr_t,
) -> c_int {
    let clock = if attr.is_null() {
        CLOCK_REALTIME
    } else {
        // SAFETY: the caller's contract.
        unsafe { (*attr).__clock }
    };
    // SAFETY: the caller's contract.
    unsafe {
        c.write(pthread_cond_t {
            __seq: 0,
            __clock: clock,
            __pad: [0; 5],
        })
    };
    0
}

/// Destroys `*c` (nothing to free).
///
/// # Safety
///
/// `c` must point to an initialized condition variable nobody waits on.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_cond_destroy(_c: *mut pthread_cond_t) -> c_int {
    0
}

/// Unlocks `*m`, waits for a signal (or `abstime`), locks `*m` again.
///
/// # Safety
///
/// `c` and `m` must point to initialized objects, `m` locked by the
/// caller.
unsafe fn wait(
    c: *mut pthread_cond_t,
    m: *mut pthread_mutex_t,
    abstime: Option<&Timespec>,
) -> c_int {
    // SAFETY: the caller's contract.
    let (word, clock) = unsafe { (seq(c), (*c).__clock) };
    if let Some(t) = abstime
        && !(0..1_000_000_000).contains(&t.tv_nsec)
    {
        return Errno::EINVAL.raw();
    }
    let before = word.load(Ordering::SeqCst);
    // SAFETY: the caller's contract.
    let r = unsafe { pthread_mutex_unlock(m) };
    if r != 0 {
        return r;
    }
    let slept = sleep(word, before, abstime, clock);
    // SAFETY: the caller's contract.
    let r = unsafe { pthread_mutex_lock(m) };
    if r != 0 {
        return r;
    }
    match slept {
        // A time that passed while the waiter slept, or before: the
        // waiter was not signalled (if the number moved, it was).
        Err(e) if word.load(Ordering::SeqCst) == before => e,
        _ => 0,
    }
}

/// Waits on `*c`, unlocking `*m` meanwhile.
///
/// # Safety
///
/// `c` and `m` must point to initialized objects, `m` locked by the
/// caller.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_cond_wait(
    c: *mut pthread_cond_t,
    m: *mut pthread_mutex_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { wait(c, m, None) }
}

/// [`pthread_cond_wait`] until at most `*abstime` on the variable's clock
/// (`ETIMEDOUT`, with `*m` locked again).
///
/// # Safety
///
/// As for [`pthread_cond_wait`]; `abstime` must point to a `timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_cond_timedwait(
    c: *mut pthread_cond_t,
    m: *mut pthread_mutex_t,
    abstime: *const Timespec,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { wait(c, m, Some(&*abstime)) }
}

/// Wakes one waiter of `*c`, if any.
///
/// # Safety
///
/// `c` must point to an initialized condition variable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_cond_signal(c: *mut pthread_cond_t) -> c_int {
    // SAFETY: the caller's contract.
    let word = unsafe { seq(c) };
    word.fetch_add(1, Ordering::SeqCst);
    wake(word, 1);
    0
}

/// Wakes every waiter of `*c`.
///
/// # Safety
///
/// `c` must point to an initialized condition variable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_cond_broadcast(c: *mut pthread_cond_t) -> c_int {
    // SAFETY: the caller's contract.
    let word = unsafe { seq(c) };
    word.fetch_add(1, Ordering::SeqCst);
    wake(word, i32::MAX as u32);
    0
}

/// Default attributes: `CLOCK_REALTIME`.
///
/// # Safety
///
/// `attr` must point to writable attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_condattr_init(attr: *mut pthread_condattr_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        attr.write(pthread_condattr_t {
            __clock: CLOCK_REALTIME,
        })
    };
    0
}

/// Destroys attributes (nothing to free).
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_condattr_destroy(_attr: *mut pthread_condattr_t) -> c_int {
    0
}

/// Sets the clock of timed waits: `CLOCK_REALTIME` or `CLOCK_MONOTONIC`,
/// else `EINVAL`.
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_condattr_setclock(
    attr: *mut pthread_condattr_t,
    clock: clockid_t,
) -> c_int {
    if clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC {
        return Errno::EINVAL.raw();
    }
    // SAFETY: the caller's contract.
    unsafe { (*attr).__clock = clock };
    0
}

/// The clock of timed waits, into `*clock`.
///
/// # Safety
///
/// `attr` must point to initialized attributes, `clock` be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_condattr_getclock(
    attr: *const pthread_condattr_t,
    clock: *mut clockid_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { clock.write((*attr).__clock) };
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pthread::mutex::pthread_mutex_init;
    use core::cell::UnsafeCell;
    use core::mem::{size_of, zeroed};
    use std::collections::VecDeque;
    use std::sync::Arc;
    use std::vec::Vec;

    #[test]
    fn layout_is_glibcs() {
        assert_eq!(
            size_of::<pthread_cond_t>(),
            size_of::<libc::pthread_cond_t>()
        );
        assert_eq!(
            align_of::<pthread_cond_t>(),
            align_of::<libc::pthread_cond_t>()
        );
        assert_eq!(
            size_of::<pthread_condattr_t>(),
            size_of::<libc::pthread_condattr_t>()
        );
        // SAFETY: plain data.
        let z: [u8; 48] = unsafe { core::mem::transmute(libc::PTHREAD_COND_INITIALIZER) };
        assert_eq!(z, [0; 48]);
    }

    #[test]
    fn attributes() {
        // SAFETY: valid pointers.
        unsafe {
            let mut a = pthread_condattr_t { __clock: 9 };
            pthread_condattr_init(&mut a);
            let mut c = -1;
            pthread_condattr_getclock(&a, &mut c);
            assert_eq!(c, CLOCK_REALTIME);
            assert_eq!(pthread_condattr_setclock(&mut a, 2), Errno::EINVAL.raw());
            assert_eq!(pthread_condattr_setclock(&mut a, CLOCK_MONOTONIC), 0);
            let mut cv: pthread_cond_t = zeroed();
            pthread_cond_init(&mut cv, &a);
            assert_eq!(cv.__clock, CLOCK_MONOTONIC);
            assert_eq!(pthread_condattr_destroy(&mut a), 0);
        }
    }

    struct Queue {
        m: UnsafeCell<pthread_mutex_t>,
        c: UnsafeCell<pthread_cond_t>,
        items: UnsafeCell<VecDeque<u32>>,
    }
    // SAFETY: `items` is only touched with the mutex held.
    unsafe impl Sync for Queue {}
    // SAFETY: as above.
    unsafe impl Send for Queue {}

    #[test]
    #[cfg_attr(miri, ignore = "futex system calls")]
    fn producers_and_consumers() {
        // SAFETY: zeroed objects are the static initializers.
        let q = Arc::new(unsafe {
            Queue {
                m: UnsafeCell::new(zeroed()),
                c: UnsafeCell::new(zeroed()),
                items: UnsafeCell::new(VecDeque::new()),
            }
        });
        const EACH: u32 = 5_000;
        let consumers: Vec<_> = (0..3)
            .map(|_| {
                let q = Arc::clone(&q);
                std::thread::spawn(move || {
                    let mut sum = 0u64;
                    // SAFETY: the mutex guards the queue.
                    unsafe {
                        pthread_mutex_lock(q.m.get());
                        loop {
                            match (*q.items.get()).pop_front() {
                                Some(0) => break,
                                Some(v) => sum += u64::from(v),
                                None => assert_eq!(pthread_cond_wait(q.c.get(), q.m.get()), 0),
                            }
                        }
                        pthread_mutex_unlock(q.m.get());
                    }
                    sum
                })
            })
            .collect();
        let producers: Vec<_> = (0..2)
            .map(|_| {
                let q = Arc::clone(&q);
                std::thread::spawn(move || {
                    for v in 1..=EACH {
                        // SAFETY: the mutex guards the queue.
                        unsafe {
                            pthread_mutex_lock(q.m.get());
                            (*q.items.get()).push_back(v);
                            pthread_cond_signal(q.c.get());
                            pthread_mutex_unlock(q.m.get());
                        }
                    }
                })
            })
            .collect();
        for p in producers {
            p.join().unwrap();
        }
        // SAFETY: the mutex guards the queue.
        unsafe {
            pthread_mutex_lock(q.m.get());
            for _ in 0..3 {
                (*q.items.get()).push_back(0);
            }
            pthread_cond_broadcast(q.c.get());
            pthread_mutex_unlock(q.m.get());
        }
        let total: u64 = consumers.into_iter().map(|c| c.join().unwrap()).sum();
        assert_eq!(total, 2 * u64::from(EACH) * u64::from(EACH + 1) / 2);
    }

    #[test]
    #[cfg_attr(miri, ignore = "futex system calls")]
    fn timed_waits_time_out_on_either_clock() {
        // SAFETY: valid pointers; zeroed objects are initializers.
        unsafe {
            let mut m: pthread_mutex_t = zeroed();
            pthread_mutex_init(&mut m, core::ptr::null());
            for clock in [CLOCK_REALTIME, CLOCK_MONOTONIC] {
                let mut a: pthread_condattr_t = zeroed();
                pthread_condattr_init(&mut a);
                pthread_condattr_setclock(&mut a, clock);
                let mut c: pthread_cond_t = zeroed();
                pthread_cond_init(&mut c, &a);
                let mut t = crate::time::clock::read_clock(clock).unwrap();
                t.tv_nsec += 10_000_000;
                if t.tv_nsec >= 1_000_000_000 {
                    t.tv_nsec -= 1_000_000_000;
                    t.tv_sec += 1;
                }
                pthread_mutex_lock(&mut m);
                assert_eq!(
                    pthread_cond_timedwait(&mut c, &mut m, &t),
                    Errno::ETIMEDOUT.raw()
                );
                let now = crate::time::clock::read_clock(clock).unwrap();
                assert!((now.tv_sec, now.tv_nsec) >= (t.tv_sec, t.tv_nsec));
                assert_eq!(
                    pthread_mutex_trylock(&mut m),
                    Errno::EBUSY.raw(),
                    "locked again"
                );
                let bad = Timespec {
                    tv_sec: 0,
                    tv_nsec: 2_000_000_000,
                };
                assert_eq!(
                    pthread_cond_timedwait(&mut c, &mut m, &bad),
                    Errno::EINVAL.raw()
                );
                pthread_mutex_unlock(&mut m);
            }
        }
    }

    use crate::pthread::mutex::pthread_mutex_trylock;
}
