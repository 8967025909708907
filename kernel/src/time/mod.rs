//! Time: a monotonic clock from the TSC, calibrated once at boot
//! against the PIT, and the wall clock read from the CMOS RTC at boot.
//! `CLOCK_REALTIME` = boot wall time + monotonic time since boot.

mod calibrate;
mod rtc;

use spin::Once;

struct Clock {
    tsc_at_boot: u64,
    tsc_hz: u64,
    realtime_at_boot_ns: u64,
}

static CLOCK: Once<Clock> = Once::new();

fn rdtsc() -> u64 {
    // SAFETY: RDTSC only reads the time-stamp counter.
    unsafe { core::arch::x86_64::_rdtsc() }
}

/// Calibrates the TSC and reads the RTC. Takes about 5 ms.
pub fn init() {
    let tsc_hz = calibrate::tsc_hz();
    let tsc_at_boot = rdtsc();
    let realtime_at_boot_ns = match rtc::read_unix_seconds() {
        Some(seconds) => seconds * 1_000_000_000,
        None => {
            crate::kprintln!("no RTC: CLOCK_REALTIME counts from 1970-01-01");
            0
        }
    };
    crate::kprintln!(
        "TSC {} MHz, RTC {} s since the epoch",
        tsc_hz / 1_000_000,
        realtime_at_boot_ns / 1_000_000_000
    );
    CLOCK.call_once(|| Clock {
        tsc_at_boot,
        tsc_hz,
        realtime_at_boot_ns,
    });
}

/// Nanoseconds since boot; never goes backwards.
pub fn monotonic_ns() -> u64 {
    let c = CLOCK.get().expect("time::init ran at boot");
    let ticks = rdtsc().saturating_sub(c.tsc_at_boot);
    (u128::from(ticks) * 1_000_000_000 / u128::from(c.tsc_hz)) as u64
}

/// Nanoseconds since 1970-01-01 UTC.
pub fn realtime_ns() -> u64 {
    let c = CLOCK.get().expect("time::init ran at boot");
    c.realtime_at_boot_ns + monotonic_ns()
}
