//! Many short threads: 1000 spawned and joined one after the other, 100 at
//! a time in batches, and detached threads (handles dropped while they run,
//! and after they ended): every one runs, and none of their memory leaks
//! into a failure to spawn the next.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

fn main() {
    let mut sum = 0u64;
    for i in 0..1000u64 {
        sum += thread::spawn(move || i * 2).join().unwrap();
    }
    println!("1000 spawn+join one at a time: sum {sum}");

    let mut total = 0u64;
    for batch in 0..10u64 {
        let hs: Vec<_> = (0..100u64)
            .map(|i| thread::spawn(move || batch * 100 + i))
            .collect();
        total += hs.into_iter().map(|h| h.join().unwrap()).sum::<u64>();
    }
    println!("10 batches of 100 at once: sum {total}");

    // Detached while running: each reports over a channel, then ends on
    // its own and frees its own stack.
    let (tx, rx) = mpsc::channel();
    for i in 0..200u32 {
        let tx = tx.clone();
        drop(thread::spawn(move || {
            tx.send(i).unwrap();
        }));
    }
    drop(tx);
    let got: u32 = rx.iter().sum();
    println!("200 detached threads reported, sum {got}");

    // Detached after they ended: the dropper frees their stacks.
    let done = Arc::new(AtomicU32::new(0));
    let hs: Vec<_> = (0..50)
        .map(|_| {
            let done = Arc::clone(&done);
            thread::spawn(move || {
                done.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    let all_done = phase3_programs::eventually(Duration::from_secs(30), || {
        done.load(Ordering::SeqCst) == 50
    });
    thread::sleep(Duration::from_millis(20));
    drop(hs);
    println!("50 finished threads detached: {all_done}");

    // Still room for more after all that.
    let last: Vec<_> = (0..8).map(|i| thread::spawn(move || i)).collect();
    println!(
        "8 more: {:?}",
        last.into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    );
}
