//! The kernel log: `kprintln!` writes to QEMU's debugcon (I/O port 0xe9), so
//! kernel messages never interleave with a program's console output.
//! Without a debugcon device the writes go nowhere, at one `out` per byte.

use core::fmt::{self, Write};
use x86_64::instructions::port::Port;

const DEBUGCON_PORT: u16 = 0xe9;

/// A `fmt::Write` sink that writes to the debugcon port.
pub struct Klog;

impl Write for Klog {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut port = Port::<u8>::new(DEBUGCON_PORT);
        for b in s.bytes() {
            // SAFETY: port 0xe9 is QEMU's debugcon (or absent); writing it has
            // no effect on memory.
            unsafe { port.write(b) };
        }
        Ok(())
    }
}

#[doc(hidden)]
pub fn _print(args: fmt::Arguments) {
    // The sink is stateless, so concurrent writers can only interleave text.
    let _ = Klog.write_fmt(args);
}

/// Prints a line to the kernel log, prefixed with `vibix: `.
#[macro_export]
macro_rules! kprintln {
    ($($arg:tt)*) => {
        $crate::console::klog::_print(format_args!("vibix: {}\n", format_args!($($arg)*)))
    };
}
