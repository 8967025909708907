//! (internal) The scanf engine: matches a format against an [`Input`] (a
//! string or a stream) and stores the converted values through the
//! pointers of a `va_list`.
//!
//! Behaviour is glibc's: `d i u o x X p` convert as `strtol` (signed) or
//! `strtoul` (unsigned) would and are then narrowed to the length
//! modifier's type (`hh h l ll j z t`); `c s [` (with `^`, ranges and a
//! leading `]`) with widths; `n`; `*` suppression; `f e g a E G F A` parse
//! decimal (through `core`'s exact `str::parse`) and hexadecimal (exactly,
//! here) floating point, `inf`, `infinity` and `nan`. The
//! result is the number of assignments, or `EOF` when the input ends
//! before the first one. `L` stores an x87 `long double`, parsed exactly
//! by `longdouble.rs`. `m` (`%ms`, `%m[`, `%mc`) stores a `malloc`ed
//! string through a `char **`. Positions (`%2$d`) are glibc's: every
//! pointer is read up front.

extern crate alloc;

use alloc::vec::Vec;
use core::ffi::VaList;

use super::longdouble::{self, F80};
use crate::stdlib::strto;
use crate::types::{c_char, c_int, c_void};

/// Where the characters come from.
pub(crate) trait Input {
    /// The next character, without consuming it.
    fn peek(&mut self) -> Option<u8>;
    /// Consumes the character `peek` returned.
    fn bump(&mut self);
}

/// Length modifiers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Len {
    Hh,
    H,
    Default,
    L,
    Ll,
    BigL,
}

/// Counts consumed characters.
struct Reader<'a> {
    input: &'a mut dyn Input,
    count: usize,
}

impl Reader<'_> {
    fn peek(&mut self) -> Option<u8> {
        self.input.peek()
    }
    fn bump(&mut self) {
        self.input.bump();
        self.count += 1;
    }
    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if !is_space(c) {
                break;
            }
            self.bump();
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Why a conversion stopped the scan.
enum Stop {
    /// The input ended (or failed) where a character was needed.
    Input,
    /// A character did not match.
    Matching,
}

