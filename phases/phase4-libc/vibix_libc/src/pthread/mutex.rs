//! `<pthread.h>`: mutexes: `pthread_mutex_*` and their attributes
//! (`pthread_mutexattr_*`), of the three kinds: normal (relocking
//! deadlocks), recursive (counts), error-checking (`EDEADLK` on relocking,
//! `EPERM` on unlocking a mutex the thread does not hold), as glibc.
//!
//! The lock word is the classic three-state futex lock: 0 unlocked, 1
//! locked, 2 locked with (possibly) sleepers; an unlock that finds 2 wakes
//! one sleeper, and a thread that has slept locks with 2, so no wake-up is
//! lost.
//!
//! ```c
//! #define PTHREAD_MUTEX_INITIALIZER { 0 }
//! ```

use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use vibix_abi::Errno;
use vibix_uapi::time::{CLOCK_REALTIME, Timespec};

use super::wait::{me, sleep, wake};
use crate::types::{c_int, c_uint, c_ulong};

/// A plain mutex: relocking it deadlocks.
pub const PTHREAD_MUTEX_NORMAL: c_int = 0;
/// A mutex its holder may lock again (and must unlock as often).
pub const PTHREAD_MUTEX_RECURSIVE: c_int = 1;
/// A mutex that reports misuse.
pub const PTHREAD_MUTEX_ERRORCHECK: c_int = 2;
/// The default kind: normal.
pub const PTHREAD_MUTEX_DEFAULT: c_int = 0;
/// Shared by the threads of one process only.
pub const PTHREAD_PROCESS_PRIVATE: c_int = 0;
/// Shared between processes (not supported).
pub const PTHREAD_PROCESS_SHARED: c_int = 1;

/// A mutex: 40 bytes, glibc's size; the kind at glibc's offset (16), so
/// glibc's static initializers of the other kinds work too.
#[repr(C)]
pub struct pthread_mutex_t {
    /// The lock word: 0, 1 or 2.
    pub __lock: c_uint,
    /// How many more times the holder of a recursive mutex locked it.
    pub __count: c_uint,
    /// The holder's owner id, or 0.
    pub __owner: c_ulong,
    /// The kind.
    pub __kind: c_int,
    __pad: [c_int; 5],
}

/// A mutex's attributes: its kind.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct pthread_mutexattr_t {
    /// The kind.
    pub __kind: c_int,
}

/// The parts of `*m`, as atomics.
///
/// # Safety
///
/// `m` must point to a live, initialized mutex.
unsafe fn parts<'a>(
    m: *mut pthread_mutex_t,
) -> (&'a AtomicU32, &'a AtomicU32, &'a AtomicUsize, c_int) {
    // SAFETY: the fields are aligned words of a live mutex, only ever
    // accessed atomically by this library (C does not touch them while
    // the mutex is in use); the kind is written only at init.
    unsafe {
        (
            AtomicU32::from_ptr(&raw mut (*m).__lock),
            AtomicU32::from_ptr(&raw mut (*m).__count),
            AtomicUsize::from_ptr((&raw mut (*m).__owner).cast()),
            (*m).__kind & 3,
        )
    }
}

/// Takes the lock word, sleeping if need be, until `abstime` (on
/// `CLOCK_REALTIME`) if given.
fn lock_word(word: &AtomicU32, abstime: Option<&Timespec>) -> Result<(), c_int> {
    if word
        .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
    {
        return Ok(());
    }
    loop {
        if word.swap(2, Ordering::Acquire) == 0 {
            return Ok(());
        }
        sleep(word, 2, abstime, CLOCK_REALTIME)?;
    }
}

/// Releases the lock word, waking a sleeper if there may be one.
fn unlock_word(word: &AtomicU32) {
    if word.swap(0, Ordering::Release) == 2 {
        wake(word, 1);
    }
}

/// Initializes `*m` with the attributes `*attr` (NULL: the default).
///
/// # Safety
///
/// `m` must point to writable memory for a mutex not in use; `attr` be
/// NULL or point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutex_init(
    m: *mut pthread_mutex_t,
    attr: *const pthread_mutexattr_t,
) -> c_int {
    let kind = if attr.is_null() {
        0
    } else {
        // SAFETY: the caller's contract.
        unsafe { (*attr).__kind }
    };
    // SAFETY: the caller's contract.
    unsafe {
        m.write(pthread_mutex_t {
            __lock: 0,
            __count: 0,
            __owner: 0,
            __kind: kind,
            __pad: [0; 5],
        })
    };
    0
}

/// Destroys `*m`: `EBUSY` if it is locked.
///
/// # Safety
///
/// `m` must point to an initialized mutex.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutex_destroy(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's contract.
    let (word, ..) = unsafe { parts(m) };
    if word.load(Ordering::Relaxed) != 0 {
        return Errno::EBUSY.raw();
    }
    0
}

