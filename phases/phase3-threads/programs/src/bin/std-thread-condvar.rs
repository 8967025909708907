//! `Condvar`: `wait` with `notify_one`, `wait_while`, `notify_all` waking
//! every waiter, and `wait_timeout` both ways: timing out when nobody
//! notifies, returning early (not timed out) when notified.

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    // A producer/consumer queue of 1000 items over one Condvar.
    let pair = Arc::new((Mutex::new(Vec::<u32>::new()), Condvar::new()));
    let consumer = {
        let pair = Arc::clone(&pair);
        thread::spawn(move || {
            let (lock, cv) = &*pair;
            let mut got = 0u64;
            let mut n = 0;
            while n < 1000 {
                let mut q = cv
                    .wait_while(lock.lock().unwrap(), |q| q.is_empty())
                    .unwrap();
                for x in q.drain(..) {
                    got += u64::from(x);
                    n += 1;
                }
            }
            (n, got)
        })
    };
    for i in 1..=1000 {
        let (lock, cv) = &*pair;
        lock.lock().unwrap().push(i);
        cv.notify_one();
    }
    let (n, sum) = consumer.join().unwrap();
    println!("consumer got {n} items, sum {sum}");

    // notify_all wakes all five waiters.
    let state = Arc::new((Mutex::new((false, 0u32)), Condvar::new()));
    let waiters: Vec<_> = (0..5)
        .map(|_| {
            let state = Arc::clone(&state);
            thread::spawn(move || {
                let (lock, cv) = &*state;
                let mut g = lock.lock().unwrap();
                g.1 += 1; // registered as waiting
                while !g.0 {
                    g = cv.wait(g).unwrap();
                }
            })
        })
        .collect();
    {
        let (lock, cv) = &*state;
        let mut g = lock.lock().unwrap();
        while g.1 < 5 {
            drop(g);
            thread::yield_now();
            g = lock.lock().unwrap();
        }
        g.0 = true;
        cv.notify_all();
    }
    for w in waiters {
        w.join().unwrap();
    }
    println!("notify_all woke all {} waiters", state.0.lock().unwrap().1);

    // wait_timeout with nobody notifying: times out, after the timeout.
    let (lock, cv) = (Mutex::new(()), Condvar::new());
    let start = Instant::now();
    let timeout = Duration::from_millis(40);
    let (_g, res) = cv
        .wait_timeout_while(lock.lock().unwrap(), timeout, |_| true)
        .unwrap();
    println!(
        "wait_timeout without notify: timed out {}, waited at least the timeout {}",
        res.timed_out(),
        start.elapsed() >= timeout
    );

    // wait_timeout notified well before its (long) timeout.
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let notifier = {
        let pair = Arc::clone(&pair);
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            let (lock, cv) = &*pair;
            *lock.lock().unwrap() = true;
            cv.notify_one();
        })
    };
    let (lock, cv) = &*pair;
    let start = Instant::now();
    let (g, res) = cv
        .wait_timeout_while(lock.lock().unwrap(), Duration::from_secs(30), |ready| {
            !*ready
        })
        .unwrap();
    println!(
        "wait_timeout notified: timed out {}, flag {}, well before the timeout {}",
        res.timed_out(),
        *g,
        start.elapsed() < Duration::from_secs(20)
    );
    drop(g);
    notifier.join().unwrap();

    // A zero timeout returns at once, timed out.
    let m = Mutex::new(());
    let (_g, res) = Condvar::new()
        .wait_timeout(m.lock().unwrap(), Duration::ZERO)
        .unwrap();
    println!("zero timeout: timed out {}", res.timed_out());
}