/// Scans `fmt` against `input`, storing through `ap`; the number of
/// assignments, or `EOF` (-1) if the input ended before the first.
///
/// # Safety
///
/// `fmt` is a NUL-terminated format; `ap` holds a pointer of the right
/// type for each assigning conversion, valid for the write (and for `s`,
/// `c`, `[`, big enough).
pub(crate) unsafe fn scan(input: &mut dyn Input, fmt: *const c_char, ap: &mut VaList<'_>) -> c_int {
    // SAFETY: the caller passes a NUL-terminated string.
    let f = unsafe { core::ffi::CStr::from_ptr(fmt) }.to_bytes();
    let ap = &mut match positions(f) {
        // SAFETY: the caller passes that many pointers.
        Some(n) => Ptrs::Pos(
            (0..n)
                .map(|_| unsafe { ap.next_arg::<*mut c_void>() })
                .collect(),
            0,
        ),
        None => Ptrs::Seq(ap),
    };
    let mut r = Reader { input, count: 0 };
    let mut done: c_int = 0;
    let mut i = 0;
    let stop = loop {
        if i >= f.len() {
            break None;
        }
        let c = f[i];
        if is_space(c) {
            r.skip_space();
            i += 1;
            continue;
        }
        if c != b'%' {
            match r.peek() {
                None => break Some(Stop::Input),
                Some(x) if x == c => {
                    r.bump();
                    i += 1;
                    continue;
                }
                Some(_) => break Some(Stop::Matching),
            }
        }
        i += 1;
        if let Some(n) = position(f, &mut i)
            && let Ptrs::Pos(_, at) = ap
        {
            *at = n;
        }
        let mut suppress = false;
        if f.get(i) == Some(&b'*') {
            suppress = true;
            i += 1;
        }
        let mut width: Option<usize> = None;
        if f.get(i).is_some_and(|c| c.is_ascii_digit()) {
            let mut w = 0usize;
            while let Some(d) = f.get(i).filter(|c| c.is_ascii_digit()) {
                w = w.saturating_mul(10).saturating_add((d - b'0') as usize);
                i += 1;
            }
            width = if w == 0 { None } else { Some(w) };
        }
        // `m`: allocate the string (`%ms`, `%m[`, `%mc`), storing a
        // `malloc`ed pointer through a `char **`.
        let alloc = f.get(i) == Some(&b'm');
        if alloc {
            i += 1;
        }
        let len = match f.get(i) {
            Some(b'h') if f.get(i + 1) == Some(&b'h') => {
                i += 2;
                Len::Hh
            }
            Some(b'h') => {
                i += 1;
                Len::H
            }
            Some(b'l') if f.get(i + 1) == Some(&b'l') => {
                i += 2;
                Len::Ll
            }
            Some(b'l') => {
                i += 1;
                Len::L
            }
            Some(b'j' | b'z' | b't' | b'q') => {
                i += 1;
                Len::Ll
            }
            Some(b'L') => {
                i += 1;
                Len::BigL
            }
            _ => Len::Default,
        };
        let Some(&conv) = f.get(i) else {
            break Some(Stop::Matching);
        };
        i += 1;
        if !matches!(conv, b'c' | b'[' | b'n') {
            r.skip_space();
        }
        let res = match conv {
            b'%' => match r.peek() {
                Some(b'%') => {
                    r.bump();
                    Ok(false)
                }
                Some(_) => Err(Stop::Matching),
                None => Err(Stop::Input),
            },
            b'n' => {
                if !suppress {
                    // SAFETY: the format names an integer pointer.
                    unsafe { store_int(ap, len, r.count as u64) };
                }
                Ok(false)
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' | b'p' => {
                let base = match conv {
                    b'd' | b'u' => 10,
                    b'i' => 0,
                    b'o' => 8,
                    _ => 16,
                };
                let signed = matches!(conv, b'd' | b'i');
                match integer(&mut r, width.unwrap_or(usize::MAX), base, signed) {
                    Ok(v) => {
                        if !suppress {
                            let len = if conv == b'p' { Len::L } else { len };
                            // SAFETY: the format names an integer pointer.
                            unsafe { store_int(ap, len, v) };
                        }
                        Ok(true)
                    }
                    Err(e) => Err(e),
                }
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                {
                    let kind = match len {
                        Len::Default => Kind::Single,
                        Len::BigL => Kind::Long,
                        _ => Kind::Double,
                    };
                    match float(&mut r, width.unwrap_or(usize::MAX), kind) {
                        Ok(v) => {
                            if !suppress {
                                // SAFETY: the format names a float or
                                // double pointer.
                                unsafe {
                                    match (v, len) {
                                        (Float::Single(x), _) => {
                                            store(ap.next::<f32>(), x);
                                        }
                                        (Float::Double(x), _) => {
                                            store(ap.next::<f64>(), x);
                                        }
                                        (Float::Long(x), _) => {
                                            // The 10 bytes of the x87
                                            // value; the padding stays.
                                            let p = ap.next::<u8>();
                                            if !p.is_null() {
                                                p.cast::<u64>().write_unaligned(x.mant);
                                                p.add(8).cast::<u16>().write_unaligned(x.se);
                                            }
                                        }
                                    }
                                }
                            }
                            Ok(true)
                        }
                        Err(e) => Err(e),
                    }
                }
            }
            b'c' => {
                let w = width.unwrap_or(1);
                let wide = len == Len::L;
                // SAFETY: the format names a char (or wchar_t) buffer of
                // `w` elements.
                // SAFETY: the format names a buffer (or, with `m`, a
                // pointer to one) here.
                let mut dst = unsafe { Dest::new(ap, suppress, alloc, wide) };
                let mut k = 0;
                while k < w {
                    let Some(c) = r.peek() else { break };
                    r.bump();
                    // SAFETY: inside the caller's buffer of `w` elements.
                    unsafe { dst.put(k, c) };
                    k += 1;
                }
                if k == 0 {
                    Err(Stop::Input)
                } else {
                    dst.finish()
                }
            }
            b's' => {
                let w = width.unwrap_or(usize::MAX);
                let wide = len == Len::L;
                // SAFETY: the format names a big enough buffer.
                // SAFETY: the format names a buffer (or, with `m`, a
                // pointer to one) here.
                let mut dst = unsafe { Dest::new(ap, suppress, alloc, wide) };
                let mut k = 0;
                while k < w {
                    match r.peek() {
                        Some(c) if !is_space(c) => {
                            r.bump();
                            // SAFETY: the caller's buffer is big enough.
                            unsafe { dst.put(k, c) };
                            k += 1;
                        }
                        _ => break,
                    }
                }
                if k == 0 {
                    Err(Stop::Input)
                } else {
                    // SAFETY: as above, the NUL too.
                    unsafe { dst.put(k, 0) };
                    dst.finish()
                }
            }
            b'[' => {
                let Some((set, next)) = scanset(f, i) else {
                    break Some(Stop::Matching);
                };
                i = next;
                let w = width.unwrap_or(usize::MAX);
                let wide = len == Len::L;
                // SAFETY: the format names a big enough buffer.
                // SAFETY: the format names a buffer (or, with `m`, a
                // pointer to one) here.
                let mut dst = unsafe { Dest::new(ap, suppress, alloc, wide) };
                let mut k = 0;
                let mut ended = false;
                while k < w {
                    match r.peek() {
                        Some(c) if set[c as usize] => {
                            r.bump();
                            // SAFETY: the caller's buffer is big enough.
                            unsafe { dst.put(k, c) };
                            k += 1;
                        }
                        Some(_) => break,
                        None => {
                            ended = true;
                            break;
                        }
                    }
                }
                if k == 0 {
                    Err(if ended { Stop::Input } else { Stop::Matching })
                } else {
                    // SAFETY: as above, the NUL too.
                    unsafe { dst.put(k, 0) };
                    dst.finish()
                }
            }
            _ => Err(Stop::Matching),
        };
        match res {
            Ok(assigned) => {
                if assigned && !suppress {
                    done += 1;
                }
            }
            Err(e) => break Some(e),
        }
    };
    match stop {
        Some(Stop::Input) if done == 0 => -1,
        _ => done,
    }
}

