//! `<stdio.h>`: reading and writing streams: bytes and objects (`fread`,
//! `fwrite`), characters (`fgetc`, `getc`, `getchar`, `ungetc`, `fputc`,
//! `putc`, `putchar`), lines (`fgets`, `fputs`, `puts`, `getline`,
//! `getdelim`; `getc_unlocked`, `getchar_unlocked`, `putc_unlocked`,
//! `putchar_unlocked` for callers holding the lock), the position (`fseek`, `fseeko`, `ftell`, `ftello`,
//! `rewind`, `fgetpos`, `fsetpos`), flushing (`fflush`), the end-of-file
//! and error indicators (`feof`, `ferror`, `clearerr`) and `perror`.

extern crate alloc;

use core::ffi::CStr;

use vibix_abi::errno::{errno, set_errno};
use vibix_uapi::errno::{EINVAL, ENOMEM, EOVERFLOW};
use vibix_uapi::fcntl::{SEEK_CUR, SEEK_END, SEEK_SET};

use super::file::{
    AT_EOF, CAN_READ, EOF, ERROR, FILE, Locked, flush, flush_all, fpos_t, getc_locked,
    give_back_read_ahead, read_bytes, stderr, stdin, stdout, write_bytes,
};
use crate::types::{c_char, c_int, c_long, c_void, off_t, size_t, ssize_t};

unsafe extern "C" {
    // The C library's allocator (stdlib): `getline`'s buffer is the
    // caller's to `free`.
    fn realloc(ptr: *mut c_void, size: size_t) -> *mut c_void;
}

/// Reads up to `n` objects of `size` bytes into `ptr`; returns how many
/// were read whole.
///
/// # Safety
///
/// `f` is a live stream; `ptr` has room for `size * n` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fread(ptr: *mut c_void, size: size_t, n: size_t, f: *mut FILE) -> size_t {
    let Some(total) = size.checked_mul(n) else {
        set_errno(EOVERFLOW);
        return 0;
    };
    if total == 0 {
        return 0;
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: the caller gives `total` writable bytes; `f` is locked.
    let got = unsafe { read_bytes(f, core::slice::from_raw_parts_mut(ptr.cast(), total)) };
    got / size
}

/// Writes `n` objects of `size` bytes from `ptr`; returns how many were
/// written whole.
///
/// # Safety
///
/// `f` is a live stream; `ptr` holds `size * n` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fwrite(
    ptr: *const c_void,
    size: size_t,
    n: size_t,
    f: *mut FILE,
) -> size_t {
    let Some(total) = size.checked_mul(n) else {
        set_errno(EOVERFLOW);
        return 0;
    };
    if total == 0 {
        return 0;
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: the caller gives `total` readable bytes; `f` is locked.
    let put = unsafe { write_bytes(f, core::slice::from_raw_parts(ptr.cast(), total)) };
    put / size
}

/// The next byte of `f` as an `unsigned char`, or `EOF`.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fgetc(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    unsafe { getc_locked(f) }
}

/// `fgetc`.
///
/// # Safety
///
/// As `fgetc`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getc(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fgetc(f) }
}

/// `fgetc(stdin)`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getchar() -> c_int {
    // SAFETY: `stdin` points at a live stream unless the program changed
    // it to something else that is live.
    unsafe { fgetc(stdin) }
}

/// `getc` without locking: the caller holds the stream's lock
/// (`flockfile`) or knows no other thread uses it.
///
/// # Safety
///
/// `f` is a live stream no other thread uses during the call.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getc_unlocked(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract stands in for the lock.
    unsafe { getc_locked(f) }
}

/// `getc_unlocked(stdin)`.
///
/// # Safety
///
/// No other thread uses `stdin` during the call.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getchar_unlocked() -> c_int {
    // SAFETY: the caller's contract; `stdin` is a live stream.
    unsafe { getc_locked(stdin) }
}

