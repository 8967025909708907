//! `thread_local!` with threads: each thread has its own values, starting
//! from the initializer (not from the spawning thread's current value), and
//! each thread's destructors run when that thread ends, before `join`
//! returns; the main thread's run when `main` returns. The joins force the
//! order of the lines the destructors print.

use std::cell::{Cell, RefCell};
use std::thread;

struct Noisy {
    owner: String,
    items: RefCell<Vec<u32>>,
}

impl Drop for Noisy {
    fn drop(&mut self) {
        println!(
            "destructor: {}'s value, items {:?}",
            self.owner,
            self.items.borrow()
        );
    }
}

thread_local! {
    static COUNTER: Cell<u32> = const { Cell::new(100) };
    static NOISY: Noisy = Noisy {
        owner: thread::current().name().unwrap_or("an unnamed thread").to_string(),
        items: RefCell::new(Vec::new()),
    };
}

fn main() {
    COUNTER.set(1);
    NOISY.with(|n| n.items.borrow_mut().push(0));

    for i in 1..=3 {
        let h = thread::Builder::new()
            .name(format!("thread {i}"))
            .spawn(move || {
                let start = COUNTER.get();
                COUNTER.set(start + i);
                NOISY.with(|n| n.items.borrow_mut().extend([i, i * 10]));
                println!(
                    "thread {i}: counter started at {start}, now {}",
                    COUNTER.get()
                );
            })
            .unwrap();
        h.join().unwrap();
        println!("joined thread {i}");
    }

    // A thread that never touches NOISY has nothing to destroy.
    thread::spawn(|| COUNTER.set(7)).join().unwrap();
    println!("joined a thread that made no NOISY");

    // Many threads with destructors, in parallel: every one runs.
    let hs: Vec<_> = (0..16)
        .map(|i| {
            thread::spawn(move || {
                struct Count;
                impl Drop for Count {
                    fn drop(&mut self) {
                        DROPS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                }
                thread_local!(static C: Count = const { Count });
                C.with(|_| ());
                i
            })
        })
        .collect();
    let sum: u32 = hs.into_iter().map(|h| h.join().unwrap()).sum();
    println!(
        "16 threads (sum {sum}): {} destructors ran by their joins",
        DROPS.load(std::sync::atomic::Ordering::SeqCst)
    );

    println!("main's counter is still {}", COUNTER.get());
    println!("main returns");
}

static DROPS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