unsafe extern "C" {
    // The C library's allocator: `%ms` strings are the caller's to `free`.
    fn malloc(size: usize) -> *mut c_void;
}

/// Where `c`, `s` and `[` put their characters: the caller's buffer, a
/// growing one for `m` (handed over in a `malloc`ed copy at the end), or
/// nowhere (suppressed).
struct Dest {
    raw: *mut c_void,
    wide: bool,
    grow: Option<(Vec<u8>, *mut *mut c_void)>,
}

impl Dest {
    /// Takes the buffer argument, unless suppressed.
    ///
    /// # Safety
    ///
    /// Unless `suppress`, the next argument is a `char *` (`wchar_t *` if
    /// `wide`) or, with `alloc`, a pointer to one.
    unsafe fn new(ap: &mut Ptrs<'_, '_>, suppress: bool, alloc: bool, wide: bool) -> Dest {
        if suppress {
            return Dest {
                raw: core::ptr::null_mut(),
                wide,
                grow: None,
            };
        }
        if alloc {
            // SAFETY: the caller's contract.
            let out = unsafe { ap.next::<*mut c_void>() };
            return Dest {
                raw: core::ptr::null_mut(),
                wide,
                grow: Some((Vec::new(), out)),
            };
        }
        Dest {
            // SAFETY: the caller's contract.
            raw: unsafe { buffer_arg(ap, wide) },
            wide,
            grow: None,
        }
    }

    /// Element `k` is `c`.
    ///
    /// # Safety
    ///
    /// The caller's buffer (if it is one) has room for element `k`.
    unsafe fn put(&mut self, k: usize, c: u8) {
        match &mut self.grow {
            Some((v, _)) if self.wide => v.extend_from_slice(&(c as i32).to_ne_bytes()),
            Some((v, _)) => v.push(c),
            // SAFETY: the caller's contract.
            None => unsafe { put(self.raw, self.wide, k, c) },
        }
    }

    /// Hands an `m` string over; a matching failure if there is no
    /// memory for it.
    fn finish(&mut self) -> Result<bool, Stop> {
        if let Some((v, out)) = self.grow.take() {
            // SAFETY: a plain allocation.
            let p = unsafe { malloc(v.len().max(1)) }.cast::<u8>();
            if p.is_null() {
                vibix_abi::errno::set_errno(vibix_uapi::errno::ENOMEM);
                return Err(Stop::Matching);
            }
            if out.is_null() {
                return Ok(true);
            }
            // SAFETY: `p` has room for `v`; `out` is the caller's `char **`.
            unsafe {
                core::ptr::copy_nonoverlapping(v.as_ptr(), p, v.len());
                *out = p.cast();
            }
        }
        Ok(true)
    }
}

