//! The console's line discipline: what happens to each byte between the
//! serial line and a `read` of the console.
//!
//! It does what a Linux terminal in its default (canonical) mode does with
//! the characters that matter for a program's input, and nothing else:
//!
//! - `\r` becomes `\n` (`ICRNL`): the Enter key sends a carriage return;
//! - the end-of-file character, Ctrl-D (`VEOF`), is end of file: the read
//!   that reaches it returns 0 (a read that has bytes before it returns
//!   those, and the next read the 0), and reading goes on after it;
//! - the literal-next character, Ctrl-V (`VLNEXT`), makes the byte after it
//!   ordinary, whatever it is. That is how the runner forwards any byte
//!   exactly: it puts Ctrl-V before each byte this discipline would act on;
//! - [`HANGUP`] (Ctrl-Y, ASCII "end of medium") says the terminal has gone:
//!   once what came before it is read, every read returns 0, as on Linux
//!   after a hang-up. The runner sends it after the Ctrl-D that ends input
//!   from a pipe or a file, which will never go on; so a program that reads
//!   again after its end of file (`for line in stdin.lines()` after a last
//!   line without a newline does) ends as it does on Linux with a pipe,
//!   instead of waiting for a terminal nobody types at.
//!
//! Unlike Linux, a `read` does not wait for a whole line: it returns what
//! has arrived, up to and including the first newline. That keeps lines of
//! any length intact (Linux keeps at most 4095 bytes of a line) and lets a
//! program that reads a pipe-like stream see it as it comes. It is also why
//! Ctrl-D after text is end of file at once: on Linux, `abc` Ctrl-D hands
//! `abc` to the reader (it was held back until then) and only a second
//! Ctrl-D is end of file; here `abc` has already been readable.
//!
//! The input is a fixed ring. The driver asks [`LineDiscipline::has_room`]
//! before it takes a byte off the UART, so when a program reads slower than
//! input arrives, the bytes wait in the UART (and behind it, in QEMU) rather
//! than being dropped.

/// Ctrl-D: end of file (Linux's default `VEOF`).
pub const VEOF: u8 = 0x04;
/// Ctrl-V: the next byte is ordinary (Linux's default `VLNEXT`).
pub const VLNEXT: u8 = 0x16;

/// Ctrl-Y (ASCII EM, "end of medium"): the input has ended for good.
pub const HANGUP: u8 = 0x19;

/// The bytes a sender must quote with [`VLNEXT`] so that they arrive as
/// themselves.
pub const SPECIAL: [u8; 4] = [b'\r', VEOF, VLNEXT, HANGUP];

/// How many entries (bytes and end-of-file marks) the input ring holds.
pub const CAPACITY: usize = 4096;

/// One entry of the ring: a byte for the reader, or an end-of-file mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Byte(u8),
    Eof,
}

/// The console's input: bytes received, cooked, and not yet read.
pub struct LineDiscipline {
    ring: [Entry; CAPACITY],
    head: usize,
    len: usize,
    /// The previous byte was [`VLNEXT`]: the next one is taken as it is.
    quoting: bool,
    /// [`HANGUP`] came: an empty ring reads as end of file.
    hung_up: bool,
}

impl Default for LineDiscipline {
    fn default() -> Self {
        Self::new()
    }
}

impl LineDiscipline {
    pub const fn new() -> LineDiscipline {
        LineDiscipline {
            ring: [Entry::Byte(0); CAPACITY],
            head: 0,
            len: 0,
            quoting: false,
            hung_up: false,
        }
    }

    /// Whether [`receive`](Self::receive) can take another byte. The driver
    /// leaves input in the UART while this is false.
    pub fn has_room(&self) -> bool {
        self.len < CAPACITY
    }

    /// Whether a `read` would return at once (data or end of file).
    pub fn readable(&self) -> bool {
        self.len > 0 || self.hung_up
    }

    /// Takes one byte from the line. The caller checked
    /// [`has_room`](Self::has_room); a byte that finds the ring full anyway
    /// is dropped.
    pub fn receive(&mut self, byte: u8) {
        let entry = if self.quoting {
            self.quoting = false;
            Entry::Byte(byte)
        } else {
            match byte {
                VLNEXT => {
                    self.quoting = true;
                    return;
                }
                HANGUP => {
                    self.hung_up = true;
                    return;
                }
                VEOF => Entry::Eof,
                b'\r' => Entry::Byte(b'\n'),
                other => Entry::Byte(other),
            }
        };
        if self.has_room() {
            self.ring[(self.head + self.len) % CAPACITY] = entry;
            self.len += 1;
        }
    }

    fn front(&self) -> Option<Entry> {
        (self.len > 0).then(|| self.ring[self.head])
    }

    fn pop(&mut self) {
        self.head = (self.head + 1) % CAPACITY;
        self.len -= 1;
    }

    // ANCHOR: read
    /// A `read` of the console: `None` if nothing has arrived (the reader
    /// sleeps), else how many bytes went into `buf`. It stops after a
    /// newline and before an end-of-file mark; a read that finds the mark
    /// first consumes it and returns `Some(0)`, as does every read of an
    /// empty ring after a hang-up.
    pub fn read(&mut self, buf: &mut [u8]) -> Option<usize> {
        if self.front().is_none() {
            return self.hung_up.then_some(0);
        }
        let mut n = 0;
        while n < buf.len() {
            match self.front() {
                None => break,
                Some(Entry::Eof) => {
                    if n == 0 {
                        self.pop();
                    }
                    break;
                }
                Some(Entry::Byte(b)) => {
                    self.pop();
                    buf[n] = b;
                    n += 1;
                    if b == b'\n' {
                        break;
                    }
                }
            }
        }
        Some(n)
    }
    // ANCHOR_END: read
}

