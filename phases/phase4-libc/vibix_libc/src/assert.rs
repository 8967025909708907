//! `<assert.h>`: `assert`, and `__assert_fail`, which a failed `assert`
//! calls: it prints glibc's message on standard error and aborts.
//!
//! ```c
//! #undef assert
//! #ifdef NDEBUG
//! #define assert(expr) ((void)0)
//! #else
//! #define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
//! #endif
//! #if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
//! #undef static_assert
//! #define static_assert _Static_assert
//! #endif
//! ```

use core::ffi::CStr;

use crate::types::{c_char, c_uint};

/// The message glibc prints, in `buf` (cut short if it does not fit):
/// `prog: file:line: function: Assertion `expr' failed.` and a newline.
/// Returns its length.
fn message(
    buf: &mut [u8],
    prog: &[u8],
    assertion: &[u8],
    file: &[u8],
    line: c_uint,
    function: &[u8],
) -> usize {
    let mut digits = [0u8; 10];
    let mut n = line;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut len = 0;
    let mut put = |part: &[u8]| {
        let take = part.len().min(buf.len() - len);
        buf[len..len + take].copy_from_slice(&part[..take]);
        len += take;
    };
    if !prog.is_empty() {
        put(prog);
        put(b": ");
    }
    put(file);
    put(b":");
    put(&digits[at..]);
    put(b": ");
    if !function.is_empty() {
        put(function);
        put(b": ");
    }
    put(b"Assertion `");
    put(assertion);
    put(b"' failed.\n");
    len
}

/// The bytes of a C string, or nothing for NULL.
///
/// # Safety
///
/// `s` is NULL or NUL-terminated.
unsafe fn bytes<'a>(s: *const c_char) -> &'a [u8] {
    if s.is_null() {
        return b"";
    }
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(s) }.to_bytes()
}

/// The program's short name, as glibc's `__progname`: `argv[0]` after its
/// last `/`.
fn progname() -> &'static [u8] {
    let Some(stack) = vibix_abi::start::recorded() else {
        return b"";
    };
    if stack.argc == 0 || stack.argv.is_null() {
        return b"";
    }
    // SAFETY: the kernel's argv holds `argc` NUL-terminated strings, which
    // live as long as the process.
    let arg0 = unsafe { bytes(*stack.argv) };
    match arg0.iter().rposition(|&b| b == b'/') {
        Some(slash) => &arg0[slash + 1..],
        None => arg0,
    }
}

/// A failed `assert(expr)`: prints `prog: file:line: function: Assertion
/// `expr' failed.` on standard error and aborts.
///
/// # Safety
///
/// Each string is NULL or NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __assert_fail(
    assertion: *const c_char,
    file: *const c_char,
    line: c_uint,
    function: *const c_char,
) -> ! {
    let mut buf = [0u8; 1024];
    // SAFETY: the caller's contract.
    let (assertion, file, function) = unsafe { (bytes(assertion), bytes(file), bytes(function)) };
    let len = message(&mut buf, progname(), assertion, file, line, function);
    let _ = vibix_abi::io::write(2, &buf[..len]);
    vibix_abi::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(prog: &str, expr: &str, file: &str, line: u32, func: &str, want: &str) {
        let mut buf = [0u8; 1024];
        let len = message(
            &mut buf,
            prog.as_bytes(),
            expr.as_bytes(),
            file.as_bytes(),
            line,
            func.as_bytes(),
        );
        assert_eq!(core::str::from_utf8(&buf[..len]), Ok(want));
    }

    #[test]
    fn glibc_message() {
        same(
            "prog",
            "x == 1",
            "t.c",
            12,
            "main",
            "prog: t.c:12: main: Assertion `x == 1' failed.\n",
        );
        same("", "0", "a/b.c", 0, "", "a/b.c:0: Assertion `0' failed.\n");
        same(
            "p",
            "e",
            "f",
            4294967295,
            "g",
            "p: f:4294967295: g: Assertion `e' failed.\n",
        );
    }

    #[test]
    fn long_messages_are_cut() {
        let long = [b'x'; 2000];
        let mut buf = [0u8; 1024];
        let len = message(&mut buf, b"p", &long, b"f", 1, b"g");
        assert_eq!(len, 1024);
        assert!(buf.starts_with(b"p: f:1: g: Assertion `xxx"));
    }
}