/// Locks `*m`, until `abstime` if given.
///
/// # Safety
///
/// `m` must point to an initialized mutex.
unsafe fn lock(m: *mut pthread_mutex_t, abstime: Option<&Timespec>) -> c_int {
    // SAFETY: the caller's contract.
    let (word, count, owner, kind) = unsafe { parts(m) };
    let me = me();
    if kind != PTHREAD_MUTEX_NORMAL && owner.load(Ordering::Relaxed) == me {
        if kind == PTHREAD_MUTEX_ERRORCHECK {
            return Errno::EDEADLK.raw();
        }
        if kind == PTHREAD_MUTEX_RECURSIVE {
            let c = count.load(Ordering::Relaxed);
            if c == u32::MAX {
                return Errno::EAGAIN.raw();
            }
            count.store(c + 1, Ordering::Relaxed);
            return 0;
        }
    }
    match lock_word(word, abstime) {
        Ok(()) => {
            owner.store(me, Ordering::Relaxed);
            0
        }
        Err(e) => e,
    }
}

/// Locks `*m`, waiting as long as it takes.
///
/// # Safety
///
/// `m` must point to an initialized mutex.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutex_lock(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { lock(m, None) }
}

/// Locks `*m`, waiting at most until `*abstime` on `CLOCK_REALTIME`
/// (`ETIMEDOUT`).
///
/// # Safety
///
/// `m` must point to an initialized mutex, `abstime` to a `timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutex_timedlock(
    m: *mut pthread_mutex_t,
    abstime: *const Timespec,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { lock(m, Some(&*abstime)) }
}

/// Locks `*m` if that needs no waiting, else `EBUSY`.
///
/// # Safety
///
/// `m` must point to an initialized mutex.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutex_trylock(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's contract.
    let (word, count, owner, kind) = unsafe { parts(m) };
    let me = me();
    if kind == PTHREAD_MUTEX_RECURSIVE && owner.load(Ordering::Relaxed) == me {
        let c = count.load(Ordering::Relaxed);
        if c == u32::MAX {
            return Errno::EAGAIN.raw();
        }
        count.store(c + 1, Ordering::Relaxed);
        return 0;
    }
    if word
        .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        return Errno::EBUSY.raw();
    }
    owner.store(me, Ordering::Relaxed);
    0
}

/// Unlocks `*m`; `EPERM` if the thread does not hold a recursive or
/// error-checking mutex.
///
/// # Safety
///
/// `m` must point to an initialized mutex.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutex_unlock(m: *mut pthread_mutex_t) -> c_int {
    // SAFETY: the caller's contract.
    let (word, count, owner, kind) = unsafe { parts(m) };
    if kind != PTHREAD_MUTEX_NORMAL {
        if owner.load(Ordering::Relaxed) != me() {
            return Errno::EPERM.raw();
        }
        let c = count.load(Ordering::Relaxed);
        if kind == PTHREAD_MUTEX_RECURSIVE && c > 0 {
            count.store(c - 1, Ordering::Relaxed);
            return 0;
        }
    }
    owner.store(0, Ordering::Relaxed);
    unlock_word(word);
    0
}

/// Default attributes: a normal mutex.
///
/// # Safety
///
/// `attr` must point to writable attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutexattr_init(attr: *mut pthread_mutexattr_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { attr.write(pthread_mutexattr_t { __kind: 0 }) };
    0
}

/// Destroys attributes (nothing to free).
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutexattr_destroy(_attr: *mut pthread_mutexattr_t) -> c_int {
    0
}

/// Sets the kind (`PTHREAD_MUTEX_*`); `EINVAL` for another value.
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutexattr_settype(
    attr: *mut pthread_mutexattr_t,
    kind: c_int,
) -> c_int {
    if !(0..=3).contains(&kind) {
        return Errno::EINVAL.raw();
    }
    // SAFETY: the caller's contract.
    unsafe { (*attr).__kind = kind };
    0
}

/// The kind, into `*kind`.
///
/// # Safety
///
/// `attr` must point to initialized attributes, `kind` be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutexattr_gettype(
    attr: *const pthread_mutexattr_t,
    kind: *mut c_int,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { kind.write((*attr).__kind) };
    0
}

/// Whether the mutex may be shared between processes: only private ones
/// are (`ENOTSUP`, which is `EOPNOTSUPP`, for shared).
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_mutexattr_setpshared(
    _attr: *mut pthread_mutexattr_t,
    pshared: c_int,
) -> c_int {
    match pshared {
        PTHREAD_PROCESS_PRIVATE => 0,
        PTHREAD_PROCESS_SHARED => Errno::EOPNOTSUPP.raw(),
        _ => Errno::EINVAL.raw(),
    }
}

#[cfg(test)]
mod tests;