/// Stores byte `c` at element `k` of `dst` (a `char` or `wchar_t`
/// array); nothing if `dst` is NULL (suppressed).
///
/// # Safety
///
/// `dst` is NULL or has room for element `k`.
unsafe fn put(dst: *mut c_void, wide: bool, k: usize, c: u8) {
    if dst.is_null() {
        return;
    }
    // SAFETY: the caller's contract.
    unsafe {
        if wide {
            *dst.cast::<i32>().add(k) = c as i32;
        } else {
            *dst.cast::<u8>().add(k) = c;
        }
    }
}

/// The next argument, a `char *` (or `wchar_t *` if `wide`).
///
/// # Safety
///
/// The next argument is such a pointer.
unsafe fn buffer_arg(ap: &mut Ptrs<'_, '_>, wide: bool) -> *mut c_void {
    // SAFETY: the caller's contract.
    unsafe {
        if wide {
            ap.next::<i32>().cast()
        } else {
            ap.next::<c_char>().cast()
        }
    }
}

/// Where the pointers come from: in order from the `va_list`, or, for a
/// format with `n$` positions, from a table read up front (the position
/// of the conversion at hand beside it).
enum Ptrs<'a, 'b> {
    Seq(&'a mut VaList<'b>),
    Pos(Vec<*mut c_void>, usize),
}

impl Ptrs<'_, '_> {
    /// The next pointer, read as the `T *` C passes; NULL for a position
    /// the format does not have.
    ///
    /// # Safety
    ///
    /// In order, the next argument is a `T *`.
    unsafe fn next<T>(&mut self) -> *mut T {
        match self {
            // SAFETY: the caller's contract.
            Ptrs::Seq(ap) => unsafe { ap.next_arg::<*mut T>() },
            Ptrs::Pos(table, at) => table
                .get(at.wrapping_sub(1))
                .map_or(core::ptr::null_mut(), |p| p.cast()),
        }
    }
}

/// Writes `v` through `p` unless it is NULL.
///
/// # Safety
///
/// `p` is NULL or valid for the write.
unsafe fn store<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: the caller's contract.
        unsafe { p.write(v) };
    }
}

/// A `n$` position at `f[*i]`, advancing past it.
fn position(f: &[u8], i: &mut usize) -> Option<usize> {
    let mut j = *i;
    let mut n = 0usize;
    while let Some(d) = f.get(j).filter(|c| c.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add((d - b'0') as usize);
        j += 1;
    }
    if j > *i && n > 0 && f.get(j) == Some(&b'$') {
        *i = j + 1;
        Some(n)
    } else {
        None
    }
}

/// For a format whose first conversion names a position: how many
/// pointers it names (the largest position).
fn positions(f: &[u8]) -> Option<usize> {
    let mut i = 0;
    let mut max = None;
    while i < f.len() {
        if f[i] != b'%' {
            i += 1;
            continue;
        }
        i += 1;
        if f.get(i) == Some(&b'%') {
            i += 1;
            continue;
        }
        match position(f, &mut i) {
            Some(n) => max = Some(max.unwrap_or(0).max(n)),
            None if max.is_none() => return None,
            None => {}
        }
    }
    max.map(|n: usize| n.min(1024))
}

/// Stores `v` through the next pointer, narrowed to `len`'s type.
///
/// # Safety
///
/// The next argument is a pointer to an integer of `len`'s size.
unsafe fn store_int(ap: &mut Ptrs<'_, '_>, len: Len, v: u64) {
    // SAFETY: the caller's contract.
    // (Each pointer is read as the type C passes, so that even Miri's
    // strict `va_arg` checking holds.)
    unsafe {
        match len {
            Len::Hh => store(ap.next::<i8>(), v as i8),
            Len::H => store(ap.next::<i16>(), v as i16),
            Len::Default => store(ap.next::<i32>(), v as i32),
            _ => store(ap.next::<i64>(), v as i64),
        }
    }
}

