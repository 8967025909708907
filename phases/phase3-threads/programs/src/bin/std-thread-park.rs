//! `thread::park` and `Thread::unpark`: a token given before `park` makes it
//! return at once; a parked thread wakes when unparked; `park_timeout`
//! returns after its timeout with nobody unparking.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    // The token: unpark first, then park does not block.
    thread::current().unpark();
    thread::park();
    println!("park after unpark returned at once");

    // A thread parks until the flag is set and it is unparked; spurious
    // wake-ups are allowed, so it parks in a loop.
    let flag = Arc::new(AtomicBool::new(false));
    let wakeups = Arc::new(AtomicU32::new(0));
    let parker = {
        let (flag, wakeups) = (Arc::clone(&flag), Arc::clone(&wakeups));
        thread::spawn(move || {
            while !flag.load(Ordering::Acquire) {
                thread::park();
                wakeups.fetch_add(1, Ordering::Relaxed);
            }
            "saw the flag"
        })
    };
    thread::sleep(Duration::from_millis(50));
    flag.store(true, Ordering::Release);
    parker.thread().unpark();
    println!("parked thread: {}", parker.join().unwrap());
    println!(
        "it woke at least once: {}",
        wakeups.load(Ordering::Relaxed) >= 1
    );

    // Ping-pong: two threads hand a counter back and forth 1000 times with
    // park/unpark only.
    let turn = Arc::new(AtomicU32::new(0));
    let main_thread = thread::current();
    let other = {
        let turn = Arc::clone(&turn);
        thread::spawn(move || {
            for i in 0..1000 {
                while turn.load(Ordering::Acquire) != 2 * i + 1 {
                    thread::park();
                }
                turn.store(2 * i + 2, Ordering::Release);
                main_thread.unpark();
            }
        })
    };
    for i in 0..1000 {
        turn.store(2 * i + 1, Ordering::Release);
        other.thread().unpark();
        while turn.load(Ordering::Acquire) != 2 * i + 2 {
            thread::park();
        }
    }
    other.join().unwrap();
    println!("ping-pong: turn = {}", turn.load(Ordering::Relaxed));

    // No one unparks: park_timeout returns after at least its timeout
    // (it may return early only spuriously, so measure over a loop).
    let start = Instant::now();
    let limit = Duration::from_millis(30);
    while start.elapsed() < limit {
        thread::park_timeout(limit - start.elapsed().min(limit));
    }
    println!(
        "park_timeout returned after its timeout: {}",
        start.elapsed() >= limit
    );
}
