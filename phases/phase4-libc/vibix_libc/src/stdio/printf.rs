//! `<stdio.h>`: the printf family: `printf`, `fprintf`, `dprintf`,
//! `sprintf`, `snprintf`, `asprintf` and their `va_list` forms. Each is a
//! [`Sink`] for the one engine in `format.rs`.

extern crate alloc;

use alloc::vec::Vec;
use core::ffi::VaList;

use vibix_abi::errno::set_errno;
use vibix_uapi::errno::ENOMEM;

use super::file::{_IONBF, FILE, Locked, stdout, write_bytes};
use super::format::{Sink, format};
use crate::types::{c_char, c_int, c_void, size_t};

unsafe extern "C" {
    // The C library's allocator: `asprintf`'s string is the caller's to
    // `free`.
    fn malloc(size: size_t) -> *mut c_void;
}

/// Into a locked stream. An unbuffered stream gets the output of one
/// call staged here first, so that it reaches the descriptor in as few
/// writes as it fits in (glibc does the same: `fprintf(stderr, ...)` is
/// one `write`).
struct FileSink {
    f: *mut FILE,
    staged: [u8; 1024],
    len: usize,
    stage: bool,
}

impl FileSink {
    fn drain(&mut self) -> bool {
        let n = self.len;
        self.len = 0;
        // SAFETY: the stream is live and locked for the whole call.
        n == 0 || unsafe { write_bytes(self.f, &self.staged[..n]) == n }
    }
}

impl Sink for FileSink {
    fn put(&mut self, bytes: &[u8]) -> bool {
        if !self.stage {
            // SAFETY: the stream is live and locked for the whole call.
            return unsafe { write_bytes(self.f, bytes) == bytes.len() };
        }
        if self.len + bytes.len() > self.staged.len() {
            if !self.drain() {
                return false;
            }
            if bytes.len() > self.staged.len() {
                // SAFETY: as above.
                return unsafe { write_bytes(self.f, bytes) == bytes.len() };
            }
        }
        self.staged[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
        true
    }
}

/// Into a caller's buffer of `cap` bytes, keeping room for the NUL;
/// what does not fit is counted and dropped.
struct BufSink {
    buf: *mut u8,
    cap: usize,
    len: usize,
}

impl Sink for BufSink {
    fn put(&mut self, bytes: &[u8]) -> bool {
        let room = self.cap.saturating_sub(1).saturating_sub(self.len);
        let k = room.min(bytes.len());
        if k > 0 {
            // SAFETY: `buf[len..len + k]` is inside the caller's buffer
            // (`len + k <= cap - 1`).
            unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), self.buf.add(self.len), k) };
            self.len += k;
        }
        true
    }
}

/// Into a growing buffer.
struct VecSink(Vec<u8>);

impl Sink for VecSink {
    fn put(&mut self, bytes: &[u8]) -> bool {
        self.0.try_reserve(bytes.len()).is_ok() && {
            self.0.extend_from_slice(bytes);
            true
        }
    }
}

/// To a descriptor, through a small buffer.
struct FdSink {
    fd: c_int,
    buf: [u8; 512],
    len: usize,
    ok: bool,
}

impl FdSink {
    fn drain(&mut self) -> bool {
        let mut done = 0;
        while done < self.len {
            match vibix_abi::io::write(self.fd, &self.buf[done..self.len]) {
                Ok(n) if n > 0 => done += n,
                Err(e) if e.raw() == vibix_uapi::errno::EINTR => {}
                _ => {
                    self.ok = false;
                    break;
                }
            }
        }
        self.len = 0;
        self.ok
    }
}

impl Sink for FdSink {
    fn put(&mut self, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            if self.len == self.buf.len() && !self.drain() {
                return false;
            }
            let k = (self.buf.len() - self.len).min(bytes.len());
            self.buf[self.len..self.len + k].copy_from_slice(&bytes[..k]);
            self.len += k;
            bytes = &bytes[k..];
        }
        true
    }
}

// ANCHOR: vfprintf
/// Formats to `f`.
///
/// # Safety
///
/// `f` is a live stream; `fmt` and `ap` as for `printf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vfprintf(f: *mut FILE, fmt: *const c_char, mut ap: VaList) -> c_int {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    let mut sink = FileSink {
        f,
        staged: [0; 1024],
        len: 0,
        // SAFETY: `f` is live and locked.
        stage: unsafe { (*f).mode } == _IONBF,
    };
    // SAFETY: the caller's contract; the stream is locked.
    let n = unsafe { format(&mut sink, fmt, &mut ap) };
    if !sink.drain() {
        return -1;
    }
    n
}
// ANCHOR_END: vfprintf

