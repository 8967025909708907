//! `println!` and `eprintln!`: formatted output to fd 1 or 2, one `write` per call (so the
//! output of a program and of the interpreter that ran it interleave in
//! the order they were produced).

use core::fmt::{self, Write};

/// Writes `s` to `fd` without formatting (usable before relocation: it
/// reads no pointer from memory).
pub fn write_str(fd: usize, s: &str) {
    let mut rest = s.as_bytes();
    while !rest.is_empty() {
        // SAFETY: `rest` is a live buffer of `rest.len()` bytes.
        let n = unsafe {
            vibix_uapi::syscall::syscall3(
                vibix_uapi::nr::WRITE,
                fd,
                rest.as_ptr() as usize,
                rest.len(),
            )
        };
        if n == 0 || n > rest.len() {
            return;
        }
        rest = &rest[n..];
    }
}

/// A line buffer on the stack.
struct Line {
    buf: [u8; 512],
    len: usize,
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Formats `args` and a newline, and writes them to fd 1.
pub fn println(args: fmt::Arguments<'_>) {
    line(1, args)
}

/// Formats `args` and a newline, and writes them to `fd` in one `write`.
pub fn line(fd: usize, args: fmt::Arguments<'_>) {
    let mut line = Line {
        buf: [0; 512],
        len: 0,
    };
    let _ = line.write_fmt(args);
    let _ = line.write_str("\n");
    // The buffer holds whole UTF-8 strings unless a line was cut at 512.
    write_str(
        fd,
        core::str::from_utf8(&line.buf[..line.len]).unwrap_or("?\n"),
    );
}

/// `println!("...", args)`: one line to stdout.
#[macro_export]
macro_rules! println {
    ($($arg:tt)*) => {
        $crate::print::println(format_args!($($arg)*))
    };
}

/// `eprintln!("...", args)`: one line to stderr.
#[macro_export]
macro_rules! eprintln {
    ($($arg:tt)*) => {
        $crate::print::line(2, format_args!($($arg)*))
    };
}
