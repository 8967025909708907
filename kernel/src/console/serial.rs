//! COM1, the console: output goes straight to the UART (with the tty's
//! "\n" -> "\r\n" translation, like Linux's ONLCR); input arrives by interrupt
//! (IRQ 4) and goes through the line discipline (`kcore::tty`) into its
//! ring, which `read` drains. No input byte is ever dropped: while the ring
//! is full, bytes wait in the UART, and QEMU sends no more until they are
//! taken.

use kcore::tty::LineDiscipline;
use spin::Mutex;
use uart_16550::backend::PioBackend;
use uart_16550::spec::registers::IER;
use uart_16550::{Config, Uart16550};

const COM1: u16 = 0x3f8;

static UART: Mutex<Option<Uart16550<PioBackend>>> = Mutex::new(None);
/// Bytes received and cooked by the line discipline, not yet read.
static INPUT: Mutex<LineDiscipline> = Mutex::new(LineDiscipline::new());

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
            let Ok(b) = uart.try_receive_byte() else {
                break;
            };
            input.receive(b);
        }
    }
    let config = Config {
        interrupts: IER::DATA_READY,
        ..Config::DEFAULT
    };
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

/// The receive interrupt: moves the waiting bytes into the line discipline.
pub fn on_interrupt() {
    receive();
    crate::fs::console::INPUT_WAIT.wake_all();
    crate::fs::file::POLL_WAIT.wake_all();
}

// ANCHOR: receive
/// Moves whatever the UART holds into the input ring. Besides the
/// interrupt, readers call this before they sleep: IRQ 4 is an edge, and
/// input that arrived before the IOAPIC routed it raised the line once,
/// unseen, and keeps it raised until the bytes are read. Without this poll
/// such input (a test's stdin fed right after boot) would wait forever.
///
/// It takes bytes only while the ring has room. The rest stay in the UART
/// (its interrupt line stays raised, so no new edge comes), and the next
/// reader's call here takes them once it has made room.
fn receive() {
    let mut guard = UART.lock();
    let Some(uart) = guard.as_mut() else { return };
    let mut input = INPUT.lock();
    while input.has_room() {
        let Ok(b) = uart.try_receive_byte() else {
            break;
        };
        input.receive(b);
    }
}
// ANCHOR_END: receive

/// Whether a read would return at once (input, or an end of file).
pub fn input_pending() -> bool {
    receive();
    INPUT.lock().readable()
}

/// A read of the console through the line discipline: `None` if nothing has
/// arrived yet, else the byte count (0 at an end of file).
pub fn read(buf: &mut [u8]) -> Option<usize> {
    receive();
    let n = INPUT.lock().read(buf);
    // Reading made room: take what waited in the UART while the ring was
    // full (its interrupt will not come again for it).
    receive();
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
