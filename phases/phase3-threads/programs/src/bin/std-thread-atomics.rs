//! Atomics between threads: `fetch_add` from four threads is exact, a spin
//! lock built on `compare_exchange` protects plain data, and a release
//! store / acquire load pair publishes data written before it.

use std::cell::UnsafeCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread;

/// A minimal spin lock, to exercise `compare_exchange` under contention.
struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is only reached while `locked` is held.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            thread::yield_now();
        }
        // SAFETY: the lock is held, so this is the only reference.
        let r = f(unsafe { &mut *self.value.get() });
        self.locked.store(false, Ordering::Release);
        r
    }
}

fn main() {
    let counter = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let c = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..250_000 {
                    c.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    hs.into_iter().for_each(|h| h.join().unwrap());
    println!(
        "fetch_add from 4 threads: {}",
        counter.load(Ordering::Relaxed)
    );

    let lock = Arc::new(SpinLock {
        locked: AtomicBool::new(false),
        value: UnsafeCell::new(Vec::new()),
    });
    let hs: Vec<_> = (0..4u64)
        .map(|t| {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                for i in 0..500 {
                    lock.with(|v| v.push(t * 1000 + i));
                }
            })
        })
        .collect();
    hs.into_iter().for_each(|h| h.join().unwrap());
    let (len, sum) = lock.with(|v| (v.len(), v.iter().sum::<u64>()));
    println!("spin lock: {len} pushes, sum {sum}");

    // Message passing: data written before a Release store is visible
    // after the Acquire load that sees it.
    let data = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(AtomicBool::new(false));
    let reader = {
        let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
        thread::spawn(move || {
            while !ready.load(Ordering::Acquire) {
                std::hint::spin_loop();
                thread::yield_now();
            }
            data.load(Ordering::Relaxed)
        })
    };
    data.store(0xC0FFEE, Ordering::Relaxed);
    ready.store(true, Ordering::Release);
    println!("published: {:#x}", reader.join().unwrap());

    let max = Arc::new(AtomicU64::new(0));
    let hs: Vec<_> = (1..=8u64)
        .map(|t| {
            let max = Arc::clone(&max);
            thread::spawn(move || {
                max.fetch_max(t * 11, Ordering::SeqCst);
            })
        })
        .collect();
    hs.into_iter().for_each(|h| h.join().unwrap());
    println!("fetch_max: {}", max.load(Ordering::SeqCst));
}
