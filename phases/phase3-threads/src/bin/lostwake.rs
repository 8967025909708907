//! No lost wake-ups (finding O-B2): two threads hand a turn back and forth
//! 20,000 times, each sleeping in `FUTEX_WAIT` until the other's
//! `FUTEX_WAKE`; and four threads take a futex mutex (Drepper's three-state
//! lock) 5,000 times each around a plain counter. A single lost wake-up
//! hangs the test (the runner's timeout fails it); a broken lock shows in
//! the count.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use vrt::check_eq;
use vrt::thread::{futex_wait, futex_wake, spawn};

vrt::entry!(main);

const ROUNDS: u32 = 20_000;

/// Whose turn it is: 0 the main thread's, 1 the other's.
static TURN: AtomicU32 = AtomicU32::new(0);
static PASSES: AtomicU32 = AtomicU32::new(0);

/// Plays side `me` for `ROUNDS` rounds.
fn play(me: u32) {
    for _ in 0..ROUNDS {
        loop {
            let turn = TURN.load(Ordering::Acquire);
            if turn == me {
                break;
            }
            let _ = futex_wait(&TURN, turn, None);
        }
        PASSES.fetch_add(1, Ordering::Relaxed);
        TURN.store(1 - me, Ordering::Release);
        let _ = futex_wake(&TURN, 1);
    }
}

extern "C" fn other_side(_: usize) -> i32 {
    play(1);
    0
}

/// 0: free, 1: taken, 2: taken with waiters.
pub static LOCK: AtomicU32 = AtomicU32::new(0);
/// Guarded by LOCK (updated with plain load + store).
static COUNT: AtomicU64 = AtomicU64::new(0);

fn lock() {
    if LOCK
        .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
    {
        return;
    }
    while LOCK.swap(2, Ordering::Acquire) != 0 {
        let _ = futex_wait(&LOCK, 2, None);
    }
}

fn unlock() {
    if LOCK.swap(0, Ordering::Release) == 2 {
        let _ = futex_wake(&LOCK, 1);
    }
}

extern "C" fn increment(n: usize) -> i32 {
    for _ in 0..n {
        lock();
        // Not an atomic increment: only the lock makes it exact.
        let v = COUNT.load(Ordering::Relaxed);
        core::hint::spin_loop();
        COUNT.store(v + 1, Ordering::Relaxed);
        unlock();
    }
    0
}

fn main(_args: &vrt::Args) -> i32 {
    let t = spawn(other_side, 0).expect("spawn");
    play(0);
    t.join();
    check_eq!(
        PASSES.load(Ordering::Relaxed),
        2 * ROUNDS,
        "20,000 round trips through FUTEX_WAIT and FUTEX_WAKE, none lost"
    );
    let ts = [0; 4].map(|_| spawn(increment, 5000).expect("spawn"));
    for t in ts {
        t.join();
    }
    check_eq!(
        COUNT.load(Ordering::Relaxed),
        20_000,
        "four threads, 5,000 locked increments each: exact"
    );
    vrt::check::all_passed();
    0
}
