//! `std-thread-bench`: phase 3's benchmarks for `runner bench`, an ordinary
//! std program (phase 3's std on vibix, the host's std on Linux): a thread's
//! whole life (`spawn` + `join`), a round trip between two threads woken by
//! `unpark` (a futex wake and wait each way), and a `Mutex` alone and with
//! 4 threads contending for it. The harness is phase 2's
//! (`phase2_programs::bench`).

use std::io;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use phase2_programs::bench::{self, Bench};

/// Threads that contend for the mutex.
const CONTENDERS: u64 = 4;

fn main() -> ExitCode {
    bench::main("std-thread-bench", items)
}

fn items(bench: &Bench) -> io::Result<()> {
    bench.measure("thread_spawn_join", |n| {
        for _ in 0..n {
            thread::Builder::new()
                .spawn(|| {})?
                .join()
                .map_err(|_| io::Error::other("a benchmark thread panicked"))?;
        }
        Ok(())
    })?;
    bench.measure("thread_pingpong", |n| {
        ping_pong(n);
        Ok(())
    })?;
    bench.measure("mutex_uncontended", |n| {
        let counter = Mutex::new(0u64);
        for _ in 0..n {
            *counter.lock().unwrap() += 1;
        }
        if *counter.lock().unwrap() != n {
            return Err(io::Error::other("the uncontended counter lost a count"));
        }
        Ok(())
    })?;
    bench.measure("mutex_contended_4", |n| {
        let counter = Arc::new(Mutex::new(0u64));
        let each = n.div_ceil(CONTENDERS);
        let threads: Vec<_> = (0..CONTENDERS)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    for _ in 0..each {
                        *counter.lock().unwrap() += 1;
                    }
                })
            })
            .collect();
        for t in threads {
            t.join()
                .map_err(|_| io::Error::other("a benchmark thread panicked"))?;
        }
        let total = *counter.lock().unwrap();
        if total != each * CONTENDERS {
            return Err(io::Error::other(format!(
                "the contended counter is {total}, not {}",
                each * CONTENDERS
            )));
        }
        Ok(())
    })?;
    Ok(())
}

/// `n` round trips: the main thread hands the turn to a second thread and
/// parks until it comes back. `turn` counts the hand-overs: odd means the
/// second thread's turn.
fn ping_pong(n: u64) {
    let turn = Arc::new(AtomicU64::new(0));
    let main = thread::current();
    let other = {
        let turn = Arc::clone(&turn);
        thread::spawn(move || {
            for i in 0..n {
                while turn.load(Ordering::Acquire) != 2 * i + 1 {
                    thread::park();
                }
                turn.store(2 * i + 2, Ordering::Release);
                main.unpark();
            }
        })
    };
    for i in 0..n {
        turn.store(2 * i + 1, Ordering::Release);
        other.thread().unpark();
        while turn.load(Ordering::Acquire) != 2 * i + 2 {
            thread::park();
        }
    }
    other.join().expect("the ping-pong thread ends");
}
