//! RFC 0009's acceptance program for phase 3: four threads increment an
//! `Arc<Mutex<u64>>`; the final count is exact.

use std::sync::{Arc, Mutex};
use std::thread;

const THREADS: u64 = 4;
const EACH: u64 = 100_000;

fn main() {
    let count = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let count = Arc::clone(&count);
            thread::spawn(move || {
                for _ in 0..EACH {
                    *count.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let total = *count.lock().unwrap();
    println!("{THREADS} threads x {EACH} increments = {total}");
    println!("exact: {}", total == THREADS * EACH);
    println!(
        "Arc strong count after the joins: {}",
        Arc::strong_count(&count)
    );
}
