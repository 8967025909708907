//! The console as a file: writes go to COM1; a read sleeps until the
//! UART's receive interrupt brings input.

use crate::console::serial;
use crate::proc::waitq::WaitQueue;
use kcore::errno::KResult;

/// Readers waiting for console input.
pub static INPUT_WAIT: WaitQueue = WaitQueue::new();

pub fn write(buf: &[u8]) {
    serial::write(buf);
}

/// Blocks until at least one byte (or a whole line) is available.
pub fn read(buf: &mut [u8]) -> KResult<usize> {
    if buf.is_empty() {
        return Ok(0);
    }
    loop {
        let n = serial::read_available(buf);
        if n > 0 {
            return Ok(n);
        }
        INPUT_WAIT.sleep()?;
    }
}
