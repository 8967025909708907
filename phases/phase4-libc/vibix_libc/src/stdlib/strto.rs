//! `<stdlib.h>`: numbers from text: `strtol`, `strtoul`, `strtoll`,
//! `strtoull`, `atoi`, `atol`, `atoll`, `strtod`, `strtof`, `atof`, with
//! glibc's rules in the C locale: leading white space, a sign, base
//! prefixes (`0x`, `0`), `ERANGE` and the saturated value on overflow,
//! `*endptr` just past what was used (or the start if nothing was).
//!
//! Floating point: decimal (correctly rounded by `core`'s parser, given
//! the number's exact digits), hexadecimal (`0x1.8p3`, rounded here, to
//! nearest even), `inf`/`infinity`, `nan` and `nan(chars)`; `ERANGE` on
//! overflow (the result is ±`HUGE_VAL`) and on underflow (a nonzero number
//! that comes out zero or subnormal and inexact). `strtold` is not offered:
//! `long double` is x87's 80-bit format, which Rust cannot produce.

use core::ptr;

use vibix_abi::errno::set_errno;
use vibix_uapi::errno::{EINVAL, ERANGE};

use crate::types::{c_char, c_double, c_float, c_int, c_long, c_longlong, c_ulong, c_ulonglong};

/// White space for the C locale's `isspace`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The byte at `s + i`.
///
/// # Safety
///
/// `s + i` must be inside a NUL-terminated string (its NUL included).
unsafe fn at(s: *const c_char, i: usize) -> u8 {
    // SAFETY: the caller's contract.
    unsafe { *s.add(i) as u8 }
}

/// The value of digit `b` in bases up to 36.
fn digit(b: u8) -> Option<u32> {
    (b as char).to_digit(36)
}

/// An integer as read: its sign, magnitude (saturated), where it ended.
struct Int {
    negative: bool,
    magnitude: u64,
    overflow: bool,
    /// Bytes used from the start, 0 if no digits were found.
    used: usize,
}

/// Reads an integer in `base` (0 for C's prefixes) from `s`, or `None`
/// if the base is invalid.
///
/// # Safety
///
/// `s` NUL-terminated.
unsafe fn read_int(s: *const c_char, base: c_int) -> Option<Int> {
    if base < 0 || base == 1 || base > 36 {
        return None;
    }
    let mut base = base as u32;
    let mut i = 0;
    // SAFETY: every read below stops at the NUL (no class, digit or
    // prefix matches it), so stays inside the string.
    unsafe {
        while is_space(at(s, i)) {
            i += 1;
        }
        let negative = at(s, i) == b'-';
        if matches!(at(s, i), b'+' | b'-') {
            i += 1;
        }
        if (base == 0 || base == 16)
            && at(s, i) == b'0'
            && at(s, i + 1) | 0x20 == b'x'
            && at(s, i + 2).is_ascii_hexdigit()
        {
            i += 2;
            base = 16;
        } else if base == 0 {
            base = if at(s, i) == b'0' { 8 } else { 10 };
        }
        let start = i;
        let mut magnitude = 0u64;
        let mut overflow = false;
        while let Some(d) = digit(at(s, i)).filter(|&d| d < base) {
            match magnitude
                .checked_mul(base.into())
                .and_then(|m| m.checked_add(d.into()))
            {
                Some(m) => magnitude = m,
                None => overflow = true,
            }
            i += 1;
        }
        Some(Int {
            negative,
            magnitude,
            overflow,
            used: if i == start { 0 } else { i },
        })
    }
}

/// Stores `s + used` in `*end` if `end` is not NULL.
///
/// # Safety
///
/// `end` NULL or valid for a write; `s + used` inside the string.
unsafe fn set_end(end: *mut *mut c_char, s: *const c_char, used: usize) {
    if !end.is_null() {
        // SAFETY: the caller's contract.
        unsafe { *end = s.add(used).cast_mut() };
    }
}

/// The signed conversion: `[min, max]` is the type's range.
///
/// # Safety
///
/// `s` NUL-terminated; `end` NULL or writable.
pub(crate) unsafe fn to_signed(s: *const c_char, end: *mut *mut c_char, base: c_int) -> i64 {
    // SAFETY: the caller's contract.
    let Some(n) = (unsafe { read_int(s, base) }) else {
        set_errno(EINVAL);
        return 0;
    };
    // SAFETY: `used` is inside the string.
    unsafe { set_end(end, s, n.used) };
    let limit = if n.negative {
        i64::MIN.unsigned_abs()
    } else {
        i64::MAX as u64
    };
    if n.overflow || n.magnitude > limit {
        set_errno(ERANGE);
        return if n.negative { i64::MIN } else { i64::MAX };
    }
    if n.negative {
        (n.magnitude as i64).wrapping_neg()
    } else {
        n.magnitude as i64
    }
}

