//! `mpsc` channels: an unbounded channel fed by four producers, a bounded
//! one (capacity 4) whose senders block when it is full, a rendezvous
//! channel (capacity 0), the receiver's end when every sender is gone, and
//! `recv_timeout`.

use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::Duration;

fn main() {
    // Unbounded, many producers. Per producer, messages arrive in order.
    let (tx, rx) = mpsc::channel::<(u32, u32)>();
    let producers: Vec<_> = (0..4)
        .map(|p| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..1000 {
                    tx.send((p, i)).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let mut next = [0u32; 4];
    let mut in_order = true;
    let mut sum = 0u64;
    for (p, i) in rx.iter() {
        in_order &= next[p as usize] == i;
        next[p as usize] = i + 1;
        sum += u64::from(i);
    }
    for p in producers {
        p.join().unwrap();
    }
    println!(
        "unbounded: {:?} messages per producer, sum {sum}, in order {in_order}",
        next
    );

    // Bounded: capacity 4, so a fast sender waits for the slow receiver.
    let (tx, rx) = mpsc::sync_channel::<u64>(4);
    let senders: Vec<_> = (0..3)
        .map(|s| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..200 {
                    tx.send(s * 1000 + i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let mut count = 0;
    let mut total = 0;
    while let Ok(v) = rx.recv() {
        count += 1;
        total += v;
        if count % 50 == 0 {
            thread::sleep(Duration::from_millis(1));
        }
    }
    for s in senders {
        s.join().unwrap();
    }
    println!("bounded(4): {count} messages, sum {total}");

    // Rendezvous: each send completes only when received.
    let (tx, rx) = mpsc::sync_channel::<&'static str>(0);
    let t = thread::spawn(move || {
        for word in ["rendezvous", "hand", "to", "hand"] {
            tx.send(word).unwrap();
        }
    });
    let words: Vec<_> = rx.iter().collect();
    t.join().unwrap();
    println!("sync_channel(0): {}", words.join(" "));

    // An empty channel with a live sender: try_recv is Empty, recv_timeout
    // times out; with the sender gone both say Disconnected.
    let (tx, rx) = mpsc::channel::<u8>();
    println!(
        "try_recv on empty: {:?}",
        rx.try_recv() == Err(TryRecvError::Empty)
    );
    println!(
        "recv_timeout(20 ms) on empty: {:?}",
        rx.recv_timeout(Duration::from_millis(20))
    );
    let t = thread::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        tx.send(42).unwrap();
    });
    println!(
        "recv_timeout(30 s) with a late sender: {:?}",
        rx.recv_timeout(Duration::from_secs(30))
    );
    t.join().unwrap();
    println!(
        "after the sender is gone: {:?}, {:?}",
        rx.try_recv(),
        rx.recv_timeout(Duration::from_millis(1)) == Err(RecvTimeoutError::Disconnected)
    );
}
