//! Measures the TSC frequency against the PIT, whose input clock is a fixed
//! 1.193182 MHz. Channel 0 is already counting down (the 100 Hz timer), so
//! we poll its counter for ~5 ms worth of PIT counts and compare with the TSC.
//! Polling works with interrupts off and on every PC QEMU emulates.

use x86_64::instructions::port::Port;

const PIT_HZ: u64 = 1_193_182;
/// About 5 ms of PIT counts.
const COUNTS: u64 = PIT_HZ / 200;

/// The current count of PIT channel 0 (latched, so both bytes match).
fn read_channel0() -> u16 {
    // SAFETY: the latch command and counter reads only touch the PIT.
    unsafe {
        Port::<u8>::new(0x43).write(0x00);
        let lo = Port::<u8>::new(0x40).read();
        let hi = Port::<u8>::new(0x40).read();
        u16::from_le_bytes([lo, hi])
    }
}

pub fn tsc_hz() -> u64 {
    let reload = u64::from(crate::arch::pit::DIVISOR);
    let mut last = u64::from(read_channel0());
    let start = super::rdtsc();
    let mut elapsed = 0u64;
    while elapsed < COUNTS {
        let now = u64::from(read_channel0());
        // The counter runs down to 1 and reloads; a rise means it wrapped.
        elapsed += if now <= last {
            last - now
        } else {
            last + reload - now
        };
        last = now;
    }
    let tsc = super::rdtsc() - start;
    (u128::from(tsc) * u128::from(PIT_HZ) / u128::from(elapsed)) as u64
}
