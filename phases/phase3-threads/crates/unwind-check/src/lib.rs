//! Unwinding on vibix, as tests a crate would have: `catch_unwind`, a
//! panicking thread's `join`, `#[should_panic]`, `Drop` during unwinding,
//! a panic's payload and hook. `cargo runner crates --filter unwind-check`
//! runs them on vibix and on Linux; each must pass on both.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts its drops: a value dropped while the stack unwinds.
pub struct Noisy<'a>(pub &'a AtomicUsize);

impl Drop for Noisy<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Panics through `depth` frames, each holding a [`Noisy`].
#[inline(never)]
pub fn panic_deep(depth: u32, drops: &AtomicUsize) {
    let _guard = Noisy(drops);
    if depth == 0 {
        panic!("deep enough");
    }
    panic_deep(depth - 1, drops);
    std::hint::black_box(());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{self, AssertUnwindSafe};

    // ANCHOR: catch_unwind
    #[test]
    fn catch_unwind_returns_the_payload() {
        // A formatted message is a `String` (a constant one, `&str`).
        let n = std::hint::black_box(7);
        let caught = panic::catch_unwind(|| panic!("boom {n}"));
        let payload = caught.unwrap_err();
        assert_eq!(payload.downcast_ref::<String>().unwrap(), "boom 7");
        let caught = panic::catch_unwind(|| std::panic::panic_any(42u8));
        assert_eq!(*caught.unwrap_err().downcast::<u8>().unwrap(), 42);
    }

    #[test]
    fn drops_run_in_every_frame_while_unwinding() {
        let drops = AtomicUsize::new(0);
        let r = panic::catch_unwind(AssertUnwindSafe(|| panic_deep(20, &drops)));
        assert!(r.is_err());
        assert_eq!(drops.load(Ordering::SeqCst), 21);
    }

    #[test]
    fn a_panicking_thread_joins_with_err() {
        let h = std::thread::spawn(|| -> u32 { panic!("in a thread") });
        let err = h.join().unwrap_err();
        assert_eq!(*err.downcast_ref::<&str>().unwrap(), "in a thread");
        // The process goes on; other threads too.
        assert_eq!(std::thread::spawn(|| 5).join().unwrap(), 5);
    }

    #[test]
    #[should_panic(expected = "index out of bounds")]
    fn should_panic_sees_the_message() {
        let v: Vec<u8> = Vec::new();
        let i = std::hint::black_box(3);
        let _ = v[i];
    }
    // ANCHOR_END: catch_unwind

    #[test]
    fn a_poisoned_mutex_after_a_panic_under_its_lock() {
        let m = std::sync::Arc::new(std::sync::Mutex::new(1));
        let m2 = m.clone();
        let _ = std::thread::spawn(move || {
            let _g = m2.lock().unwrap();
            panic!("poison");
        })
        .join();
        assert!(m.is_poisoned());
        assert_eq!(*m.lock().unwrap_err().into_inner(), 1);
    }

    #[test]
    fn resume_unwind_and_the_hook() {
        let r = panic::catch_unwind(|| panic::resume_unwind(Box::new("resumed")));
        assert_eq!(*r.unwrap_err().downcast_ref::<&str>().unwrap(), "resumed");
        assert!(!std::thread::panicking());
    }

    #[test]
    #[ignore = "shows that ignored tests are counted alike"]
    fn ignored() {}
}
