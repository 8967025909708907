//! `print!`, `println!` and `eprintln!`: formatted output to fd 1 and fd 2.
//!
//! There is no buffering between calls: each macro call formats into a small
//! buffer on the stack and hands it to `write` before returning (in pieces
//! only if it is longer than the buffer). So output appears in exactly the
//! order the program produced it, even when stdout and stderr go to the same
//! place, and nothing is lost if the program dies right afterwards.

use core::fmt::{self, Write};

use crate::io::{self, STDERR, STDOUT};

/// Formats `args` and writes the result to `fd`. Output errors are ignored,
/// as there is nowhere left to report them. Used by the macros.
pub fn print_to(fd: i32, args: fmt::Arguments<'_>) {
    let mut out = FdWriter {
        fd,
        buf: [0; 256],
        len: 0,
    };
    let _ = out.write_fmt(args);
    out.flush();
}

/// Writes formatted text to fd 1.
pub fn print(args: fmt::Arguments<'_>) {
    print_to(STDOUT, args);
}

/// Writes formatted text to fd 2.
pub fn eprint(args: fmt::Arguments<'_>) {
    print_to(STDERR, args);
}

/// A `fmt::Write` sink that collects text and passes it to `write(fd)`.
struct FdWriter {
    fd: i32,
    buf: [u8; 256],
    len: usize,
}

impl FdWriter {
    fn flush(&mut self) {
        let _ = io::write_all(self.fd, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl Write for FdWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &byte in s.as_bytes() {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = byte;
            self.len += 1;
        }
        Ok(())
    }
}

/// Displays bytes that should be text (a file's content, an argument) as
/// UTF-8, showing each invalid sequence as U+FFFD.
pub struct Bytes<'a>(pub &'a [u8]);

impl fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

/// Prints to the standard output, like `std::print!`.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::print::print(format_args!($($arg)*))
    };
}

/// Prints to the standard output with a newline, like `std::println!`.
#[macro_export]
macro_rules! println {
    () => {
        $crate::print::print(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::print::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Prints to the standard error, like `std::eprint!`.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::print::eprint(format_args!($($arg)*))
    };
}

/// Prints to the standard error with a newline, like `std::eprintln!`.
#[macro_export]
macro_rules! eprintln {
    () => {
        $crate::print::eprint(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::print::eprint(format_args!("{}\n", format_args!($($arg)*)))
    };
}
