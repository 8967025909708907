//! vibix: standard input, output and error are descriptors 0, 1 and 2,
//! read and written with `read`, `write` and `writev`.

use vibix_abi::io::{STDERR_FILENO, STDIN_FILENO, STDOUT_FILENO};
use vibix_abi::{Errno, iovec};

use crate::io::{self, IoSlice};

pub struct Stdin;
pub struct Stdout;
pub struct Stderr;

fn cvt<T>(r: vibix_abi::Result<T>) -> io::Result<T> {
    r.map_err(|e| io::Error::from_raw_os_error(e.raw()))
}

// ANCHOR: write
fn write(fd: i32, buf: &[u8]) -> io::Result<usize> {
    cvt(vibix_abi::io::write(fd, buf))
}

fn write_vectored(fd: i32, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
    // SAFETY: on vibix an `IoSlice` is an `iovec` (`repr(transparent)`)
    // describing a live, readable buffer.
    let iov = unsafe { crate::slice::from_raw_parts(bufs.as_ptr().cast::<iovec>(), bufs.len()) };
    // SAFETY: every entry describes a buffer borrowed for this call.
    cvt(unsafe { vibix_abi::io::writev(fd, iov) })
}
// ANCHOR_END: write

impl Stdin {
    pub const fn new() -> Stdin {
        Stdin
    }
}

impl io::Read for Stdin {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        cvt(vibix_abi::io::read(STDIN_FILENO, buf))
    }
}

impl Stdout {
    pub const fn new() -> Stdout {
        Stdout
    }
}

impl io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        write(STDOUT_FILENO, buf)
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        write_vectored(STDOUT_FILENO, bufs)
    }

    #[inline]
    fn is_write_vectored(&self) -> bool {
        true
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Stderr {
    pub const fn new() -> Stderr {
        Stderr
    }
}

impl io::Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        write(STDERR_FILENO, buf)
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        write_vectored(STDERR_FILENO, bufs)
    }

    #[inline]
    fn is_write_vectored(&self) -> bool {
        true
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A closed standard descriptor is not an error: output to it is dropped,
/// as on Unix.
pub fn is_ebadf(err: &io::Error) -> bool {
    err.raw_os_error() == Some(Errno::EBADF.raw())
}

pub const STDIN_BUF_SIZE: usize = crate::sys::io::DEFAULT_BUF_SIZE;

pub fn panic_output() -> Option<impl io::Write> {
    Some(Stderr::new())
}
