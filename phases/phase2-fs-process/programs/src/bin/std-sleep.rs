//! `thread::sleep` sleeps at least as long as asked (short, zero, longer),
//! and `thread::sleep_until` until at least its deadline; `yield_now`
//! returns. Only comparisons are printed, never times.

#![feature(thread_sleep_until)]

use std::thread;
use std::time::{Duration, Instant};

fn main() {
    for ms in [0, 1, 15, 120] {
        let asked = Duration::from_millis(ms);
        let start = Instant::now();
        thread::sleep(asked);
        println!(
            "sleep({ms} ms) slept at least that: {}",
            start.elapsed() >= asked
        );
    }
    let asked = Duration::new(0, 2_500_000); // below a timer tick
    let start = Instant::now();
    thread::sleep(asked);
    println!(
        "sleep(2.5 ms) slept at least that: {}",
        start.elapsed() >= asked
    );

    let deadline = Instant::now() + Duration::from_millis(50);
    thread::sleep_until(deadline);
    println!(
        "sleep_until reached its deadline: {}",
        Instant::now() >= deadline
    );
    thread::sleep_until(Instant::now() - Duration::from_millis(1));
    println!("sleep_until a past deadline returns");
    thread::yield_now();
    println!("yield_now returns");
}
