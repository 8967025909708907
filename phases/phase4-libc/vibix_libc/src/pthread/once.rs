//! `<pthread.h>`: one-time initialization: `pthread_once`.
//!
//! The control word is 0 (not run), 1 (running), 3 (running, with
//! sleepers) or 2 (done); late callers sleep on it until the first one
//! has finished.

use core::sync::atomic::{AtomicU32, Ordering};

use super::wait::{sleep, wake};
use crate::types::c_int;

/// The control of a `pthread_once`: `PTHREAD_ONCE_INIT` (0) at first.
pub type pthread_once_t = c_int;

/// The initial value of a `pthread_once_t`.
pub const PTHREAD_ONCE_INIT: c_int = 0;

const RUNNING: u32 = 1;
const DONE: u32 = 2;
const WAITED: u32 = 3;

/// Runs `init` once for `*once`, whoever calls first; every caller returns
/// after it has finished.
///
/// # Safety
///
/// `once` must point to a `pthread_once_t` that started as
/// `PTHREAD_ONCE_INIT`; `init` must be callable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_once(
    once: *mut pthread_once_t,
    init: Option<unsafe extern "C" fn()>,
) -> c_int {
    // SAFETY: an aligned word only ever accessed atomically.
    let word = unsafe { AtomicU32::from_ptr(once.cast()) };
    loop {
        match word.load(Ordering::Acquire) {
            DONE => return 0,
            0 => {
                if word
                    .compare_exchange(0, RUNNING, Ordering::Acquire, Ordering::Acquire)
                    .is_ok()
                {
                    if let Some(f) = init {
                        // SAFETY: the caller's contract.
                        unsafe { f() };
                    }
                    if word.swap(DONE, Ordering::Release) == WAITED {
                        wake(word, i32::MAX as u32);
                    }
                    return 0;
                }
            }
            RUNNING => {
                let _ =
                    word.compare_exchange(RUNNING, WAITED, Ordering::Relaxed, Ordering::Relaxed);
            }
            _ => {
                let _ = sleep(word, WAITED, None, 0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    use std::vec::Vec;

    static RUNS: AtomicUsize = AtomicUsize::new(0);

    unsafe extern "C" fn slow_init() {
        std::thread::sleep(std::time::Duration::from_millis(20));
        RUNS.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    #[cfg_attr(miri, ignore = "futex system calls")]
    fn runs_once_and_everyone_waits() {
        let once = Arc::new(AtomicU32::new(PTHREAD_ONCE_INIT as u32));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let once = Arc::clone(&once);
                std::thread::spawn(move || {
                    // SAFETY: a live control word that started at 0.
                    let r = unsafe { pthread_once(once.as_ptr().cast(), Some(slow_init)) };
                    assert_eq!(r, 0);
                    RUNS.load(Ordering::SeqCst)
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), 1, "returned only after the run");
        }
        assert_eq!(once.load(Ordering::SeqCst), DONE);
    }
}