/// Formats to `stdout`.
///
/// # Safety
///
/// `fmt` is a NUL-terminated format; `ap` holds its arguments.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vprintf(fmt: *const c_char, ap: VaList) -> c_int {
    // SAFETY: the caller's contract; `stdout` is a live stream.
    unsafe { vfprintf(stdout, fmt, ap) }
}

/// Formats to the descriptor `fd`.
///
/// # Safety
///
/// As `vprintf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vdprintf(fd: c_int, fmt: *const c_char, mut ap: VaList) -> c_int {
    let mut sink = FdSink {
        fd,
        buf: [0; 512],
        len: 0,
        ok: true,
    };
    // SAFETY: the caller's contract.
    let n = unsafe { format(&mut sink, fmt, &mut ap) };
    if !sink.drain() || n < 0 {
        return -1;
    }
    n
}

/// Formats into `buf` (at most `size` bytes with the NUL); returns the
/// length the whole result has.
///
/// # Safety
///
/// `buf` has room for `size` bytes (may be NULL if `size` is 0); `fmt`
/// and `ap` as for `printf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vsnprintf(
    buf: *mut c_char,
    size: size_t,
    fmt: *const c_char,
    mut ap: VaList,
) -> c_int {
    let mut sink = BufSink {
        buf: buf.cast(),
        cap: size,
        len: 0,
    };
    // SAFETY: the caller's contract.
    let n = unsafe { format(&mut sink, fmt, &mut ap) };
    if size > 0 {
        // SAFETY: `len <= size - 1`.
        unsafe { *buf.add(sink.len) = 0 };
    }
    n
}

/// Formats into `buf`, which must be big enough.
///
/// # Safety
///
/// As `vsnprintf` with an unbounded size.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vsprintf(buf: *mut c_char, fmt: *const c_char, ap: VaList) -> c_int {
    // SAFETY: the caller's contract: the buffer is big enough.
    unsafe { vsnprintf(buf, isize::MAX as size_t, fmt, ap) }
}

/// Formats into a new `malloc`ed string stored in `*out`.
///
/// # Safety
///
/// `out` is writable; `fmt` and `ap` as for `printf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vasprintf(
    out: *mut *mut c_char,
    fmt: *const c_char,
    mut ap: VaList,
) -> c_int {
    let mut sink = VecSink(Vec::new());
    // SAFETY: the caller's contract.
    let n = unsafe { format(&mut sink, fmt, &mut ap) };
    if n < 0 {
        return -1;
    }
    let v = sink.0;
    // SAFETY: plain allocation.
    let p = unsafe { malloc(v.len() + 1) }.cast::<u8>();
    if p.is_null() {
        set_errno(ENOMEM);
        return -1;
    }
    // SAFETY: `p` has `len + 1` bytes; `out` is the caller's.
    unsafe {
        core::ptr::copy_nonoverlapping(v.as_ptr(), p, v.len());
        *p.add(v.len()) = 0;
        *out = p.cast();
    }
    n
}

// ANCHOR: printf
/// Formats to `stdout`.
///
/// # Safety
///
/// `fmt` is a NUL-terminated format; the arguments match it.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn printf(fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vprintf(fmt, args) }
}
// ANCHOR_END: printf

/// Formats to `f`.
///
/// # Safety
///
/// `f` is a live stream; as `printf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fprintf(f: *mut FILE, fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vfprintf(f, fmt, args) }
}

/// Formats to the descriptor `fd`.
///
/// # Safety
///
/// As `printf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn dprintf(fd: c_int, fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vdprintf(fd, fmt, args) }
}

/// Formats into `buf`, which must be big enough.
///
/// # Safety
///
/// As `vsprintf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sprintf(buf: *mut c_char, fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vsprintf(buf, fmt, args) }
}

/// Formats into `buf` of `size` bytes.
///
/// # Safety
///
/// As `vsnprintf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn snprintf(
    buf: *mut c_char,
    size: size_t,
    fmt: *const c_char,
    args: ...
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vsnprintf(buf, size, fmt, args) }
}

/// Formats into a new `malloc`ed string.
///
/// # Safety
///
/// As `vasprintf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn asprintf(out: *mut *mut c_char, fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vasprintf(out, fmt, args) }
}

#[cfg(test)]
pub(crate) mod tests;