/// `putc` without locking.
///
/// # Safety
///
/// `f` is a live stream no other thread uses during the call.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn putc_unlocked(c: c_int, f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract stands in for the lock.
    if unsafe { write_bytes(f, &[c as u8]) } == 1 {
        c & 0xff
    } else {
        EOF
    }
}

/// `putc_unlocked(c, stdout)`.
///
/// # Safety
///
/// No other thread uses `stdout` during the call.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn putchar_unlocked(c: c_int) -> c_int {
    // SAFETY: the caller's contract; `stdout` is a live stream.
    unsafe { putc_unlocked(c, stdout) }
}

/// Pushes `c` back onto `f` (one byte is guaranteed); returns `c`, or
/// `EOF` if it cannot.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ungetc(c: c_int, f: *mut FILE) -> c_int {
    if c == EOF {
        return EOF;
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    unsafe { unget_locked(c, f) }
}

/// `ungetc` on a stream the caller has locked.
///
/// # Safety
///
/// `f` is live and locked by the caller.
pub(crate) unsafe fn unget_locked(c: c_int, f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let s = unsafe { &mut *f };
    if s.flags & CAN_READ == 0 {
        return EOF;
    }
    if s.wlen > 0 {
        // SAFETY: `f` is live and locked.
        unsafe { flush(f) };
    }
    if s.unget >= 0 {
        return EOF;
    }
    if s.rpos > 0 && s.rpos <= s.rend {
        s.rpos -= 1;
        // SAFETY: `rpos` is inside the buffer.
        unsafe { *s.buf.add(s.rpos) = c as u8 };
    } else {
        s.unget = c & 0xff;
    }
    s.flags &= !AT_EOF;
    c & 0xff
}

/// Writes the byte `c` to `f`; returns it, or `EOF`.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fputc(c: c_int, f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    if unsafe { write_bytes(f, &[c as u8]) } == 1 {
        c & 0xff
    } else {
        EOF
    }
}

/// `fputc`.
///
/// # Safety
///
/// As `fputc`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn putc(c: c_int, f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fputc(c, f) }
}

/// `fputc(c, stdout)`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn putchar(c: c_int) -> c_int {
    // SAFETY: `stdout` points at a live stream.
    unsafe { fputc(c, stdout) }
}

/// Reads a line (through its newline) of at most `n - 1` bytes into `s`,
/// NUL-terminated; NULL at end of file with nothing read, or on error.
///
/// # Safety
///
/// `s` has room for `n` bytes; `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fgets(s: *mut c_char, n: c_int, f: *mut FILE) -> *mut c_char {
    if n <= 0 {
        set_errno(EINVAL);
        return core::ptr::null_mut();
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    let mut k = 0usize;
    while k + 1 < n as usize {
        // SAFETY: `f` is live and locked.
        let c = unsafe { getc_locked(f) };
        if c == EOF {
            // SAFETY: `f` is live and locked.
            if k == 0 || unsafe { (*f).flags } & ERROR != 0 {
                return core::ptr::null_mut();
            }
            break;
        }
        // SAFETY: `k < n - 1`, inside the caller's buffer.
        unsafe { *s.add(k) = c as c_char };
        k += 1;
        if c == b'\n' as c_int {
            break;
        }
    }
    // SAFETY: `k <= n - 1`.
    unsafe { *s.add(k) = 0 };
    s
}

/// Writes the string `s` to `f`; a non-negative number, or `EOF`.
///
/// # Safety
///
/// `s` is a NUL-terminated string; `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fputs(s: *const c_char, f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let bytes = unsafe { CStr::from_ptr(s) }.to_bytes();
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    if unsafe { write_bytes(f, bytes) } == bytes.len() {
        1
    } else {
        EOF
    }
}

/// Writes `s` and a newline to `stdout`.
///
/// # Safety
///
/// `s` is a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn puts(s: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    let bytes = unsafe { CStr::from_ptr(s) }.to_bytes();
    // SAFETY: `stdout` is a live stream.
    let f = unsafe { stdout };
    // SAFETY: as above.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    unsafe {
        if write_bytes(f, bytes) == bytes.len() && write_bytes(f, b"\n") == 1 {
            1
        } else {
            EOF
        }
    }
}