/// Quotes `bytes` for this discipline: each byte in [`SPECIAL`] gets a
/// [`VLNEXT`] before it, so the reader receives exactly `bytes`.
pub fn quote(bytes: &[u8], out: &mut alloc::vec::Vec<u8>) {
    for &b in bytes {
        if SPECIAL.contains(&b) {
            out.push(VLNEXT);
        }
        out.push(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn feed(ld: &mut LineDiscipline, bytes: &[u8]) {
        for &b in bytes {
            assert!(ld.has_room());
            ld.receive(b);
        }
    }

    /// Reads until nothing is pending; `None` stands for a 0-byte read.
    fn drain(ld: &mut LineDiscipline, chunk: usize) -> Vec<Option<Vec<u8>>> {
        let mut reads = Vec::new();
        let mut buf = alloc::vec![0u8; chunk];
        while let Some(n) = ld.read(&mut buf) {
            reads.push((n > 0).then(|| buf[..n].to_vec()));
        }
        reads
    }

    #[test]
    fn nothing_pending_means_the_reader_sleeps() {
        let mut ld = LineDiscipline::new();
        assert!(!ld.readable());
        assert_eq!(ld.read(&mut [0; 8]), None);
    }

    #[test]
    fn a_read_stops_after_a_newline_and_carriage_return_is_newline() {
        let mut ld = LineDiscipline::new();
        feed(&mut ld, b"one\rtwo\nthr");
        assert_eq!(
            drain(&mut ld, 64),
            [
                Some(b"one\n".to_vec()),
                Some(b"two\n".to_vec()),
                Some(b"thr".to_vec())
            ]
        );
    }

    #[test]
    fn ctrl_d_is_end_of_file_after_the_bytes_before_it() {
        let mut ld = LineDiscipline::new();
        feed(&mut ld, b"abc\x04\x04x\n\x04");
        assert_eq!(
            drain(&mut ld, 64),
            [
                Some(b"abc".to_vec()),
                None,
                None,
                Some(b"x\n".to_vec()),
                None
            ]
        );
    }

    #[test]
    fn after_a_hang_up_every_read_is_end_of_file() {
        let mut ld = LineDiscipline::new();
        feed(&mut ld, b"ab\x04c\x19");
        let mut buf = [0u8; 8];
        assert_eq!(ld.read(&mut buf), Some(2));
        assert_eq!(ld.read(&mut buf), Some(0));
        assert_eq!(ld.read(&mut buf), Some(1));
        for _ in 0..3 {
            assert!(ld.readable());
            assert_eq!(ld.read(&mut buf), Some(0));
        }
    }

    #[test]
    fn quoted_bytes_are_ordinary() {
        let mut ld = LineDiscipline::new();
        feed(&mut ld, b"\x16\r\x16\x04\x16\x16\x16\x19z\x04");
        assert_eq!(
            drain(&mut ld, 64),
            [Some(b"\r\x04\x16\x19z".to_vec()), None]
        );
    }

    #[test]
    fn quote_then_receive_gives_every_byte_back_exactly() {
        let all: Vec<u8> = (0..=255u8)
            .chain(b"\r\n\r\x04\x16\x16\x19".iter().copied())
            .collect();
        let mut quoted = Vec::new();
        quote(&all, &mut quoted);
        quoted.push(VEOF);
        let mut ld = LineDiscipline::new();
        feed(&mut ld, &quoted);
        let mut got = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            match ld.read(&mut buf) {
                Some(0) => break,
                Some(n) => got.extend_from_slice(&buf[..n]),
                None => panic!("end of file never came"),
            }
        }
        assert_eq!(got, all);
        assert_eq!(ld.read(&mut buf), None);
    }

    #[test]
    fn a_full_ring_refuses_more_and_keeps_what_it_has() {
        let mut ld = LineDiscipline::new();
        let mut n = 0;
        while ld.has_room() {
            ld.receive(b'a' + (n % 26) as u8);
            n += 1;
        }
        assert_eq!(n, CAPACITY);
        ld.receive(b'!'); // dropped: the driver would not have taken it
        let mut buf = alloc::vec![0u8; 2 * CAPACITY];
        let mut got = Vec::new();
        while let Some(k) = ld.read(&mut buf) {
            got.extend_from_slice(&buf[..k]);
        }
        let expected: Vec<u8> = (0..CAPACITY).map(|i| b'a' + (i % 26) as u8).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn the_ring_wraps_around() {
        let mut ld = LineDiscipline::new();
        let mut sent = Vec::new();
        let mut got = Vec::new();
        let mut buf = [0u8; 1000];
        for round in 0..20u32 {
            for i in 0..900u32 {
                let b = ((round * 7 + i) % 200) as u8 + 32;
                ld.receive(b);
                sent.push(b);
            }
            while let Some(k) = ld.read(&mut buf) {
                got.extend_from_slice(&buf[..k]);
            }
        }
        assert_eq!(got, sent);
    }
}
