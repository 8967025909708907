//! COM1, the console: output goes straight to the UART (with the tty's
//! "\n" -> "\r\n" translation, like Linux's ONLCR); input arrives by interrupt
//! (IRQ 4) into a small ring buffer that `read` drains.

use spin::Mutex;
use uart_16550::backend::PioBackend;
use uart_16550::spec::registers::IER;
use uart_16550::{Config, Uart16550};

const COM1: u16 = 0x3f8;
const INPUT_CAPACITY: usize = 4096;

static UART: Mutex<Option<Uart16550<PioBackend>>> = Mutex::new(None);
static INPUT: Mutex<Ring> = Mutex::new(Ring::new());

/// Bytes received but not yet read.
struct Ring {
    buf: [u8; INPUT_CAPACITY],
    head: usize,
    len: usize,
}

impl Ring {
    const fn new() -> Ring {
        Ring { buf: [0; INPUT_CAPACITY], head: 0, len: 0 }
    }

    fn push(&mut self, b: u8) {
        if self.len < INPUT_CAPACITY {
            self.buf[(self.head + self.len) % INPUT_CAPACITY] = b;
            self.len += 1;
        }
    }

    fn pop(&mut self) -> Option<u8> {
        if self.len == 0 {
            return None;
        }
        let b = self.buf[self.head];
        self.head = (self.head + 1) % INPUT_CAPACITY;
        self.len -= 1;
        Some(b)
    }
}

/// Programs COM1 (115200 8N1, FIFO on, receive interrupt on).
pub fn init() {
    // SAFETY: 0x3f8..0x3f8+8 are COM1's registers on every PC machine QEMU
    // emulates (pc and microvm), and only this module touches them.
    let mut uart = unsafe { Uart16550::new_port(COM1) }.expect("COM1 port range is valid");
    // Input that arrived before now waits in the receive register; `init`
    // resets the FIFOs, which would drop it (a test's stdin lost its first
    // byte). At most a FIFO's worth: a missing UART reads as all ones,
    // "data ready" forever.
    {
        let mut input = INPUT.lock();
        for _ in 0..16 {
            let Ok(b) = uart.try_receive_byte() else { break };
            input.push(if b == b'\r' { b'\n' } else { b });
        }
    }
    let config = Config { interrupts: IER::DATA_READY, ..Config::DEFAULT };
    if uart.init(config).is_ok() {
        *UART.lock() = Some(uart);
    }
}

/// Writes console output, translating "\n" into "\r\n".
pub fn write(bytes: &[u8]) {
    let mut guard = UART.lock();
    let Some(uart) = guard.as_mut() else { return };
    for chunk in bytes.split_inclusive(|&b| b == b'\n') {
        match chunk.split_last() {
            Some((b'\n', line)) => {
                uart.send_bytes_exact(line);
                uart.send_bytes_exact(b"\r\n");
            }
            _ => uart.send_bytes_exact(chunk),
        }
    }
}

/// The receive interrupt: moves every waiting byte into the input ring,
/// turning "\r" into "\n" (the tty's ICRNL).
pub fn on_interrupt() {
    receive();
    crate::fs::console::INPUT_WAIT.wake_all();
    crate::fs::file::POLL_WAIT.wake_all();
}

/// Moves whatever the UART holds into the input ring. Besides the
/// interrupt, readers call this before they sleep: IRQ 4 is an edge, and
/// input that arrived before the IOAPIC routed it raised the line once,
/// unseen, and keeps it raised until the bytes are read. Without this poll
/// such input (a test's stdin fed right after boot) would wait forever.
fn receive() {
    let mut guard = UART.lock();
    let Some(uart) = guard.as_mut() else { return };
    let mut input = INPUT.lock();
    while let Ok(b) = uart.try_receive_byte() {
        input.push(if b == b'\r' { b'\n' } else { b });
    }
}

/// Whether input is waiting to be read.
pub fn input_pending() -> bool {
    receive();
    INPUT.lock().len > 0
}

/// Takes up to `buf.len()` received bytes; returns how many.
pub fn read_available(buf: &mut [u8]) -> usize {
    receive();
    let mut input = INPUT.lock();
    let mut n = 0;
    while n < buf.len() {
        match input.pop() {
            Some(b) => {
                buf[n] = b;
                n += 1;
                if b == b'\n' {
                    break;
                }
            }
            None => break,
        }
    }
    n
}

/// Writes a panic message even if the console lock is held (by the code that
/// panicked): a panicking kernel never returns to that holder.
pub fn write_panic(args: core::fmt::Arguments) {
    use core::fmt::Write;
    struct Raw;
    impl Write for Raw {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            // SAFETY: interrupts are off and the panicking CPU never returns
            // to the code that may hold the lock, so nobody else uses the UART.
            unsafe { UART.force_unlock() };
            write(s.as_bytes());
            Ok(())
        }
    }
    let _ = Raw.write_fmt(args);
}