/// Writes out `f`'s buffer (every stream's, if `f` is NULL); 0 or `EOF`.
///
/// # Safety
///
/// `f` is NULL or a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fflush(f: *mut FILE) -> c_int {
    if f.is_null() {
        return if flush_all() { 0 } else { EOF };
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    unsafe {
        if (*f).wlen > 0 {
            return if flush(f) { 0 } else { EOF };
        }
        if (*f).rend > (*f).rpos || (*f).unget >= 0 {
            // An input stream: give the unread bytes back to the file
            // (kept if it cannot seek).
            give_back_read_ahead(f);
        }
    }
    0
}

/// Moves `f` to `offset` from `whence`; 0, or -1 with `errno`.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fseeko(f: *mut FILE, offset: off_t, whence: c_int) -> c_int {
    if !matches!(whence, SEEK_SET | SEEK_CUR | SEEK_END) {
        set_errno(EINVAL);
        return -1;
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    let s = unsafe { &mut *f };
    if s.wlen > 0 {
        // SAFETY: as above.
        if !unsafe { flush(f) } {
            return -1;
        }
    }
    let mut offset = offset;
    if whence == SEEK_CUR {
        offset -= (s.rend - s.rpos) as off_t + if s.unget >= 0 { 1 } else { 0 };
    }
    match vibix_abi::fd::seek(s.fd, offset, whence) {
        Ok(_) => {
            s.rpos = 0;
            s.rend = 0;
            s.unget = -1;
            s.flags &= !AT_EOF;
            0
        }
        Err(_) => -1,
    }
}

/// `fseeko` with a `long` offset.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fseek(f: *mut FILE, offset: c_long, whence: c_int) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fseeko(f, offset, whence) }
}

/// `f`'s position; -1 with `errno` if it has none (a pipe).
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ftello(f: *mut FILE) -> off_t {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    let s = unsafe { &*f };
    match vibix_abi::fd::seek(s.fd, 0, SEEK_CUR) {
        Ok(pos) => {
            let pos = pos as off_t - (s.rend - s.rpos) as off_t - if s.unget >= 0 { 1 } else { 0 }
                + s.wlen as off_t;
            if pos < 0 {
                set_errno(EINVAL);
                return -1;
            }
            pos
        }
        Err(_) => -1,
    }
}

/// `ftello` as a `long`.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ftell(f: *mut FILE) -> c_long {
    // SAFETY: the caller's contract.
    unsafe { ftello(f) }
}

/// Back to the start, clearing the error indicator.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn rewind(f: *mut FILE) {
    // SAFETY: the caller's contract.
    unsafe {
        fseeko(f, 0, SEEK_SET);
        clearerr(f);
    }
}

/// Stores `f`'s position in `pos`.
///
/// # Safety
///
/// `f` is a live stream; `pos` is writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fgetpos(f: *mut FILE, pos: *mut fpos_t) -> c_int {
    // SAFETY: the caller's contract.
    let p = unsafe { ftello(f) };
    if p < 0 {
        return -1;
    }
    // SAFETY: the caller's contract.
    unsafe {
        pos.write(fpos_t {
            __pos: p,
            __state: [0; 2],
        })
    };
    0
}

/// Moves `f` back to a position `fgetpos` stored.
///
/// # Safety
///
/// `f` is a live stream; `pos` is readable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fsetpos(f: *mut FILE, pos: *const fpos_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { fseeko(f, (*pos).__pos, SEEK_SET) }
}

/// Whether `f` has seen the end of file.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn feof(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: as above.
    (unsafe { (*f).flags } & AT_EOF != 0) as c_int
}

/// Whether an error happened on `f`.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ferror(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: as above.
    (unsafe { (*f).flags } & ERROR != 0) as c_int
}