/// A `%[...]` set starting at `f[i]` (after the `[`): which bytes it
/// accepts and where the format goes on; `None` if the set has no closing
/// `]` (a conversion error, as in glibc).
///
/// glibc's reading of `-`: a `]` or `-` right after `[` or `[^` is a
/// member; any other `-` followed by a byte that is not `]` spans from the
/// format byte before it up to that byte when they are in order ("a-c",
/// and in "a-c-z" the second range starts at `c`), and is a member
/// otherwise ("c-a" is `c`, `-`, `a`).
fn scanset(f: &[u8], mut i: usize) -> Option<([bool; 256], usize)> {
    let mut set = [false; 256];
    let negate = f.get(i) == Some(&b'^');
    if negate {
        i += 1;
    }
    if let Some(&c @ (b']' | b'-')) = f.get(i) {
        set[c as usize] = true;
        i += 1;
    }
    loop {
        let &c = f.get(i)?;
        i += 1;
        if c == b']' {
            break;
        }
        // `f[i - 2]`: the byte before this `-`, at worst the `[` itself.
        match f.get(i) {
            Some(&hi) if c == b'-' && hi != b']' && f[i - 2] <= hi => {
                for b in f[i - 2]..hi {
                    set[b as usize] = true;
                }
            }
            _ => set[c as usize] = true,
        }
    }
    if negate {
        for b in set.iter_mut() {
            *b = !*b;
        }
    }
    Some((set, i))
}

fn digit_value(c: u8) -> Option<u32> {
    (c as char).to_digit(36)
}

/// An integer as `strtol`/`strtoul` with `base` would read it (0: by
/// prefix), at most `width` characters; the value as 64 bits.
fn integer(r: &mut Reader<'_>, width: usize, base: u32, signed: bool) -> Result<u64, Stop> {
    let mut left = width;
    let mut neg = false;
    match r.peek() {
        None => return Err(Stop::Input),
        Some(c @ (b'+' | b'-')) if left > 0 => {
            neg = c == b'-';
            r.bump();
            left -= 1;
        }
        _ => {}
    }
    let mut base = base;
    let mut any = false;
    if (base == 0 || base == 16) && left > 0 && r.peek() == Some(b'0') {
        r.bump();
        left -= 1;
        any = true;
        if left > 0 && matches!(r.peek(), Some(b'x' | b'X')) {
            r.bump();
            left -= 1;
            base = 16;
        } else if base == 0 {
            base = 8;
        }
    }
    if base == 0 {
        base = 10;
    }
    let mut mag: u64 = 0;
    let mut overflow = false;
    while left > 0 {
        let Some(d) = r.peek().and_then(digit_value).filter(|&d| d < base) else {
            break;
        };
        r.bump();
        left -= 1;
        any = true;
        match mag
            .checked_mul(base as u64)
            .and_then(|m| m.checked_add(d as u64))
        {
            Some(m) => mag = m,
            None => overflow = true,
        }
    }
    if !any {
        return Err(if r.peek().is_none() && left == width {
            Stop::Input
        } else {
            Stop::Matching
        });
    }
    Ok(if signed {
        if overflow || (!neg && mag > i64::MAX as u64) {
            if neg {
                i64::MIN as u64
            } else {
                i64::MAX as u64
            }
        } else if neg && mag > 1u64 << 63 {
            i64::MIN as u64
        } else if neg {
            mag.wrapping_neg()
        } else {
            mag
        }
    } else if overflow {
        u64::MAX
    } else if neg {
        mag.wrapping_neg()
    } else {
        mag
    })
}

enum Float {
    Single(f32),
    Double(f64),
    Long(F80),
}

/// What a floating-point conversion stores.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Single,
    Double,
    Long,
}

/// Matches the case-insensitive `word` (lower case) as far as it goes;
/// how many characters matched.
fn word(r: &mut Reader<'_>, text: &mut Vec<u8>, left: &mut usize, w: &[u8]) -> usize {
    let mut n = 0;
    for &c in w {
        if *left == 0 {
            break;
        }
        match r.peek() {
            Some(x) if x.to_ascii_lowercase() == c => {
                r.bump();
                text.push(x);
                *left -= 1;
                n += 1;
            }
            _ => break,
        }
    }
    n
}

