//! `clock_gettime`: CLOCK_REALTIME is after 2025, CLOCK_MONOTONIC never goes
//! back, and a clock id nobody has is EINVAL (finding U-A1).

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::syscall::syscall2;
use vrt::{check, check_eq};

vrt::entry!(main);

const CLOCK_GETTIME: usize = vrt::nr::CLOCK_GETTIME;
const CLOCK_REALTIME: usize = vrt::uapi::time::CLOCK_REALTIME as usize;
const CLOCK_MONOTONIC: usize = vrt::uapi::time::CLOCK_MONOTONIC as usize;
/// 2025-01-01T00:00:00Z in seconds since the epoch.
const YEAR_2025: i64 = 1_735_689_600;

#[repr(C)]
#[derive(Default, Clone, Copy, PartialEq, PartialOrd, Debug)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

fn clock_gettime(id: usize, ts: *mut Timespec) -> Result<usize, Errno> {
    // SAFETY: the kernel writes one timespec at `ts`, or fails.
    Errno::from_ret(unsafe { syscall2(CLOCK_GETTIME, id, ts as usize) })
}

fn now(id: usize) -> Timespec {
    let mut ts = Timespec::default();
    check_eq!(clock_gettime(id, &mut ts), Ok(0), "clock_gettime({id})");
    ts
}

fn main(_args: &vrt::Args) -> i32 {
    let real = now(CLOCK_REALTIME);
    check!(real.sec > YEAR_2025, "CLOCK_REALTIME is after 2025");
    check!(
        (0..1_000_000_000).contains(&real.nsec),
        "tv_nsec is below one second"
    );
    let mut previous = now(CLOCK_MONOTONIC);
    let mut never_back = true;
    for _ in 0..1000 {
        let mut t = Timespec::default();
        let _ = clock_gettime(CLOCK_MONOTONIC, &mut t);
        never_back &= t >= previous;
        previous = t;
    }
    check!(
        never_back,
        "CLOCK_MONOTONIC never goes backwards over 1000 reads"
    );
    let mut spin = 0u64;
    let start = now(CLOCK_MONOTONIC);
    while now_quiet() == start && spin < 100_000_000 {
        spin += 1;
    }
    check!(now_quiet() > start, "CLOCK_MONOTONIC advances");
    let mut ts = Timespec::default();
    check_eq!(
        clock_gettime(100, &mut ts),
        Err(Errno::EINVAL),
        "clock id 100 -> EINVAL"
    );
    check_eq!(
        clock_gettime(CLOCK_REALTIME, core::ptr::null_mut()),
        Err(Errno::EFAULT),
        "a NULL timespec -> EFAULT"
    );
    vrt::check::all_passed();
    0
}

fn now_quiet() -> Timespec {
    let mut t = Timespec::default();
    let _ = clock_gettime(CLOCK_MONOTONIC, &mut t);
    t
}
