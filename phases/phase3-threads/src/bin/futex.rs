//! `futex`: `FUTEX_WAIT` sleeps only while the word holds the value
//! (`EAGAIN` otherwise) and until a wake, its relative timeout
//! (`ETIMEDOUT`) or a signal (`EINTR`); `FUTEX_WAIT_BITSET`'s timeout is a
//! time of `CLOCK_MONOTONIC`, or of `CLOCK_REALTIME` with
//! `FUTEX_CLOCK_REALTIME`; `FUTEX_WAKE` wakes as many as asked and says
//! how many; bitsets pick whom a wake reaches; a misaligned word is
//! `EINVAL`, an unmapped or kernel-half one `EFAULT` (finding S-A2), a bad
//! timeout `EFAULT` or `EINVAL`, an unknown operation `ENOSYS`; a waiter
//! whose page is unmapped under it waits on, harmlessly, until its
//! timeout or a wake. Prints counts and error names only.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};

use vrt::errno::Errno;
use vrt::mm::{self, PAGE_SIZE, PROT_READ, PROT_WRITE};
use vrt::signal::{SIGUSR1, catch};
use vrt::syscall::syscall2;
use vrt::thread::{futex, futex_wait, futex_wake, getpid, gettid, sched_yield, spawn, tgkill};
use vrt::uapi::futex::*;
use vrt::uapi::time::{CLOCK_MONOTONIC, CLOCK_REALTIME, Timespec};
use vrt::{check, check_eq, nr};

vrt::entry!(main);

const MS: i64 = 1_000_000;
const SEC: i64 = 1_000_000_000;
const PRIVATE: i32 = FUTEX_PRIVATE_FLAG;

fn ts(ns: i64) -> Timespec {
    Timespec {
        tv_sec: ns.div_euclid(SEC),
        tv_nsec: ns.rem_euclid(SEC),
    }
}

fn now(clock: i32) -> i64 {
    let (r, t) = read_clock(clock);
    check_eq!(r, Ok(0), "clock_gettime");
    t
}

/// `clock_gettime` in nanoseconds, unchecked (for waits that print nothing).
fn read_clock(clock: i32) -> (Result<usize, Errno>, i64) {
    let mut t = Timespec::default();
    // SAFETY: the kernel writes one timespec into `t`.
    let r = unsafe { syscall2(nr::CLOCK_GETTIME, clock as usize, (&raw mut t) as usize) };
    (Errno::from_ret(r), t.tv_sec * SEC + t.tv_nsec)
}

fn addr(w: &AtomicU32) -> usize {
    w.as_ptr() as usize
}

/// `futex` on a word with a timeout and a bitset.
fn call(
    w: usize,
    op: i32,
    val: u32,
    timeout: Option<&Timespec>,
    val3: u32,
) -> Result<usize, Errno> {
    let t = timeout.map_or(0, |t| t as *const Timespec as usize);
    // SAFETY: the kernel reads the word and the timespec (or finds them bad).
    unsafe { futex(w, op, val, t, 0, val3) }
}

static WORD: AtomicU32 = AtomicU32::new(0);
static WOKEN: AtomicU32 = AtomicU32::new(0);
static STARTED: AtomicU32 = AtomicU32::new(0);

/// Waits on WORD (value 0) with the bitset in `bits`; counts its wake.
extern "C" fn waiter(bits: usize) -> i32 {
    STARTED.fetch_add(1, Ordering::SeqCst);
    let r = call(
        addr(&WORD),
        FUTEX_WAIT_BITSET | PRIVATE,
        0,
        None,
        bits as u32,
    );
    if r != Ok(0) {
        return 1;
    }
    WOKEN.fetch_add(1, Ordering::SeqCst);
    0
}

/// Spins until `n` waiters have started and had time to queue.
fn wait_started(n: u32) {
    while STARTED.load(Ordering::SeqCst) < n {
        sched_yield();
    }
    settle(1);
}

/// Gives started threads time to reach their `WAIT`: at least `50 * k`
/// yields and `20 * k` ms (yields alone can all come back at once on a
/// loaded host).
fn settle(k: i64) {
    let end = read_clock(CLOCK_MONOTONIC).1 + 20 * k * MS;
    let mut yields = 0;
    while yields < 50 * k || read_clock(CLOCK_MONOTONIC).1 < end {
        sched_yield();
        yields += 1;
    }
}

