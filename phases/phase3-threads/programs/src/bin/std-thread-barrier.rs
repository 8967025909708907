//! `Barrier`: five threads meet three times; each round exactly one is the
//! leader, and nobody starts a round before everybody finished the last.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

fn main() {
    const N: u32 = 5;
    const ROUNDS: u32 = 3;
    let barrier = Arc::new(Barrier::new(N as usize));
    let arrived = Arc::new(AtomicU32::new(0));
    let handles: Vec<_> = (0..N)
        .map(|_| {
            let (barrier, arrived) = (Arc::clone(&barrier), Arc::clone(&arrived));
            thread::spawn(move || {
                let mut leaders = 0;
                let mut in_step = true;
                for round in 0..ROUNDS {
                    arrived.fetch_add(1, Ordering::SeqCst);
                    if barrier.wait().is_leader() {
                        leaders += 1;
                    }
                    // Everybody of this round has arrived.
                    in_step &= arrived.load(Ordering::SeqCst) >= (round + 1) * N;
                    barrier.wait();
                }
                (leaders, in_step)
            })
        })
        .collect();
    let results: Vec<(u32, bool)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let leaders: u32 = results.iter().map(|r| r.0).sum();
    println!("{N} threads, {ROUNDS} rounds: {leaders} leaders in all");
    println!("nobody ran ahead: {}", results.iter().all(|r| r.1));
    println!("arrivals: {}", arrived.load(Ordering::SeqCst));
}