/// A floating-point number as `strtod` reads it, at most `width`
/// characters.
fn float(r: &mut Reader<'_>, width: usize, kind: Kind) -> Result<Float, Stop> {
    let single = kind == Kind::Single;
    let mut left = width;
    let mut text: Vec<u8> = Vec::new();
    if r.peek().is_none() {
        return Err(Stop::Input);
    }
    let mut neg = false;
    if let Some(c @ (b'+' | b'-')) = r.peek() {
        neg = c == b'-';
        r.bump();
        left -= 1;
    }
    let finish = |x: f64, t: Option<&[u8]>| -> Float {
        if kind == Kind::Long {
            let v = match t {
                Some(t) => longdouble::parse_decimal(t),
                None if x.is_nan() => F80::NAN,
                None => F80::INFINITY,
            };
            Float::Long(if neg { v.negate() } else { v })
        } else if single {
            let v = match t.and_then(|t| core::str::from_utf8(t).ok()?.parse::<f32>().ok()) {
                Some(v) => v,
                None => x as f32,
            };
            Float::Single(if neg { -v } else { v })
        } else {
            Float::Double(if neg { -x } else { x })
        }
    };
    match r.peek().map(|c| c.to_ascii_lowercase()) {
        Some(b'i') if left > 0 => {
            if word(r, &mut text, &mut left, b"inf") < 3 {
                return Err(Stop::Matching);
            }
            let n = word(r, &mut text, &mut left, b"inity");
            if n != 0 && n != 5 {
                return Err(Stop::Matching);
            }
            return Ok(finish(f64::INFINITY, None));
        }
        Some(b'n') if left > 0 => {
            if word(r, &mut text, &mut left, b"nan") < 3 {
                return Err(Stop::Matching);
            }
            // glibc's scanf reads no `(chars)` after `nan`.
            return Ok(finish(f64::NAN, None));
        }
        _ => {}
    }
    let mut hex = false;
    let mut digits = 0usize;
    if left > 0 && r.peek() == Some(b'0') {
        r.bump();
        left -= 1;
        text.push(b'0');
        digits = 1;
        // An `x` the width ends on is not read: glibc gives it back
        // and converts the `0` alone.
        if left > 1 && matches!(r.peek(), Some(b'x' | b'X')) {
            r.bump();
            left -= 1;
            hex = true;
            text.clear();
            digits = 0;
        }
    }
    let is_digit = |c: u8| {
        if hex {
            c.is_ascii_hexdigit()
        } else {
            c.is_ascii_digit()
        }
    };
    while left > 0 {
        match r.peek() {
            Some(c) if is_digit(c) => {
                r.bump();
                left -= 1;
                text.push(c);
                digits += 1;
            }
            _ => break,
        }
    }
    let mut point = false;
    if left > 0 && r.peek() == Some(b'.') {
        r.bump();
        left -= 1;
        point = true;
        text.push(b'.');
        while left > 0 {
            match r.peek() {
                Some(c) if is_digit(c) => {
                    r.bump();
                    left -= 1;
                    text.push(c);
                    digits += 1;
                }
                _ => break,
            }
        }
    }
    if digits == 0 && hex && point {
        // glibc reads "0x." as zero (but "0x" alone as no number).
        return Ok(finish(0.0, Some(b"0")));
    }
    if digits == 0 {
        return Err(if r.peek().is_none() && left == width {
            Stop::Input
        } else {
            Stop::Matching
        });
    }
    let mark = if hex { b'p' } else { b'e' };
    if left > 0 && r.peek().map(|c| c.to_ascii_lowercase()) == Some(mark) {
        r.bump();
        left -= 1;
        let at = text.len();
        text.push(mark);
        if left > 0
            && let Some(c @ (b'+' | b'-')) = r.peek()
        {
            r.bump();
            left -= 1;
            text.push(c);
        }
        let mut exp_digits = 0;
        while left > 0 {
            match r.peek() {
                Some(c) if c.is_ascii_digit() => {
                    r.bump();
                    left -= 1;
                    text.push(c);
                    exp_digits += 1;
                }
                _ => break,
            }
        }
        if exp_digits == 0 {
            text.truncate(at);
        }
    }
    if hex {
        return Ok(if kind == Kind::Long {
            let v = longdouble::parse_hex(&text);
            Float::Long(if neg { v.negate() } else { v })
        } else if single {
            let v = strto::parse_hex(&text, strto::FLOAT).0 as f32;
            Float::Single(if neg { -v } else { v })
        } else {
            let v = strto::parse_hex(&text, strto::DOUBLE).0;
            Float::Double(if neg { -v } else { v })
        });
    }
    if kind == Kind::Long {
        return Ok(finish(0.0, Some(&text)));
    }
    let s = core::str::from_utf8(&text).unwrap_or("0");
    let x: f64 = s.parse().unwrap_or(0.0);
    Ok(finish(x, Some(&text)))
}