/// The unsigned conversion: a `-` negates the value modulo 2^64.
///
/// # Safety
///
/// As [`to_signed`].
pub(crate) unsafe fn to_unsigned(s: *const c_char, end: *mut *mut c_char, base: c_int) -> u64 {
    // SAFETY: the caller's contract.
    let Some(n) = (unsafe { read_int(s, base) }) else {
        set_errno(EINVAL);
        return 0;
    };
    // SAFETY: `used` is inside the string.
    unsafe { set_end(end, s, n.used) };
    if n.overflow {
        set_errno(ERANGE);
        return u64::MAX;
    }
    if n.negative {
        n.magnitude.wrapping_neg()
    } else {
        n.magnitude
    }
}

/// The `long` at the start of `s` in `base` (2 to 36, or 0 for C's
/// prefixes); `LONG_MIN`/`LONG_MAX` and `ERANGE` if out of range, 0 and
/// `EINVAL` (`*end` untouched) for a bad base.
///
/// # Safety
///
/// `s` NUL-terminated; `end` NULL or valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtol(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_long {
    // SAFETY: the caller's contract.
    unsafe { to_signed(s, end, base) }
}

/// As [`strtol`], for `long long` (the same 64 bits).
///
/// # Safety
///
/// As [`strtol`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtoll(
    s: *const c_char,
    end: *mut *mut c_char,
    base: c_int,
) -> c_longlong {
    // SAFETY: the caller's contract.
    unsafe { to_signed(s, end, base) }
}

/// The `unsigned long` at the start of `s`: as [`strtol`], but a leading
/// `-` negates modulo 2^64, and `ULONG_MAX` with `ERANGE` on overflow.
///
/// # Safety
///
/// As [`strtol`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtoul(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_ulong {
    // SAFETY: the caller's contract.
    unsafe { to_unsigned(s, end, base) }
}

/// As [`strtoul`], for `unsigned long long`.
///
/// # Safety
///
/// As [`strtol`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtoull(
    s: *const c_char,
    end: *mut *mut c_char,
    base: c_int,
) -> c_ulonglong {
    // SAFETY: the caller's contract.
    unsafe { to_unsigned(s, end, base) }
}

/// `(int) strtol(s, NULL, 10)`.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn atoi(s: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { to_signed(s, ptr::null_mut(), 10) as c_int }
}

/// `strtol(s, NULL, 10)`.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn atol(s: *const c_char) -> c_long {
    // SAFETY: the caller's contract.
    unsafe { to_signed(s, ptr::null_mut(), 10) }
}

/// `strtoll(s, NULL, 10)`.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn atoll(s: *const c_char) -> c_longlong {
    // SAFETY: the caller's contract.
    unsafe { to_signed(s, ptr::null_mut(), 10) }
}

/// A binary floating-point format's parameters.
#[derive(Clone, Copy)]
pub(crate) struct Format {
    /// Significand bits, the implicit one included.
    precision: i64,
    /// The least normal exponent.
    emin: i64,
    /// The greatest exponent.
    emax: i64,
}

pub(crate) const DOUBLE: Format = Format {
    precision: 53,
    emin: -1022,
    emax: 1023,
};
pub(crate) const FLOAT: Format = Format {
    precision: 24,
    emin: -126,
    emax: 127,
};

