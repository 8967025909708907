//! One-time initialization under contention: `Once`, `OnceLock` and
//! `LazyLock` each run their initializer exactly once, however many threads
//! race for it, and everyone sees its result.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Barrier, LazyLock, Once, OnceLock};
use std::thread;

static ONCE: Once = Once::new();
static ONCE_RUNS: AtomicU32 = AtomicU32::new(0);

static CELL: OnceLock<String> = OnceLock::new();
static CELL_RUNS: AtomicU32 = AtomicU32::new(0);

static LAZY_RUNS: AtomicU32 = AtomicU32::new(0);
static LAZY: LazyLock<Vec<u32>> = LazyLock::new(|| {
    LAZY_RUNS.fetch_add(1, Ordering::SeqCst);
    thread::sleep(std::time::Duration::from_millis(10));
    (1..=100).collect()
});

fn main() {
    const N: usize = 8;
    let start = Barrier::new(N);
    let results: Vec<(usize, u32)> = thread::scope(|s| {
        let handles: Vec<_> = (0..N)
            .map(|i| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    ONCE.call_once(|| {
                        ONCE_RUNS.fetch_add(1, Ordering::SeqCst);
                        thread::sleep(std::time::Duration::from_millis(10));
                    });
                    let s = CELL.get_or_init(|| {
                        CELL_RUNS.fetch_add(1, Ordering::SeqCst);
                        thread::sleep(std::time::Duration::from_millis(10));
                        String::from("initialized once")
                    });
                    let _ = i;
                    (s.len(), LAZY.iter().sum::<u32>())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    println!(
        "Once ran {} time(s); is_completed: {}",
        ONCE_RUNS.load(Ordering::SeqCst),
        ONCE.is_completed()
    );
    println!(
        "OnceLock ran {} time(s): {:?}",
        CELL_RUNS.load(Ordering::SeqCst),
        CELL.get()
    );
    println!("LazyLock ran {} time(s)", LAZY_RUNS.load(Ordering::SeqCst));
    println!(
        "every thread saw the same: {}",
        results.iter().all(|r| *r == (16, 5050))
    );
    println!(
        "a second set fails: {:?}",
        CELL.set(String::from("again")).is_err()
    );
}
