//! `thread::scope`: scoped threads borrow the caller's data, shared and
//! mutably (disjoint chunks), and all of them have ended when `scope`
//! returns; a scoped thread's result comes back through its handle.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

fn main() {
    let numbers: Vec<u64> = (1..=10_000).collect();
    let finished = AtomicUsize::new(0);

    // Shared borrows: four threads sum a quarter each.
    let sums: Vec<u64> = thread::scope(|s| {
        let handles: Vec<_> = numbers
            .chunks(2_500)
            .map(|chunk| {
                let finished = &finished;
                s.spawn(move || {
                    let sum = chunk.iter().sum::<u64>();
                    finished.fetch_add(1, Ordering::Relaxed);
                    sum
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    println!("partial sums: {sums:?}");
    println!("total: {}", sums.iter().sum::<u64>());

    // Mutable borrows of disjoint chunks; no handles kept: `scope` joins.
    let mut squares = numbers.clone();
    thread::scope(|s| {
        for chunk in squares.chunks_mut(1_000) {
            let finished = &finished;
            s.spawn(move || {
                for x in chunk.iter_mut() {
                    *x *= *x;
                }
                finished.fetch_add(1, Ordering::Relaxed);
            });
        }
    });
    println!(
        "threads finished when scope returned: {}",
        finished.load(Ordering::Relaxed)
    );
    println!(
        "squares[0], [99], [9999]: {} {} {}",
        squares[0], squares[99], squares[9_999]
    );
    println!("sum of squares: {}", squares.iter().sum::<u64>());

    // A scoped thread that spawns another in the same scope.
    let nested = thread::scope(|s| {
        s.spawn(|| {
            let inner = s.spawn(|| numbers.len());
            inner.join().unwrap() * 2
        })
        .join()
        .unwrap()
    });
    println!("nested: {nested}");
}
