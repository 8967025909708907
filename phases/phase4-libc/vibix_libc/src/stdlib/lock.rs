//! (internal) A small spin lock for the library's global state (the
//! environment, `atexit` handlers, `rand`'s state): held only for a few
//! instructions, it yields the CPU to the holder if it has to wait long.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};

/// A value reached only with the lock held.
pub(crate) struct Lock<T> {
    busy: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is only reached through `with`, which holds the lock.
unsafe impl<T: Send> Sync for Lock<T> {}

impl<T> Lock<T> {
    /// An unlocked `value`.
    pub(crate) const fn new(value: T) -> Lock<T> {
        Lock {
            busy: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` on the value, with the lock held. `f` must not take the
    /// same lock again (it would spin forever).
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut spins = 0u32;
        while self
            .busy
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spins = spins.wrapping_add(1);
            #[cfg(target_os = "vibix")]
            if spins % 64 == 0 {
                vibix_abi::thread::yield_now();
                continue;
            }
            core::hint::spin_loop();
        }
        // SAFETY: the lock is ours: no other reference to the value exists.
        let result = f(unsafe { &mut *self.value.get() });
        self.busy.store(false, Ordering::Release);
        result
    }
}
