//! The timer: the 8254 PIT's channel 0 interrupts HZ times a second. Each
//! tick counts towards `ticks()`; the scheduler will hang off it later.

use core::sync::atomic::{AtomicU64, Ordering};
use x86_64::instructions::port::Port;

pub const HZ: u32 = 100;
const PIT_FREQUENCY: u32 = 1_193_182;
/// Channel 0 counts down from this, HZ times a second.
pub const DIVISOR: u16 = (PIT_FREQUENCY / HZ) as u16;

static TICKS: AtomicU64 = AtomicU64::new(0);

pub fn init() {
    let divisor = DIVISOR;
    // SAFETY: PIT command/data ports; mode 2 (rate generator) on channel 0.
    unsafe {
        Port::<u8>::new(0x43).write(0x34);
        Port::<u8>::new(0x40).write(divisor as u8);
        Port::<u8>::new(0x40).write((divisor >> 8) as u8);
    }
}

pub fn on_tick() {
    let now = TICKS.fetch_add(1, Ordering::Relaxed) + 1;
    crate::proc::timer::on_tick(now);
}

/// Timer interrupts since boot.
pub fn ticks() -> u64 {
    TICKS.load(Ordering::Relaxed)
}
