//! The console as a file: writes go to COM1, reads wait for input. Until
//! the scheduler exists, a reader waits with `hlt` (interrupts on), woken
//! by the UART's receive interrupt: no busy loop.

use crate::console::serial;

pub fn write(buf: &[u8]) {
    serial::write(buf);
}

/// Blocks until at least one byte (or a whole line) is available.
pub fn read(buf: &mut [u8]) -> usize {
    if buf.is_empty() {
        return 0;
    }
    loop {
        let n = serial::read_available(buf);
        if n > 0 {
            return n;
        }
        // Atomically enable interrupts and wait (no lost-wakeup window:
        // STI takes effect only after HLT starts), then disable them again.
        x86_64::instructions::interrupts::enable_and_hlt();
        x86_64::instructions::interrupts::disable();
    }
}
