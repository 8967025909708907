//! `<pthread.h>`: fork handlers, `pthread_atfork`. `fork` runs every
//! `prepare` handler before the copy, the last registered first, then
//! every `parent` (in the parent) or `child` (in the child) handler in the
//! order of registration, as POSIX says. The table has room for
//! [`CAPACITY`] registrations; one more is `ENOMEM`.

use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

use crate::types::c_int;

/// A handler: `void (*)(void)`, or NULL.
pub type Handler = Option<unsafe extern "C" fn()>;

/// How many registrations the table holds.
pub const CAPACITY: usize = 64;

/// The handlers (NULL: none), three per registration; pointers, not
/// integers, so that they keep their provenance.
static TABLE: [[AtomicPtr<()>; 3]; CAPACITY] =
    [const { [const { AtomicPtr::new(core::ptr::null_mut()) }; 3] }; CAPACITY];
/// How many registrations there are (entries below it are complete).
static COUNT: AtomicUsize = AtomicUsize::new(0);
/// Held while registering.
static LOCK: AtomicBool = AtomicBool::new(false);

/// Registers `prepare`, `parent` and `child` (each may be NULL).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn pthread_atfork(prepare: Handler, parent: Handler, child: Handler) -> c_int {
    while LOCK
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        core::hint::spin_loop();
    }
    let n = COUNT.load(Ordering::Relaxed);
    let result = if n == CAPACITY {
        vibix_uapi::errno::ENOMEM
    } else {
        for (slot, h) in TABLE[n].iter().zip([prepare, parent, child]) {
            slot.store(
                h.map_or(core::ptr::null_mut(), |f| f as *mut ()),
                Ordering::Relaxed,
            );
        }
        COUNT.store(n + 1, Ordering::Release);
        0
    };
    LOCK.store(false, Ordering::Release);
    result
}

/// Which handlers to run.
#[derive(Clone, Copy)]
pub(crate) enum Stage {
    Prepare = 0,
    Parent = 1,
    Child = 2,
}

/// Runs the handlers of `stage` (see the module's comment for the order).
pub(crate) fn run(stage: Stage) {
    let n = COUNT.load(Ordering::Acquire);
    let call = |i: usize| {
        let ptr = TABLE[i][stage as usize].load(Ordering::Relaxed);
        if !ptr.is_null() {
            // SAFETY: only `pthread_atfork` stores here, and it stores a
            // `void (*)(void)` its caller gave, as a pointer.
            let f: unsafe extern "C" fn() = unsafe { core::mem::transmute(ptr) };
            // SAFETY: the program registered it to be called here.
            unsafe { f() };
        }
    };
    match stage {
        Stage::Prepare => (0..n).rev().for_each(call),
        Stage::Parent | Stage::Child => (0..n).for_each(call),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::AtomicU32;

    /// The calls so far, one decimal digit each, in order.
    static SEEN: AtomicU32 = AtomicU32::new(0);

    std::thread_local! {
        /// Set in this test's thread only: the other tests' `fork`s run
        /// the handlers too (the table is the process's).
        static RECORDING: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
    }

    fn note(d: u32) {
        if RECORDING.with(|r| r.get()) {
            SEEN.store(SEEN.load(Ordering::Relaxed) * 10 + d, Ordering::Relaxed);
        }
    }
    extern "C" fn p1() {
        note(1)
    }
    extern "C" fn p2() {
        note(2)
    }
    extern "C" fn a1() {
        note(3)
    }
    extern "C" fn a2() {
        note(4)
    }
    extern "C" fn c2() {
        note(5)
    }

    #[test]
    fn prepare_runs_backwards_the_others_forwards() {
        assert_eq!(pthread_atfork(Some(p1), Some(a1), None), 0);
        assert_eq!(pthread_atfork(Some(p2), Some(a2), Some(c2)), 0);
        RECORDING.with(|r| r.set(true));
        run(Stage::Prepare);
        run(Stage::Parent);
        run(Stage::Child);
        RECORDING.with(|r| r.set(false));
        assert_eq!(SEEN.load(Ordering::Relaxed), 21_345);
    }
}
