//! What goes into vibix's console. The runner stands where a terminal
//! would: it forwards its input to QEMU's serial port byte for byte and,
//! when that input ends, types the end-of-file character (Ctrl-D), which
//! the console's line discipline (`kcore::tty`) turns into a 0-byte `read`.
//! Input from a pipe or a file never goes on after its end, so there the
//! runner also hangs up (`kcore::tty::HANGUP`): every later read is end of
//! file too, as it is for a program that reads a pipe on Linux.
//!
//! Every byte the line discipline would act on (carriage return, Ctrl-D,
//! Ctrl-V) goes with a Ctrl-V before it, so the program reads exactly the
//! bytes the runner was given. Nothing is sent before the kernel has set up
//! its UART (it logs "vibix: booting" right after): its set-up empties the
//! UART's receive FIFO, and bytes there at that moment would be lost.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ChildStdin;
use std::thread;
use std::time::{Duration, Instant};

use kcore::tty::{HANGUP, VEOF, quote};

/// Where the console's input comes from.
pub enum Source {
    /// These bytes, `after` the console is ready, then end of file (tests;
    /// `runner run` in CI, with no bytes).
    Bytes { bytes: Vec<u8>, after: Duration },
    /// The runner's own stdin, as it comes. On a terminal, Ctrl-D there is
    /// end of file in vibix too, and input may go on after it, as on Linux.
    Stdin,
}

/// The kernel's log line that says the console is ready for input.
const CONSOLE_READY: &[u8] = b"vibix: booting";

/// Feeds `source` into QEMU's serial input from a thread that is never
/// waited for: QEMU may exit without reading it all, and a full pipe (or a
/// terminal nobody types at) must not hold the runner.
pub fn feed(pipe: ChildStdin, kernel_log: PathBuf, source: Source) {
    thread::spawn(move || {
        wait_for_console(&kernel_log, Duration::from_secs(30));
        // Writing fails with EPIPE once QEMU is gone: that is fine.
        let _ = match source {
            Source::Bytes { bytes, after } => {
                thread::sleep(after);
                forward(&bytes[..], false, pipe)
            }
            Source::Stdin => {
                let stdin = io::stdin();
                let terminal = stdin.is_terminal();
                forward(stdin.lock(), terminal, pipe)
            }
        };
    });
}

/// Waits (polling the kernel log) until the console is ready, or `limit`.
fn wait_for_console(kernel_log: &Path, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if std::fs::read(kernel_log)
            .is_ok_and(|log| log.windows(CONSOLE_READY.len()).any(|w| w == CONSOLE_READY))
        {
            return;
        }
        thread::sleep(Duration::from_millis(2));
    }
}

// ANCHOR: forward
/// Copies `input` to `out` quoted, with Ctrl-D at each end of input; a
/// terminal's input goes on after an end of file, any other input ends
/// there with a hang-up.
fn forward(mut input: impl Read, terminal: bool, mut out: impl Write) -> io::Result<()> {
    let mut buf = [0u8; 4096];
    let mut quoted = Vec::with_capacity(2 * buf.len());
    loop {
        match input.read(&mut buf) {
            Ok(0) if terminal => {
                out.write_all(&[VEOF])?;
                out.flush()?;
            }
            Ok(0) => {
                out.write_all(&[VEOF, HANGUP])?;
                return out.flush();
            }
            Ok(n) => {
                quoted.clear();
                quote(&buf[..n], &mut quoted);
                out.write_all(&quoted)?;
                out.flush()?;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                // Unreadable input ends like input from a pipe.
                out.write_all(&[VEOF, HANGUP])?;
                return Err(e);
            }
        }
    }
}
// ANCHOR_END: forward

/// `len` bytes of test input that a console must pass through unchanged:
/// every byte value (the line discipline's own characters, NUL and bytes
/// that are not UTF-8 among them) in lines from empty to several times
/// the console's ring, the last one without a newline. Deterministic: the
/// same `len` gives the same bytes on vibix and on Linux.
pub fn sample(len: usize) -> Vec<u8> {
    const LINE_LENGTHS: [usize; 8] = [0, 1, 79, 300, 4095, 4096, 4097, 9000];
    let mut out = Vec::with_capacity(len);
    let mut state: u32 = 0x9e37_79b9;
    let mut line = 0;
    while out.len() < len {
        let length = LINE_LENGTHS[line % LINE_LENGTHS.len()];
        for i in 0..length {
            if out.len() == len {
                return out;
            }
            // The first 256 bytes of the sample are every value in order,
            // newline aside; then an LCG's high bytes.
            let b = if out.len() < 256 {
                out.len() as u8
            } else {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 24) as u8
            };
            out.push(if b == b'\n' {
                (i % 256) as u8 | 0x80
            } else {
                b
            });
        }
        if out.len() < len {
            out.push(b'\n');
        }
        line += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kcore::tty::LineDiscipline;

    /// What a program reading the console gets from `wire`, until end of file.
    fn read_console(wire: &[u8]) -> Vec<u8> {
        let mut ld = LineDiscipline::new();
        let mut got = Vec::new();
        let mut buf = [0u8; 512];
        for &b in wire {
            if !ld.has_room() {
                while let Some(n) = ld.read(&mut buf) {
                    assert!(n > 0, "end of file before the input ended");
                    got.extend_from_slice(&buf[..n]);
                    if !ld.readable() {
                        break;
                    }
                }
            }
            ld.receive(b);
        }
        loop {
            match ld.read(&mut buf) {
                Some(0) => break,
                Some(n) => got.extend_from_slice(&buf[..n]),
                None => panic!("no end of file"),
            }
        }
        // Input from a pipe ended for good: reading again is end of file.
        assert_eq!(ld.read(&mut buf), Some(0));
        got
    }

    #[test]
    fn forwarded_input_reads_back_exactly_then_ends() {
        let input = sample(40_000);
        let mut wire = Vec::new();
        forward(&input[..], false, &mut wire).unwrap();
        assert!(wire.ends_with(&[VEOF, HANGUP]));
        assert_eq!(read_console(&wire), input);
    }

    #[test]
    fn empty_input_is_just_end_of_file() {
        let mut wire = Vec::new();
        forward(&b""[..], false, &mut wire).unwrap();
        assert_eq!(wire, [VEOF, HANGUP]);
    }

    #[test]
    fn the_sample_has_every_byte_value_and_long_lines() {
        let s = sample(30_000);
        assert_eq!(s.len(), 30_000);
        for v in 0..=255u8 {
            assert!(s.contains(&v), "byte {v:#04x} missing");
        }
        let longest = s.split(|&b| b == b'\n').map(<[u8]>::len).max();
        assert_eq!(longest, Some(9000));
        assert_ne!(s.last(), Some(&b'\n'));
        assert_eq!(sample(30_000), s);
    }
}
