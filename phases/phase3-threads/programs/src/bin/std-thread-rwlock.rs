//! `RwLock`: readers hold it together (three readers meet at a barrier
//! inside their read sections), a writer excludes them (`try_read` fails
//! while it writes), and writes from many threads all land.

use std::sync::{Arc, Barrier, RwLock, TryLockError};
use std::thread;

fn main() {
    let lock = Arc::new(RwLock::new(7u64));

    // Three readers inside the lock at once: if reading were exclusive the
    // barrier would never open.
    let barrier = Arc::new(Barrier::new(3));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (lock, barrier) = (Arc::clone(&lock), Arc::clone(&barrier));
            thread::spawn(move || {
                let v = lock.read().unwrap();
                barrier.wait();
                *v
            })
        })
        .collect();
    let seen: Vec<u64> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    println!("three readers at once saw {seen:?}");

    // While a writer holds it, nobody reads or writes.
    {
        let mut w = lock.write().unwrap();
        *w = 8;
        let other = Arc::clone(&lock);
        let r = thread::spawn(move || {
            (
                matches!(other.try_read(), Err(TryLockError::WouldBlock)),
                matches!(other.try_write(), Err(TryLockError::WouldBlock)),
            )
        })
        .join()
        .unwrap();
        println!(
            "while written: try_read blocked {}, try_write blocked {}",
            r.0, r.1
        );
    }
    // While a reader holds it, another read succeeds and a write does not.
    {
        let _r = lock.read().unwrap();
        let other = Arc::clone(&lock);
        let r = thread::spawn(move || {
            (
                other.try_read().is_ok(),
                matches!(other.try_write(), Err(TryLockError::WouldBlock)),
            )
        })
        .join()
        .unwrap();
        println!("while read: try_read ok {}, try_write blocked {}", r.0, r.1);
    }

    // Four writers and four readers at once; every write lands, and no
    // reader ever sees a torn pair.
    let pair = Arc::new(RwLock::new((0u64, 0u64)));
    let mut handles = Vec::new();
    for _ in 0..4 {
        let pair = Arc::clone(&pair);
        handles.push(thread::spawn(move || {
            for _ in 0..5_000 {
                let mut p = pair.write().unwrap();
                p.0 += 1;
                p.1 += 2;
            }
            true
        }));
    }
    for _ in 0..4 {
        let pair = Arc::clone(&pair);
        handles.push(thread::spawn(move || {
            let mut consistent = true;
            for _ in 0..5_000 {
                let p = pair.read().unwrap();
                consistent &= p.1 == 2 * p.0;
            }
            consistent
        }));
    }
    let all_consistent = handles.into_iter().all(|h| h.join().unwrap());
    println!("final pair: {:?}", *pair.read().unwrap());
    println!("every read consistent: {all_consistent}");
    println!("value: {}", *lock.read().unwrap());
}
