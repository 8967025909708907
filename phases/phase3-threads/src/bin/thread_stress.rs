//! The stress run: rounds of short threads (created and joined in
//! batches), a futex mutex contended by four threads, and timed waits that
//! time out or are woken, for 55 seconds. Afterwards
//! free memory and the task count (`sysinfo`'s `procs`, which counts
//! threads) must be exactly where they were after a warm-up round: every
//! kernel stack, page table and stack page the threads took is back.
//! Linux's free memory moves for reasons of its own, so this runs on vibix
//! only; the last line reports the figures.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use vrt::errno::Errno;
use vrt::syscall::syscall2;
use vrt::thread::{Thread, futex_wait, futex_wake, spawn};
use vrt::uapi::time::{CLOCK_MONOTONIC, Timespec};
use vrt::{check_eq, nr, println};

vrt::entry!(main);

/// Rounds go on until this much time has passed (at least one round).
const RUN_NS: u64 = 55_000_000_000;
/// Per round: short threads, created and joined `BATCH` at a time.
const SHORT_THREADS: u32 = 1000;
const BATCH: usize = 8;
/// Per round: threads taking the futex mutex, `LOCKS_EACH` times each.
const LOCKERS: usize = 4;
const LOCKS_EACH: u64 = 5_000;
/// Per round: threads making timed waits of 2 ms, `TIMED_WAITS_EACH` each.
const TIMED_WAITERS: usize = 4;
const TIMED_WAITS_EACH: u32 = 20;

static FUTEX_OPS: AtomicU64 = AtomicU64::new(0);

fn now_ns() -> u64 {
    let mut t = Timespec::default();
    // SAFETY: the kernel writes one timespec into `t`.
    unsafe {
        syscall2(
            nr::CLOCK_GETTIME,
            CLOCK_MONOTONIC as usize,
            (&raw mut t) as usize,
        )
    };
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

static SHORT_RUNS: AtomicU32 = AtomicU32::new(0);
extern "C" fn short(_: usize) -> i32 {
    SHORT_RUNS.fetch_add(1, Ordering::Relaxed);
    0
}

static LOCK: AtomicU32 = AtomicU32::new(0);
static COUNT: AtomicU64 = AtomicU64::new(0);

fn lock() {
    if LOCK
        .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
    {
        return;
    }
    while LOCK.swap(2, Ordering::Acquire) != 0 {
        FUTEX_OPS.fetch_add(1, Ordering::Relaxed);
        let _ = futex_wait(&LOCK, 2, None);
    }
}

fn unlock() {
    if LOCK.swap(0, Ordering::Release) == 2 {
        FUTEX_OPS.fetch_add(1, Ordering::Relaxed);
        let _ = futex_wake(&LOCK, 1);
    }
}

extern "C" fn locker(_: usize) -> i32 {
    for i in 0..LOCKS_EACH {
        lock();
        let v = COUNT.load(Ordering::Relaxed);
        if i % 64 == 0 {
            // Hold the lock across a yield now and then: real contention.
            vrt::thread::sched_yield();
        }
        COUNT.store(v + 1, Ordering::Relaxed);
        unlock();
    }
    0
}

static BELL: AtomicU32 = AtomicU32::new(0);
static TIMEOUTS: AtomicU32 = AtomicU32::new(0);
static RINGS: AtomicU32 = AtomicU32::new(0);
extern "C" fn timed_waiter(_: usize) -> i32 {
    let timeout = Timespec {
        tv_sec: 0,
        tv_nsec: 2_000_000,
    };
    for _ in 0..TIMED_WAITS_EACH {
        FUTEX_OPS.fetch_add(1, Ordering::Relaxed);
        match futex_wait(&BELL, 0, Some(&timeout)) {
            Err(Errno::ETIMEDOUT) => TIMEOUTS.fetch_add(1, Ordering::Relaxed),
            Ok(_) | Err(Errno::EAGAIN) => RINGS.fetch_add(1, Ordering::Relaxed),
            Err(_) => return 1,
        };
    }
    0
}

fn short_threads(n: u32) {
    let mut left = n;
    while left > 0 {
        let k = (left as usize).min(BATCH);
        let mut batch: [Option<Thread>; BATCH] = [const { None }; BATCH];
        for slot in batch.iter_mut().take(k) {
            *slot = Some(spawn(short, 0).expect("spawn"));
        }
        for t in batch.into_iter().flatten() {
            t.join();
        }
        left -= k as u32;
    }
}

/// One round: lockers and timed waiters run while the short threads come
/// and go; the bell rings until the timed waiters are done.
fn round() {
    let lockers: [Thread; LOCKERS] = [0; LOCKERS].map(|_| spawn(locker, 0).expect("spawn"));
    let waiters: [Thread; TIMED_WAITERS] =
        [0; TIMED_WAITERS].map(|_| spawn(timed_waiter, 0).expect("spawn"));
    short_threads(SHORT_THREADS);
    while !waiters.iter().all(Thread::finished) {
        FUTEX_OPS.fetch_add(1, Ordering::Relaxed);
        let _ = futex_wake(&BELL, 1);
        vrt::thread::sched_yield();
    }
    for t in lockers.into_iter().chain(waiters) {
        t.join();
    }
}

fn main(_args: &vrt::Args) -> i32 {
    // Warm-up: the page tables a first round needs stay with the process.
    short_threads(BATCH as u32);
    let (free_before, tasks_before) = vrt::sysinfo::memory();
    let start = now_ns();
    let mut rounds = 0u32;
    while rounds == 0 || now_ns() - start < RUN_NS {
        round();
        rounds += 1;
    }
    let took_ms = (now_ns() - start) / 1_000_000;
    let (free_after, tasks_after) = vrt::sysinfo::memory();

    check_eq!(
        SHORT_RUNS.load(Ordering::Relaxed),
        rounds * SHORT_THREADS + BATCH as u32,
        "every short thread ran"
    );
    check_eq!(
        COUNT.load(Ordering::Relaxed),
        u64::from(rounds) * LOCKERS as u64 * LOCKS_EACH,
        "the contended futex mutex lost no increment"
    );
    check_eq!(
        TIMEOUTS.load(Ordering::Relaxed) + RINGS.load(Ordering::Relaxed),
        rounds * TIMED_WAITERS as u32 * TIMED_WAITS_EACH,
        "every timed wait timed out or was woken"
    );
    check_eq!(
        tasks_after,
        tasks_before,
        "the task count is what it was before"
    );
    check_eq!(free_after, free_before, "free memory is what it was before");
    vrt::check::all_passed();
    println!(
        "stress: {} rounds, {} threads, {} futex calls, {} timed out and {} woken timed waits, {} ms; free memory {} KiB before and after, {} tasks",
        rounds,
        rounds * (SHORT_THREADS + (LOCKERS + TIMED_WAITERS) as u32),
        FUTEX_OPS.load(Ordering::Relaxed),
        TIMEOUTS.load(Ordering::Relaxed),
        RINGS.load(Ordering::Relaxed),
        took_ms,
        free_after / 1024,
        tasks_after
    );
    0
}
