//! `<stdio.h>`: the scanf family: `scanf`, `fscanf`, `sscanf` and their
//! `va_list` forms, over the engine in `scan.rs`.

use core::ffi::VaList;

use super::file::{EOF, FILE, Locked, getc_locked, stdin};
use super::io::unget_locked;
use super::scan::{Input, scan};
use crate::types::{c_char, c_int};

/// A NUL-terminated string.
struct StrInput(*const u8);

impl Input for StrInput {
    fn peek(&mut self) -> Option<u8> {
        // SAFETY: the pointer stays inside the caller's string (it never
        // moves past the NUL).
        match unsafe { *self.0 } {
            0 => None,
            c => Some(c),
        }
    }
    fn bump(&mut self) {
        // SAFETY: `peek` saw a byte that is not the NUL.
        self.0 = unsafe { self.0.add(1) };
    }
}

/// A locked stream, one character of look-ahead (given back at the end).
struct FileInput {
    f: *mut FILE,
    ahead: Option<c_int>,
}

impl Input for FileInput {
    fn peek(&mut self) -> Option<u8> {
        let c = match self.ahead {
            Some(c) => c,
            None => {
                // SAFETY: the stream is live and locked for the scan.
                let c = unsafe { getc_locked(self.f) };
                self.ahead = Some(c);
                c
            }
        };
        if c == EOF { None } else { Some(c as u8) }
    }
    fn bump(&mut self) {
        self.ahead = None;
    }
}

/// Scans `f`.
///
/// # Safety
///
/// `f` is a live stream; `fmt` is a NUL-terminated format and `ap` holds
/// pointers of the types it names.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vfscanf(f: *mut FILE, fmt: *const c_char, mut ap: VaList) -> c_int {
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    let mut input = FileInput { f, ahead: None };
    // SAFETY: the caller's contract; the stream is locked.
    let n = unsafe { scan(&mut input, fmt, &mut ap) };
    if let Some(c) = input.ahead
        && c != EOF
    {
        // SAFETY: the stream is live and locked; the byte was just read.
        unsafe { unget_locked(c, f) };
    }
    n
}

/// Scans `stdin`.
///
/// # Safety
///
/// As `vfscanf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vscanf(fmt: *const c_char, ap: VaList) -> c_int {
    // SAFETY: the caller's contract; `stdin` is a live stream.
    unsafe { vfscanf(stdin, fmt, ap) }
}

/// Scans the string `s`.
///
/// # Safety
///
/// `s` is a NUL-terminated string; as `vfscanf` otherwise.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn vsscanf(s: *const c_char, fmt: *const c_char, mut ap: VaList) -> c_int {
    let mut input = StrInput(s.cast());
    // SAFETY: the caller's contract.
    unsafe { scan(&mut input, fmt, &mut ap) }
}

/// Scans `f`.
///
/// # Safety
///
/// As `vfscanf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn fscanf(f: *mut FILE, fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vfscanf(f, fmt, args) }
}

/// Scans `stdin`.
///
/// # Safety
///
/// As `vfscanf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn scanf(fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vscanf(fmt, args) }
}

/// Scans the string `s`.
///
/// # Safety
///
/// As `vsscanf`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sscanf(s: *const c_char, fmt: *const c_char, args: ...) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { vsscanf(s, fmt, args) }
}

#[cfg(test)]
mod tests;