/// A number read, before it becomes a `double` or `float`.
enum Number<'a> {
    /// A decimal number: its text (digits, point, exponent; no sign) and
    /// whether any digit of it is nonzero.
    Decimal(&'a str, bool),
    /// A hexadecimal number: its text after the `0x` (digits, point,
    /// `p` exponent; no sign), for [`parse_hex`].
    Hex(&'a [u8]),
    Infinity,
    NaN,
}

/// Reads a floating-point number: its sign, value and the bytes used (0
/// if none).
///
/// # Safety
///
/// `s` NUL-terminated, not written while the result lives.
unsafe fn read_float<'a>(s: *const c_char) -> (bool, Number<'a>, usize) {
    let mut i = 0;
    // SAFETY: every read stops at the NUL (nothing below matches it) and so
    // stays inside the string.
    unsafe {
        while is_space(at(s, i)) {
            i += 1;
        }
        let negative = at(s, i) == b'-';
        if matches!(at(s, i), b'+' | b'-') {
            i += 1;
        }
        let word =
            |i: usize, w: &[u8]| w.iter().enumerate().all(|(k, &c)| at(s, i + k) | 0x20 == c);
        if word(i, b"inf") {
            i += 3;
            if word(i, b"inity") {
                i += 5;
            }
            return (negative, Number::Infinity, i);
        }
        if word(i, b"nan") {
            i += 3;
            if at(s, i) == b'(' {
                let mut k = i + 1;
                while at(s, k).is_ascii_alphanumeric() || at(s, k) == b'_' {
                    k += 1;
                }
                if at(s, k) == b')' {
                    i = k + 1;
                }
            }
            return (negative, Number::NaN, i);
        }
        let hex_start = at(s, i) == b'0'
            && at(s, i + 1) | 0x20 == b'x'
            && (at(s, i + 2).is_ascii_hexdigit()
                || (at(s, i + 2) == b'.' && at(s, i + 3).is_ascii_hexdigit()));
        if hex_start {
            i += 2;
            let start = i;
            let mut point = false;
            while at(s, i).is_ascii_hexdigit() || (at(s, i) == b'.' && !point) {
                point |= at(s, i) == b'.';
                i += 1;
            }
            if let Some((_, used)) = read_exponent(s, i, b'p') {
                i += used;
            }
            let text = core::slice::from_raw_parts(s.add(start).cast::<u8>(), i - start);
            return (negative, Number::Hex(text), i);
        }
        let start = i;
        let mut digits = 0;
        let mut nonzero = false;
        let mut point = false;
        loop {
            let b = at(s, i);
            if b == b'.' && !point {
                point = true;
            } else if b.is_ascii_digit() {
                digits += 1;
                nonzero |= b != b'0';
            } else {
                break;
            }
            i += 1;
        }
        if digits == 0 {
            return (false, Number::Decimal("", false), 0);
        }
        if let Some((_, used)) = read_exponent(s, i, b'e') {
            i += used;
        }
        let text = core::slice::from_raw_parts(s.add(start).cast::<u8>(), i - start);
        // Only ASCII digits, '.', 'e', signs: valid UTF-8.
        let text = core::str::from_utf8(text).unwrap_or("0");
        (negative, Number::Decimal(text, nonzero), i)
    }
}

/// Reads an exponent (`e-12`, `p+3`) at `s + i` whose letter is `letter`:
/// its value (saturated far beyond any format's range) and length.
///
/// # Safety
///
/// `s + i` inside a NUL-terminated string.
unsafe fn read_exponent(s: *const c_char, mut i: usize, letter: u8) -> Option<(i64, usize)> {
    let start = i;
    // SAFETY: every read stops at the NUL, inside the string.
    unsafe {
        if at(s, i) | 0x20 != letter {
            return None;
        }
        i += 1;
        let negative = at(s, i) == b'-';
        if matches!(at(s, i), b'+' | b'-') {
            i += 1;
        }
        if !at(s, i).is_ascii_digit() {
            return None;
        }
        let mut e = 0i64;
        while at(s, i).is_ascii_digit() {
            e = (e * 10 + i64::from(at(s, i) - b'0')).min(1 << 40);
            i += 1;
        }
        Some((if negative { -e } else { e }, i - start))
    }
}

/// Hexadecimal text (digits, an optional point, an optional `p±d` whose
/// exponent has digits; no `0x`, no sign) rounded to nearest even in
/// `format`: the value (exact as a `f64`) and whether to report `ERANGE`.
/// `strtod`, `strtof` and `scanf`'s `%a`/`%f` (double and float) all
/// read hexadecimal through here.
pub(crate) fn parse_hex(text: &[u8], format: Format) -> (f64, bool) {
    let (digits, exp) = match text.iter().position(|&c| c | 0x20 == b'p') {
        Some(k) => (&text[..k], &text[k + 1..]),
        None => (text, &[][..]),
    };
    let (mut mantissa, mut exponent, mut sticky) = (0u64, 0i64, false);
    let mut point = false;
    for &c in digits {
        if c == b'.' {
            point = true;
            continue;
        }
        let d = u64::from((c as char).to_digit(16).unwrap_or(0));
        if mantissa < 1 << 60 {
            mantissa = mantissa * 16 + d;
            if point {
                exponent -= 4;
            }
        } else {
            sticky |= d != 0;
            if !point {
                exponent += 4;
            }
        }
    }
    let mut e = 0i64;
    let mut negative = false;
    for (k, &c) in exp.iter().enumerate() {
        match c {
            b'-' if k == 0 => negative = true,
            b'+' if k == 0 => {}
            _ => e = (e * 10 + i64::from((c as char).to_digit(10).unwrap_or(0))).min(1 << 40),
        }
    }
    exponent = exponent.saturating_add(if negative { -e } else { e });
    round_hex(mantissa, exponent, sticky, format)
}

