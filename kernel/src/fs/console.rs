//! The console as a file: writes go to COM1; a read sleeps until the
//! UART's receive interrupt brings input (or an end of file).

use crate::console::serial;
use crate::proc::waitq::WaitQueue;
use kcore::errno::KResult;

/// Readers waiting for console input.
pub static INPUT_WAIT: WaitQueue = WaitQueue::new();

pub fn write(buf: &[u8]) {
    serial::write(buf);
}

/// Blocks until input arrives; returns up to a line of it, or 0 at an end
/// of file (Ctrl-D, see `kcore::tty`).
pub fn read(buf: &mut [u8]) -> KResult<usize> {
    if buf.is_empty() {
        return Ok(0);
    }
    loop {
        if let Some(n) = serial::read(buf) {
            return Ok(n);
        }
        INPUT_WAIT.sleep()?;
    }
}