static INTR: AtomicU32 = AtomicU32::new(0);
extern "C" fn on_usr1(_: i32) {}

/// Waits forever on a word nobody changes; reports the error.
static SLEEPER_TID: AtomicU32 = AtomicU32::new(0);
extern "C" fn sleeper(_: usize) -> i32 {
    SLEEPER_TID.store(gettid() as u32, Ordering::SeqCst);
    let word = AtomicU32::new(7);
    let r = futex_wait(&word, 7, None);
    INTR.store(if r == Err(Errno::EINTR) { 1 } else { 2 }, Ordering::SeqCst);
    0
}

/// Waits with a 300 ms timeout on the word at `at` (in a mapping the main
/// thread unmaps meanwhile); reports the result.
static UNMAPPED_RESULT: AtomicU32 = AtomicU32::new(0);
extern "C" fn wait_on_mapping(at: usize) -> i32 {
    STARTED.fetch_add(1, Ordering::SeqCst);
    let r = call(at, FUTEX_WAIT | PRIVATE, 0, Some(&ts(300 * MS)), 0);
    UNMAPPED_RESULT.store(
        match r {
            Ok(0) => 1,
            Err(Errno::ETIMEDOUT) => 2,
            _ => 3,
        },
        Ordering::SeqCst,
    );
    0
}

/// Starts a waiter on a fresh page, unmaps the page under it and, if
/// `wake`, wakes the unmapped address. Returns the wake's answer and the
/// waiter's result (`UNMAPPED_RESULT`). A waiter can reach its `WAIT` only
/// after the page is gone (the scheduler decides, on Linux as on vibix);
/// it then gets `EFAULT` (3) and the case is run again with more time
/// for the waiter to queue. Any other outcome is the answer.
fn unmap_under_waiter(wake: bool) -> (Option<Result<usize, Errno>>, u32) {
    let mut grace = 1;
    loop {
        STARTED.store(0, Ordering::SeqCst);
        UNMAPPED_RESULT.store(0, Ordering::SeqCst);
        let page = mm::map_anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE).expect("mmap");
        let t = spawn(wait_on_mapping, page + 64).expect("spawn");
        while STARTED.load(Ordering::SeqCst) < 1 {
            sched_yield();
        }
        settle(grace);
        // SAFETY: only the waiter names the page, and only as a futex address.
        unsafe { mm::munmap(page, PAGE_SIZE) }.expect("munmap");
        let woke = wake.then(|| call(page + 64, FUTEX_WAKE | PRIVATE, 1, None, 0));
        t.join();
        let result = UNMAPPED_RESULT.load(Ordering::SeqCst);
        if result != 3 || grace >= 32 {
            return (woke, result);
        }
        grace *= 2;
    }
}