/// Rounds `mantissa * 2^exponent` (with `sticky` below it) to nearest
/// even in `format`: the result (exact as a `f64`) and whether to report
/// `ERANGE`.
fn round_hex(mantissa: u64, exponent: i64, sticky: bool, format: Format) -> (f64, bool) {
    if mantissa == 0 {
        return (0.0, false);
    }
    let bits = i64::from(64 - mantissa.leading_zeros());
    let top = exponent + bits - 1;
    if top > format.emax {
        return (f64::INFINITY, true);
    }
    let keep = if top >= format.emin {
        format.precision
    } else {
        format.precision - (format.emin - top)
    };
    let drop = bits - keep;
    let (mut kept, inexact, up) = if drop <= 0 {
        (mantissa, sticky, false)
    } else if drop > 64 {
        (0, true, false)
    } else {
        let rest = if drop == 64 {
            mantissa
        } else {
            mantissa & ((1 << drop) - 1)
        };
        let kept = if drop == 64 { 0 } else { mantissa >> drop };
        let half = 1u64 << (drop - 1);
        let up = rest > half || (rest == half && (sticky || kept & 1 == 1));
        (kept, rest != 0 || sticky, up)
    };
    kept += u64::from(up);
    let shift = exponent + drop.max(0);
    if kept == 0 {
        return (0.0, true);
    }
    let top_after = shift + i64::from(64 - kept.leading_zeros()) - 1;
    if top_after > format.emax {
        return (f64::INFINITY, true);
    }
    let value = libm::scalbn(kept as f64, shift as i32);
    (value, inexact && top < format.emin)
}

/// Reads a number in `format`: the value (exact in that format), ERANGE
/// and the bytes used.
///
/// # Safety
///
/// `s` NUL-terminated.
unsafe fn parse(s: *const c_char, format: Format) -> (f64, bool, usize) {
    // SAFETY: the caller's contract.
    let (negative, number, used) = unsafe { read_float(s) };
    let (value, range) = match number {
        Number::Infinity => (f64::INFINITY, false),
        Number::NaN => (f64::NAN, false),
        Number::Hex(text) => parse_hex(text, format),
        Number::Decimal(text, nonzero) => {
            let (value, min_normal) = if format.precision == FLOAT.precision {
                let v: f32 = text.parse().unwrap_or(0.0);
                (f64::from(v), f64::from(f32::MIN_POSITIVE))
            } else {
                (text.parse().unwrap_or(0.0), f64::MIN_POSITIVE)
            };
            let range = value.is_infinite() || (nonzero && value < min_normal);
            (value, range)
        }
    };
    let value = if negative { -value } else { value };
    (value, range, used)
}

/// The `double` at the start of `s`.
///
/// # Safety
///
/// `s` NUL-terminated; `end` NULL or valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtod(s: *const c_char, end: *mut *mut c_char) -> c_double {
    // SAFETY: the caller's contract.
    unsafe { to_double(s, end) }
}

/// `strtod`'s work (no export calls another by its C name: see
/// `string.rs`).
///
/// # Safety
///
/// As [`strtod`].
unsafe fn to_double(s: *const c_char, end: *mut *mut c_char) -> c_double {
    // SAFETY: the caller's contract.
    let (value, range, used) = unsafe { parse(s, DOUBLE) };
    if range {
        set_errno(ERANGE);
    }
    // SAFETY: `used` is inside the string.
    unsafe { set_end(end, s, used) };
    value
}

/// The `float` at the start of `s`.
///
/// # Safety
///
/// As [`strtod`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtof(s: *const c_char, end: *mut *mut c_char) -> c_float {
    // SAFETY: the caller's contract.
    let (value, range, used) = unsafe { parse(s, FLOAT) };
    if range {
        set_errno(ERANGE);
    }
    // SAFETY: `used` is inside the string.
    unsafe { set_end(end, s, used) };
    // Exact: the value is already rounded to `float`.
    value as c_float
}

/// `strtod(s, NULL)`.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn atof(s: *const c_char) -> c_double {
    // SAFETY: the caller's contract.
    unsafe { to_double(s, ptr::null_mut()) }
}

#[cfg(test)]
mod tests;