/// Clears `f`'s end-of-file and error indicators.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn clearerr(f: *mut FILE) {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: as above.
    unsafe { (*f).flags &= !(AT_EOF | ERROR) };
}

/// Reads up to and including `delim` into `*line` (grown with `realloc`,
/// its size in `*n`), NUL-terminated; returns the length, or -1 at end of
/// file or on error.
///
/// # Safety
///
/// `line` and `n` are writable; `*line` is NULL or a `malloc`ed block of
/// `*n` bytes; `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getdelim(
    line: *mut *mut c_char,
    n: *mut size_t,
    delim: c_int,
    f: *mut FILE,
) -> ssize_t {
    if line.is_null() || n.is_null() {
        set_errno(EINVAL);
        return -1;
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: the caller's contract.
    let (mut buf, mut cap) = unsafe { (*line, *n) };
    if buf.is_null() {
        cap = 0;
    }
    let mut len = 0usize;
    loop {
        // SAFETY: `f` is live and locked.
        let c = unsafe { getc_locked(f) };
        if c == EOF {
            break;
        }
        if len + 2 > cap {
            let new_cap = (cap * 2).max(120).max(len + 2);
            // SAFETY: `buf` is NULL or a block from malloc/realloc.
            let p = unsafe { realloc(buf.cast(), new_cap) };
            if p.is_null() {
                set_errno(ENOMEM);
                // SAFETY: the caller's contract.
                unsafe {
                    (*f).flags |= ERROR;
                    *line = buf;
                    *n = cap;
                }
                return -1;
            }
            buf = p.cast();
            cap = new_cap;
        }
        // SAFETY: `len + 1 < cap`.
        unsafe { *buf.add(len) = c as c_char };
        len += 1;
        if c == (delim & 0xff) {
            break;
        }
    }
    if len == 0 {
        if buf.is_null() {
            // glibc allocates even when nothing was read.
            // SAFETY: NULL asks realloc for a new block.
            let p = unsafe { realloc(core::ptr::null_mut(), 120) };
            if !p.is_null() {
                buf = p.cast();
                cap = 120;
                // SAFETY: the new block has 120 bytes.
                unsafe { *buf = 0 };
            }
        } else {
            // SAFETY: the block has `cap >= 1` bytes.
            unsafe { *buf = 0 };
        }
        // SAFETY: the caller's contract.
        unsafe {
            *line = buf;
            *n = cap;
        }
        return -1;
    }
    // SAFETY: `len < cap`; the caller's pointers are writable.
    unsafe {
        *buf.add(len) = 0;
        *line = buf;
        *n = cap;
    }
    len as ssize_t
}

/// `getdelim` up to a newline.
///
/// # Safety
///
/// As `getdelim`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getline(line: *mut *mut c_char, n: *mut size_t, f: *mut FILE) -> ssize_t {
    // SAFETY: the caller's contract.
    unsafe { getdelim(line, n, b'\n' as c_int, f) }
}

/// Prints `s: ` (if `s` is neither NULL nor empty) and `errno`'s message
/// to `stderr`.
///
/// # Safety
///
/// `s` is NULL or a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn perror(s: *const c_char) {
    let e = errno();
    let mut buf = [0u8; 24];
    let msg = super::format::strerror_bytes(e, &mut buf);
    // SAFETY: `stderr` is a live stream.
    let f = unsafe { stderr };
    // SAFETY: as above.
    let _g = unsafe { Locked::new(f) };
    // One write, as glibc's: the whole message is put together first.
    let mut text = alloc::vec::Vec::new();
    // SAFETY: `s` is NULL or the caller's string.
    if !s.is_null() && unsafe { *s } != 0 {
        // SAFETY: as above.
        text.extend_from_slice(unsafe { CStr::from_ptr(s) }.to_bytes());
        text.extend_from_slice(b": ");
    }
    text.extend_from_slice(msg);
    text.push(b'\n');
    // SAFETY: `f` is live and locked.
    unsafe { write_bytes(f, &text) };
    set_errno(e);
}

#[cfg(test)]
mod tests;