fn main(_args: &vrt::Args) -> i32 {
    let w = AtomicU32::new(5);
    check_eq!(
        futex_wait(&w, 6, None),
        Err(Errno::EAGAIN),
        "WAIT on a word that differs: EAGAIN"
    );
    check_eq!(futex_wake(&w, 1), Ok(0), "WAKE with no waiters: 0");
    let start = now(CLOCK_MONOTONIC);
    check_eq!(
        futex_wait(&w, 5, Some(&ts(50 * MS))),
        Err(Errno::ETIMEDOUT),
        "WAIT with a 50 ms timeout: ETIMEDOUT"
    );
    let took = now(CLOCK_MONOTONIC) - start;
    check!((50 * MS..5 * SEC).contains(&took), "after at least 50 ms");
    check_eq!(
        futex_wait(&w, 5, Some(&ts(0))),
        Err(Errno::ETIMEDOUT),
        "WAIT with a zero timeout: ETIMEDOUT"
    );
    let deadline = ts(now(CLOCK_MONOTONIC) + 50 * MS);
    let start = now(CLOCK_MONOTONIC);
    check_eq!(
        call(
            addr(&w),
            FUTEX_WAIT_BITSET | PRIVATE,
            5,
            Some(&deadline),
            u32::MAX
        ),
        Err(Errno::ETIMEDOUT),
        "WAIT_BITSET until a CLOCK_MONOTONIC time: ETIMEDOUT"
    );
    check!(
        now(CLOCK_MONOTONIC) - start >= 40 * MS,
        "not before that time"
    );
    let deadline = ts(now(CLOCK_REALTIME) + 50 * MS);
    let start = now(CLOCK_MONOTONIC);
    check_eq!(
        call(
            addr(&w),
            FUTEX_WAIT_BITSET | PRIVATE | FUTEX_CLOCK_REALTIME,
            5,
            Some(&deadline),
            u32::MAX
        ),
        Err(Errno::ETIMEDOUT),
        "WAIT_BITSET | CLOCK_REALTIME until a CLOCK_REALTIME time: ETIMEDOUT"
    );
    check!(
        now(CLOCK_MONOTONIC) - start >= 40 * MS,
        "not before that time"
    );
    check_eq!(
        call(
            addr(&w),
            FUTEX_WAIT_BITSET | PRIVATE,
            5,
            Some(&ts(0)),
            u32::MAX
        ),
        Err(Errno::ETIMEDOUT),
        "WAIT_BITSET until a time long past: ETIMEDOUT"
    );

    // The errors.
    check_eq!(
        call(addr(&w) + 1, FUTEX_WAIT | PRIVATE, 5, None, 0),
        Err(Errno::EINVAL),
        "WAIT misaligned: EINVAL"
    );
    check_eq!(
        call(addr(&w) + 2, FUTEX_WAKE | PRIVATE, 1, None, 0),
        Err(Errno::EINVAL),
        "WAKE misaligned: EINVAL"
    );
    let page = mm::map_anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE).expect("mmap");
    // SAFETY: nothing uses the page.
    unsafe { mm::munmap(page, PAGE_SIZE) }.expect("munmap");
    check_eq!(
        call(page, FUTEX_WAIT | PRIVATE, 0, None, 0),
        Err(Errno::EFAULT),
        "WAIT on an unmapped page: EFAULT"
    );
    check_eq!(
        call(page, FUTEX_WAIT, 0, None, 0),
        Err(Errno::EFAULT),
        "shared WAIT on an unmapped page: EFAULT"
    );
    check_eq!(
        call(page, FUTEX_WAKE, 1, None, 0),
        Err(Errno::EFAULT),
        "shared WAKE on an unmapped page: EFAULT"
    );
    check_eq!(
        call(page, FUTEX_WAKE | PRIVATE, 1, None, 0),
        Ok(0),
        "private WAKE on an unmapped page: 0 (a number only)"
    );
    check_eq!(
        call(0, FUTEX_WAIT | PRIVATE, 0, None, 0),
        Err(Errno::EFAULT),
        "WAIT on NULL: EFAULT"
    );
    let kernel = 0xffff_8000_0000_0000usize;
    check_eq!(
        call(kernel, FUTEX_WAIT | PRIVATE, 0, None, 0),
        Err(Errno::EFAULT),
        "WAIT on the kernel half: EFAULT"
    );
    check_eq!(
        call(kernel, FUTEX_WAKE | PRIVATE, 1, None, 0),
        Err(Errno::EFAULT),
        "WAKE on the kernel half: EFAULT"
    );
    check_eq!(
        call(0x0000_7fff_ffff_fffc + 4, FUTEX_WAKE | PRIVATE, 1, None, 0),
        Err(Errno::EFAULT),
        "WAKE past the user half: EFAULT"
    );
    check_eq!(
        // SAFETY: the kernel reads a timespec at an unmapped page: EFAULT.
        unsafe { futex(addr(&w), FUTEX_WAIT | PRIVATE, 5, page, 0, 0) },
        Err(Errno::EFAULT),
        "a timeout on an unmapped page: EFAULT"
    );
    check_eq!(
        call(
            addr(&w),
            FUTEX_WAIT | PRIVATE,
            5,
            Some(&Timespec {
                tv_sec: 0,
                tv_nsec: SEC
            }),
            0
        ),
        Err(Errno::EINVAL),
        "tv_nsec = 10^9: EINVAL"
    );
    check_eq!(
        call(
            addr(&w),
            FUTEX_WAIT | PRIVATE,
            5,
            Some(&Timespec {
                tv_sec: -1,
                tv_nsec: 0
            }),
            0
        ),
        Err(Errno::EINVAL),
        "tv_sec < 0: EINVAL"
    );
    check_eq!(
        call(addr(&w), FUTEX_WAIT_BITSET | PRIVATE, 5, None, 0),
        Err(Errno::EINVAL),
        "WAIT_BITSET with bitset 0: EINVAL"
    );
    check_eq!(
        call(addr(&w), FUTEX_WAKE_BITSET | PRIVATE, 1, None, 0),
        Err(Errno::EINVAL),
        "WAKE_BITSET with bitset 0: EINVAL"
    );
    check_eq!(
        call(
            addr(&w),
            FUTEX_WAKE | PRIVATE | FUTEX_CLOCK_REALTIME,
            1,
            None,
            0
        ),
        Err(Errno::ENOSYS),
        "WAKE with CLOCK_REALTIME: ENOSYS"
    );
    check_eq!(
        call(addr(&w), 99 | PRIVATE, 1, None, 0),
        Err(Errno::ENOSYS),
        "an unknown operation: ENOSYS"
    );
    check_eq!(
        call(
            addr(&w),
            FUTEX_WAIT | PRIVATE | FUTEX_CLOCK_REALTIME,
            5,
            Some(&ts(MS)),
            0
        ),
        Err(Errno::ENOSYS),
        "WAIT (relative) with CLOCK_REALTIME: ENOSYS"
    );

    // Wakes: counts and bitsets.
    let ts3 = [1usize, 2, 4].map(|bits| spawn(waiter, bits).expect("spawn"));
    wait_started(3);
    check_eq!(
        call(addr(&WORD), FUTEX_WAKE_BITSET | PRIVATE, 10, None, 2),
        Ok(1),
        "WAKE_BITSET 2 wakes the one waiter with bit 2"
    );
    check_eq!(
        call(addr(&WORD), FUTEX_WAKE_BITSET | PRIVATE, 10, None, 8),
        Ok(0),
        "WAKE_BITSET 8 wakes nobody"
    );
    check_eq!(
        call(addr(&WORD), FUTEX_WAKE | PRIVATE, 0, None, 0),
        Ok(1),
        "WAKE of 0 still wakes one, as on Linux"
    );
    check_eq!(
        futex_wake(&WORD, 10),
        Ok(1),
        "WAKE of 10 wakes the last one"
    );
    for t in ts3 {
        t.join();
    }
    check_eq!(WOKEN.load(Ordering::SeqCst), 3, "three waiters woken");

    STARTED.store(0, Ordering::SeqCst);
    WOKEN.store(0, Ordering::SeqCst);
    let many = [0; 5].map(|_| spawn(waiter, u32::MAX as usize).expect("spawn"));
    wait_started(5);
    check_eq!(futex_wake(&WORD, 2), Ok(2), "WAKE of 2 wakes two of five");
    check_eq!(
        futex_wake(&WORD, i32::MAX as u32),
        Ok(3),
        "WAKE of INT_MAX wakes the other three"
    );
    for t in many {
        t.join();
    }

    // A signal ends a wait.
    check_eq!(
        catch(SIGUSR1, on_usr1 as *const () as usize),
        Ok(0),
        "SIGUSR1 handler"
    );
    let t = spawn(sleeper, 0).expect("spawn");
    while SLEEPER_TID.load(Ordering::SeqCst) == 0 {
        sched_yield();
    }
    settle(1);
    check_eq!(
        tgkill(getpid(), t.tid(), SIGUSR1),
        Ok(0),
        "tgkill the waiter"
    );
    t.join();
    check_eq!(INTR.load(Ordering::SeqCst), 1, "its WAIT ends with EINTR");

    // The page under a waiter goes away: it waits on, then times out.
    check_eq!(
        unmap_under_waiter(false).1,
        2,
        "a waiter whose page was unmapped times out"
    );
    let (wake, result) = unmap_under_waiter(true);
    check_eq!(
        wake,
        Some(Ok(1)),
        "a private WAKE on the unmapped address still finds its waiter"
    );
    check_eq!(result, 1, "which returns 0");
    vrt::check::all_passed();
    0
}
