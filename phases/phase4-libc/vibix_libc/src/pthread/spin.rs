//! `<pthread.h>`: spin locks: `pthread_spin_*` (busy-waiting; for very
//! short critical sections).

use core::sync::atomic::{AtomicI32, Ordering};

use vibix_abi::Errno;

use crate::types::c_int;

/// A spin lock: 0 free, 1 held (glibc's `int`).
pub type pthread_spinlock_t = c_int;

/// The lock word.
///
/// # Safety
///
/// `l` must point to a live spin lock.
unsafe fn word<'a>(l: *mut pthread_spinlock_t) -> &'a AtomicI32 {
    // SAFETY: an aligned word only ever accessed atomically.
    unsafe { AtomicI32::from_ptr(l) }
}

/// Initializes `*l`, free (`pshared` is ignored).
///
/// # Safety
///
/// `l` must point to writable memory not in use.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_spin_init(l: *mut pthread_spinlock_t, _pshared: c_int) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { l.write(0) };
    0
}

/// Destroys `*l` (nothing to free).
///
/// # Safety
///
/// `l` must point to a spin lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_spin_destroy(_l: *mut pthread_spinlock_t) -> c_int {
    0
}

/// Takes `*l`, spinning until it is free.
///
/// # Safety
///
/// `l` must point to an initialized spin lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_spin_lock(l: *mut pthread_spinlock_t) -> c_int {
    // SAFETY: the caller's contract.
    let w = unsafe { word(l) };
    while w
        .compare_exchange_weak(0, 1, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        while w.load(Ordering::Relaxed) != 0 {
            core::hint::spin_loop();
        }
    }
    0
}

/// Takes `*l` if it is free, else `EBUSY`.
///
/// # Safety
///
/// `l` must point to an initialized spin lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_spin_trylock(l: *mut pthread_spinlock_t) -> c_int {
    // SAFETY: the caller's contract.
    let w = unsafe { word(l) };
    match w.compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed) {
        Ok(_) => 0,
        Err(_) => Errno::EBUSY.raw(),
    }
}

/// Releases `*l`.
///
/// # Safety
///
/// `l` must point to a spin lock the caller holds.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_spin_unlock(l: *mut pthread_spinlock_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { word(l) }.store(0, Ordering::Release);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_and_try() {
        let mut l: pthread_spinlock_t = 5;
        // SAFETY: a live lock.
        unsafe {
            assert_eq!(pthread_spin_init(&mut l, 0), 0);
            assert_eq!(pthread_spin_lock(&mut l), 0);
            assert_eq!(pthread_spin_trylock(&mut l), Errno::EBUSY.raw());
            assert_eq!(pthread_spin_unlock(&mut l), 0);
            assert_eq!(pthread_spin_trylock(&mut l), 0);
            assert_eq!(pthread_spin_unlock(&mut l), 0);
            assert_eq!(pthread_spin_destroy(&mut l), 0);
        }
    }
}
