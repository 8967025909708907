//! (internal) The printf engine: parses a format string, fetches the
//! arguments from a `va_list` and writes the result into a [`Sink`] (a
//! `FILE`, a caller's buffer, a growing buffer or a descriptor), so every
//! member of the printf family shares one implementation.
//!
//! Behaviour is glibc's: every conversion (`d i u o x X c s p n % m e E f F
//! g G a A`, and `C S` for `lc ls`), the flags `-+ #0'` (`'` groups nothing in the C locale),
//! width and precision from the format or from `*` / `*m$`, the length
//! modifiers `hh h l ll j z t` and positional arguments (`%2$d`).
//! Floating-point digits are exact: `core::fmt` prints a double's exact
//! binary value correctly rounded (ties to even) at any precision, and this
//! engine reshapes those digits into C's styles; a short `%f` (below 1e9,
//! at most 9 decimals) is worked out exactly with integers instead. `L` (x87 `long double`)
//! is read from the `va_list`'s overflow area as the x86_64 ABI passes it
//! and printed exactly by `longdouble.rs` (not with positional arguments,
//! and not under Miri: the call fails with `EINVAL` there).

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::VaList;
use core::fmt::Write as _;

use vibix_abi::errno::{errno, set_errno};
use vibix_uapi::errno::{EILSEQ, EINVAL, EOVERFLOW};

use crate::types::{c_char, c_int, c_void};

// ANCHOR: sink
/// Where formatted bytes go.
pub(crate) trait Sink {
    /// Takes `bytes`; `false` if they could not be written (the call then
    /// fails).
    fn put(&mut self, bytes: &[u8]) -> bool;
}
// ANCHOR_END: sink

/// Length modifiers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Len {
    Default,
    Hh,
    H,
    L,
    Ll,
    J,
    Z,
    T,
    BigL,
}

/// What an argument is read as: the classes of the x86_64 C calling
/// convention's `va_arg` that printf needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Int,
    Long,
    Double,
    Ptr,
}

/// A fetched argument: 64 bits (a double as its bits), or a pointer
/// (kept as one, with its provenance).
#[derive(Clone, Copy)]
enum Raw {
    Bits(u64),
    Ptr(*mut c_void),
}

impl Raw {
    /// As a number (a pointer's address).
    fn n(self) -> u64 {
        match self {
            Raw::Bits(b) => b,
            Raw::Ptr(p) => p.addr() as u64,
        }
    }
    /// As a pointer.
    fn p(self) -> *mut c_void {
        match self {
            Raw::Ptr(p) => p,
            Raw::Bits(b) => core::ptr::without_provenance_mut(b as usize),
        }
    }
}

/// One conversion specification.
#[derive(Clone, Copy, Debug)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
    len: Len,
    conv: u8,
}

/// Where arguments come from: in order from the `va_list`, or (for a
/// format with `n$` positions) from a table fetched up front.
enum Args<'a, 'b> {
    Seq(&'a mut VaList<'b>),
    Pos(Vec<Raw>),
}

impl Args<'_, '_> {
    /// The next argument (sequential) or argument `pos` (1-based).
    ///
    /// # Safety
    ///
    /// The caller's `va_list` must hold an argument of `class` there.
    unsafe fn get(&mut self, pos: Option<usize>, class: Class) -> Raw {
        match self {
            // SAFETY: the caller says the argument exists with this class.
            Args::Seq(ap) => unsafe { fetch(ap, class) },
            Args::Pos(table) => pos
                .and_then(|p| table.get(p.wrapping_sub(1)).copied())
                .unwrap_or(Raw::Bits(0)),
        }
    }
}

/// Reads one argument of `class` from `ap`.
///
/// # Safety
///
/// `ap`'s next argument must be of `class`.
unsafe fn fetch(ap: &mut VaList<'_>, class: Class) -> Raw {
    // SAFETY: the caller's contract.
    unsafe {
        match class {
            Class::Int => Raw::Bits(ap.next_arg::<c_int>() as u32 as u64),
            Class::Long => Raw::Bits(ap.next_arg::<u64>()),
            Class::Double => Raw::Bits(ap.next_arg::<f64>().to_bits()),
            Class::Ptr => Raw::Ptr(ap.next_arg::<*mut c_void>()),
        }
    }
}

/// The class an argument of conversion `conv` with `len` is passed as.
fn class_of(conv: u8, len: Len) -> Option<Class> {
    Some(match conv {
        b'd' | b'i' | b'u' | b'o' | b'x' | b'X' | b'c' => match len {
            Len::L | Len::Ll | Len::J | Len::Z | Len::T => Class::Long,
            Len::BigL => Class::Long,
            _ => Class::Int,
        },
        b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => Class::Double,
        b's' | b'p' | b'n' => Class::Ptr,
        _ => return None,
    })
}

/// Counts what has been written and passes it to the sink.
struct Out<'s> {
    sink: &'s mut dyn Sink,
    count: usize,
    failed: bool,
}

impl Out<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if self.failed || bytes.is_empty() {
            return;
        }
        self.count += bytes.len();
        if !self.sink.put(bytes) {
            self.failed = true;
        }
    }

    fn repeat(&mut self, byte: u8, mut n: usize) {
        let chunk = [byte; 64];
        while n > 0 && !self.failed {
            let k = n.min(chunk.len());
            self.put(&chunk[..k]);
            n -= k;
        }
    }

    /// Writes `prefix`, `body` padded to `width` as the flags say: left
    /// (spaces after), zero (zeros between prefix and body), or right
    /// (spaces before).
    fn padded(&mut self, spec: &Spec, zero: bool, prefix: &[u8], body: &[u8]) {
        let len = prefix.len() + body.len();
        let pad = spec.width.saturating_sub(len);
        if spec.left {
            self.put(prefix);
            self.put(body);
            self.repeat(b' ', pad);
        } else if zero {
            self.put(prefix);
            self.repeat(b'0', pad);
            self.put(body);
        } else {
            self.repeat(b' ', pad);
            self.put(prefix);
            self.put(body);
        }
    }
}

/// Reads a decimal number at `*i`, advancing it.
fn number(f: &[u8], i: &mut usize) -> usize {
    let mut n: usize = 0;
    while *i < f.len() && f[*i].is_ascii_digit() {
        n = n.saturating_mul(10).saturating_add((f[*i] - b'0') as usize);
        *i += 1;
    }
    n
}

/// A `n$` position at `*i` (digits followed by `$`), advancing past it.
fn position(f: &[u8], i: &mut usize) -> Option<usize> {
    let mut j = *i;
    if j < f.len() && f[j].is_ascii_digit() && f[j] != b'0' {
        let n = number(f, &mut j);
        if j < f.len() && f[j] == b'$' {
            *i = j + 1;
            return Some(n);
        }
    }
    None
}

/// A width or precision: `*` (from an argument, `*m$` positional) or a
/// number. `Err(pos)`: from argument `pos` (`None`: the next one).
enum Amount {
    Given(usize),
    Star(Option<usize>),
    None,
}

/// Parsed conversion, with where its values come from.
struct Parsed {
    spec: Spec,
    pos: Option<usize>,
    width: Amount,
    prec: Amount,
}

/// Parses a conversion after its `%`, at `*i`; advances past it.
fn parse(f: &[u8], i: &mut usize) -> Parsed {
    let pos = position(f, i);
    let mut spec = Spec {
        left: false,
        plus: false,
        space: false,
        alt: false,
        zero: false,
        width: 0,
        prec: None,
        len: Len::Default,
        conv: 0,
    };
    while *i < f.len() {
        match f[*i] {
            b'-' => spec.left = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            b'0' => spec.zero = true,
            b'\'' | b'I' => {}
            _ => break,
        }
        *i += 1;
    }
    let width = if *i < f.len() && f[*i] == b'*' {
        *i += 1;
        Amount::Star(position(f, i))
    } else if *i < f.len() && f[*i].is_ascii_digit() {
        Amount::Given(number(f, i))
    } else {
        Amount::None
    };
    let prec = if *i < f.len() && f[*i] == b'.' {
        *i += 1;
        if *i < f.len() && f[*i] == b'*' {
            *i += 1;
            Amount::Star(position(f, i))
        } else {
            Amount::Given(number(f, i))
        }
    } else {
        Amount::None
    };
    spec.len = match f.get(*i) {
        Some(b'h') if f.get(*i + 1) == Some(&b'h') => {
            *i += 2;
            Len::Hh
        }
        Some(b'h') => {
            *i += 1;
            Len::H
        }
        Some(b'l') if f.get(*i + 1) == Some(&b'l') => {
            *i += 2;
            Len::Ll
        }
        Some(b'l') => {
            *i += 1;
            Len::L
        }
        Some(b'q') => {
            *i += 1;
            Len::Ll
        }
        Some(b'L') => {
            *i += 1;
            Len::BigL
        }
        Some(b'j') => {
            *i += 1;
            Len::J
        }
        Some(b'z' | b'Z') => {
            *i += 1;
            Len::Z
        }
        Some(b't') => {
            *i += 1;
            Len::T
        }
        _ => Len::Default,
    };
    if *i < f.len() {
        spec.conv = f[*i];
        *i += 1;
    }
    Parsed {
        spec,
        pos,
        width,
        prec,
    }
}

/// For a positional format: every argument's class, in position order,
/// fetched from `ap`. `None` if a position is missing or has no class.
///
/// # Safety
///
/// `ap` must hold the arguments the format names.
unsafe fn fetch_positional(f: &[u8], ap: &mut VaList<'_>) -> Option<Vec<Raw>> {
    let mut classes: Vec<Option<Class>> = Vec::new();
    let mut note = |pos: usize, class: Class| {
        if pos == 0 || pos > 65536 {
            return;
        }
        if classes.len() < pos {
            classes.resize(pos, None);
        }
        classes[pos - 1] = Some(class);
    };
    let mut i = 0;
    while i < f.len() {
        if f[i] != b'%' {
            i += 1;
            continue;
        }
        i += 1;
        let p = parse(f, &mut i);
        if let Amount::Star(Some(n)) = p.width {
            note(n, Class::Int);
        }
        if let Amount::Star(Some(n)) = p.prec {
            note(n, Class::Int);
        }
        if let (Some(n), Some(c)) = (p.pos, class_of(p.spec.conv, p.spec.len)) {
            note(n, c);
        }
    }
    let mut table = Vec::with_capacity(classes.len());
    for c in classes {
        // An unnamed position: C leaves it undefined; glibc assumes int.
        let c = c.unwrap_or(Class::Int);
        // SAFETY: the caller's contract; positions are read in order.
        table.push(unsafe { fetch(ap, c) });
    }
    Some(table)
}

/// Formats `fmt` with the arguments in `ap` into `sink`; returns the
/// number of bytes produced, or `-1` with `errno` set.
///
/// # Safety
///
/// `fmt` must be a NUL-terminated string and `ap` must hold arguments of
/// the types its conversions name (pointers valid as C requires).
pub(crate) unsafe fn format(sink: &mut dyn Sink, fmt: *const c_char, ap: &mut VaList<'_>) -> c_int {
    // SAFETY: the caller passes a NUL-terminated string.
    let f = unsafe { core::ffi::CStr::from_ptr(fmt) }.to_bytes();
    let saved_errno = errno();
    let mut out = Out {
        sink,
        count: 0,
        failed: false,
    };
    let positional = {
        let mut i = 0;
        let mut found = false;
        while let Some(k) = f[i..].iter().position(|&b| b == b'%') {
            i += k + 1;
            if i < f.len() && f[i] == b'%' {
                i += 1;
                continue;
            }
            found = position(f, &mut i).is_some();
            break;
        }
        found
    };
    let mut args = if positional {
        // SAFETY: the caller's contract.
        match unsafe { fetch_positional(f, ap) } {
            Some(t) => Args::Pos(t),
            None => {
                set_errno(EINVAL);
                return -1;
            }
        }
    } else {
        Args::Seq(ap)
    };
    let mut i = 0;
    while i < f.len() {
        let start = i;
        while i < f.len() && f[i] != b'%' {
            i += 1;
        }
        out.put(&f[start..i]);
        if i >= f.len() {
            break;
        }
        i += 1;
        let conv_start = i;
        let p = parse(f, &mut i);
        let mut spec = p.spec;
        match p.width {
            Amount::Given(w) => spec.width = w,
            Amount::Star(pos) => {
                // SAFETY: the format says an int is there.
                let w = unsafe { args.get(pos, Class::Int) }.n() as u32 as i32;
                if w < 0 {
                    spec.left = true;
                }
                spec.width = w.unsigned_abs() as usize;
            }
            Amount::None => {}
        }
        match p.prec {
            Amount::Given(n) => spec.prec = Some(n),
            Amount::Star(pos) => {
                // SAFETY: the format says an int is there.
                let n = unsafe { args.get(pos, Class::Int) }.n() as u32 as i32;
                spec.prec = if n < 0 { None } else { Some(n as usize) };
            }
            Amount::None => {}
        }
        if spec.width > i32::MAX as usize || spec.prec.is_some_and(|p| p > i32::MAX as usize) {
            set_errno(EOVERFLOW);
            return -1;
        }
        if spec.left {
            spec.zero = false;
        }
        // glibc's old names: `%C` is `%lc`, `%S` is `%ls`.
        if let b'C' | b'S' = spec.conv {
            spec.conv = spec.conv.to_ascii_lowercase();
            spec.len = Len::L;
        }
        let result = match spec.conv {
            b'%' => {
                out.put(b"%");
                Ok(())
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
                let class = class_of(spec.conv, spec.len).unwrap_or(Class::Int);
                // SAFETY: the format names an integer argument.
                let raw = unsafe { args.get(p.pos, class) }.n();
                integer(&mut out, &spec, raw, false);
                Ok(())
            }
            b'c' => {
                // SAFETY: the format names an int (or wint_t) argument.
                let raw = unsafe { args.get(p.pos, Class::Int) }.n() as u32;
                if spec.len == Len::L {
                    match wide_to_byte(raw) {
                        Some(b) => {
                            out.padded(&spec, false, &[], &[b]);
                            Ok(())
                        }
                        None => Err(EILSEQ),
                    }
                } else {
                    out.padded(&spec, false, &[], &[raw as u8]);
                    Ok(())
                }
            }
            b's' => {
                // SAFETY: the format names a string pointer.
                let ptr = unsafe { args.get(p.pos, Class::Ptr) }
                    .p()
                    .cast::<u8>()
                    .cast_const();
                // SAFETY: C requires a string (or NULL, which glibc prints
                // as "(null)").
                unsafe { string(&mut out, &spec, ptr) }
            }
            b'm' => {
                let mut buf = [0u8; 24];
                let msg = strerror_bytes(saved_errno, &mut buf);
                let n = spec.prec.map_or(msg.len(), |p| p.min(msg.len()));
                out.padded(&spec, false, &[], &msg[..n]);
                Ok(())
            }
            b'p' => {
                // SAFETY: the format names a pointer.
                let raw = unsafe { args.get(p.pos, Class::Ptr) }.n();
                if raw == 0 {
                    let mut s = spec;
                    s.zero = false;
                    out.padded(&s, false, &[], b"(nil)");
                } else {
                    let mut s = spec;
                    s.alt = true;
                    s.conv = b'x';
                    s.len = Len::L;
                    integer(&mut out, &s, raw, true);
                }
                Ok(())
            }
            b'n' => {
                // SAFETY: the format names a pointer to an integer of the
                // length modifier's size.
                let ptr = unsafe { args.get(p.pos, Class::Ptr) }.p();
                let n = out.count;
                // SAFETY: as above; C requires the pointer valid.
                unsafe {
                    match spec.len {
                        Len::Hh => *ptr.cast::<i8>() = n as i8,
                        Len::H => *ptr.cast::<i16>() = n as i16,
                        Len::Default => *ptr.cast::<i32>() = n as i32,
                        _ => *ptr.cast::<i64>() = n as i64,
                    }
                }
                Ok(())
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                if spec.len == Len::BigL {
                    match &mut args {
                        // SAFETY: the format names a long double.
                        Args::Seq(ap) => match unsafe { super::longdouble::next_arg(ap) } {
                            Some(x) => {
                                long_float(&mut out, &spec, x);
                                Ok(())
                            }
                            None => Err(EINVAL),
                        },
                        Args::Pos(_) => Err(EINVAL),
                    }
                } else {
                    // SAFETY: the format names a double.
                    let x = f64::from_bits(unsafe { args.get(p.pos, Class::Double) }.n());
                    float(&mut out, &spec, x);
                    Ok(())
                }
            }
            _ => {
                // An unknown conversion is printed as it stands (glibc).
                out.put(b"%");
                out.put(&f[conv_start..i]);
                Ok(())
            }
        };
        if let Err(e) = result {
            set_errno(e);
            return -1;
        }
        if out.failed {
            return -1;
        }
    }
    if out.failed {
        return -1;
    }
    if out.count > i32::MAX as usize {
        set_errno(EOVERFLOW);
        return -1;
    }
    out.count as c_int
}

/// The C locale's conversion of a wide character to one byte.
fn wide_to_byte(wc: u32) -> Option<u8> {
    if wc < 0x80 { Some(wc as u8) } else { None }
}

/// `strerror(n)` as bytes: the message, or `Unknown error N`.
pub(crate) fn strerror_bytes(n: c_int, buf: &mut [u8; 24]) -> &[u8] {
    if n == 0 {
        return b"Success";
    }
    if let Some(m) = vibix_uapi::errno::message(n) {
        return m.as_bytes();
    }
    let mut w = Cursor { buf, len: 0 };
    let _ = write!(w, "Unknown error {n}");
    let len = w.len;
    &buf[..len]
}

/// A `core::fmt::Write` into a fixed buffer (truncating).
struct Cursor<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for Cursor<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// `%s` (and `%ls`).
///
/// # Safety
///
/// `ptr` is NULL or a NUL-terminated string (of `wchar_t` for `%ls`),
/// readable up to the precision if there is one.
unsafe fn string(out: &mut Out<'_>, spec: &Spec, ptr: *const u8) -> Result<(), c_int> {
    if ptr.is_null() {
        let body: &[u8] = if spec.prec.is_none_or(|p| p >= 6) {
            b"(null)"
        } else {
            b""
        };
        out.padded(spec, false, &[], body);
        return Ok(());
    }
    if spec.len == Len::L {
        let wide = ptr.cast::<i32>();
        let mut bytes = Vec::new();
        let limit = spec.prec.unwrap_or(usize::MAX);
        let mut k = 0;
        while bytes.len() < limit {
            // SAFETY: inside the NUL-terminated wide string.
            let wc = unsafe { *wide.add(k) };
            if wc == 0 {
                break;
            }
            match wide_to_byte(wc as u32) {
                Some(b) => bytes.push(b),
                None => return Err(EILSEQ),
            }
            k += 1;
        }
        out.padded(spec, false, &[], &bytes);
        return Ok(());
    }
    let mut n = 0;
    let limit = spec.prec.unwrap_or(usize::MAX);
    // SAFETY: C reads up to the NUL or the precision, whichever is first.
    while n < limit && unsafe { *ptr.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: the `n` bytes just read.
    let body = unsafe { core::slice::from_raw_parts(ptr, n) };
    out.padded(spec, false, &[], body);
    Ok(())
}

/// `d i u o x X` (and `%p` as `%#lx`).
fn integer(out: &mut Out<'_>, spec: &Spec, raw: u64, pointer: bool) {
    let signed = matches!(spec.conv, b'd' | b'i');
    let (neg, mag) = if signed {
        let v: i64 = match spec.len {
            Len::Hh => raw as i8 as i64,
            Len::H => raw as i16 as i64,
            Len::Default => raw as u32 as i32 as i64,
            _ => raw as i64,
        };
        (v < 0, v.unsigned_abs())
    } else {
        let v: u64 = match spec.len {
            Len::Hh => raw as u8 as u64,
            Len::H => raw as u16 as u64,
            Len::Default => raw as u32 as u64,
            _ => raw,
        };
        (false, v)
    };
    let (base, upper) = match spec.conv {
        b'o' => (8, false),
        b'x' => (16, false),
        b'X' => (16, true),
        _ => (10, false),
    };
    let digits_of: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut buf = [0u8; 24];
    let mut at = buf.len();
    let mut v = mag;
    while v > 0 {
        at -= 1;
        buf[at] = digits_of[(v % base) as usize];
        v /= base;
    }
    let mut digits: &[u8] = &buf[at..];
    let mut zeros = 0usize; // precision's leading zeros
    match spec.prec {
        Some(p) => {
            if mag == 0 && p == 0 {
                digits = b"";
            }
            zeros = p.saturating_sub(digits.len());
        }
        None => {
            if mag == 0 {
                digits = b"0";
            }
        }
    }
    if spec.conv == b'o' && spec.alt && zeros == 0 && digits.first() != Some(&b'0') {
        zeros = 1;
    }
    let mut prefix = [0u8; 3];
    let mut plen = 0;
    if neg {
        prefix[0] = b'-';
        plen = 1;
    } else if (signed || pointer) && spec.plus {
        prefix[0] = b'+';
        plen = 1;
    } else if (signed || pointer) && spec.space {
        prefix[0] = b' ';
        plen = 1;
    }
    if spec.alt && base == 16 && mag != 0 {
        prefix[plen] = b'0';
        prefix[plen + 1] = if upper { b'X' } else { b'x' };
        plen += 2;
    }
    // The body: precision zeros, then digits.
    let body_len = zeros + digits.len();
    let zero_pad = spec.zero && spec.prec.is_none() && !spec.left;
    let pad = spec.width.saturating_sub(plen + body_len);
    if spec.left {
        out.put(&prefix[..plen]);
        out.repeat(b'0', zeros);
        out.put(digits);
        out.repeat(b' ', pad);
    } else if zero_pad {
        out.put(&prefix[..plen]);
        out.repeat(b'0', pad + zeros);
        out.put(digits);
    } else {
        out.repeat(b' ', pad);
        out.put(&prefix[..plen]);
        out.repeat(b'0', zeros);
        out.put(digits);
    }
}

/// `e E f F g G a A`.
fn float(out: &mut Out<'_>, spec: &Spec, x: f64) {
    let upper = spec.conv.is_ascii_uppercase();
    let neg = x.is_sign_negative();
    let sign: &[u8] = if neg {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    if !x.is_finite() {
        let body: &[u8] = match (x.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        out.padded(spec, false, sign, body);
        return;
    }
    let a = x.abs();
    if spec.conv.eq_ignore_ascii_case(&b'f') {
        let mut buf = [0u8; SHORT_FIXED_LEN];
        if let Some(len) = short_fixed(a, spec.prec.unwrap_or(6), spec.alt, &mut buf) {
            out.padded(spec, spec.zero, sign, &buf[..len]);
            return;
        }
    }
    let mut body = String::new();
    match spec.conv.to_ascii_lowercase() {
        b'f' => fixed(&mut body, a, spec.prec.unwrap_or(6), spec.alt),
        b'e' => scientific(&mut body, a, spec.prec.unwrap_or(6), spec.alt, upper),
        b'g' => general(&mut body, a, spec.prec.unwrap_or(6), spec.alt, upper),
        _ => {
            hex_float(&mut body, a, spec.prec, spec.alt, upper);
            let mut prefix = [0u8; 3];
            prefix[..sign.len()].copy_from_slice(sign);
            prefix[sign.len()] = b'0';
            prefix[sign.len() + 1] = if upper { b'X' } else { b'x' };
            out.padded(spec, spec.zero, &prefix[..sign.len() + 2], body.as_bytes());
            return;
        }
    }
    out.padded(spec, spec.zero, sign, body.as_bytes());
}

/// `e E f F g G a A` with `L`: an x87 `long double`.
fn long_float(out: &mut Out<'_>, spec: &Spec, x: super::longdouble::F80) {
    use super::longdouble as ld;
    let upper = spec.conv.is_ascii_uppercase();
    let sign: &[u8] = if x.negative() {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    if x.is_nan() || x.is_inf() {
        let body: &[u8] = match (x.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        out.padded(spec, false, sign, body);
        return;
    }
    let a = super::longdouble::F80 {
        mant: x.mant,
        se: x.se & 0x7fff,
    };
    let mut body = String::new();
    let prec = spec.prec.unwrap_or(6);
    match spec.conv.to_ascii_lowercase() {
        b'f' => ld::fixed(&mut body, a, prec, spec.alt),
        b'e' => ld::scientific(&mut body, a, prec, spec.alt, upper),
        b'g' => ld::general(&mut body, a, prec, spec.alt, upper),
        _ => {
            ld::hex(&mut body, a, spec.prec, spec.alt, upper);
            let mut prefix = [0u8; 3];
            prefix[..sign.len()].copy_from_slice(sign);
            prefix[sign.len()] = b'0';
            prefix[sign.len() + 1] = if upper { b'X' } else { b'x' };
            out.padded(spec, spec.zero, &prefix[..sign.len() + 2], body.as_bytes());
            return;
        }
    }
    out.padded(spec, spec.zero, sign, body.as_bytes());
}

// ANCHOR: short_fixed
/// The longest [`short_fixed`] result: ten integer digits (a value just
/// below 1e9 may round up to it), the point and nine fraction digits.
const SHORT_FIXED_LEN: usize = 20;

/// `%.{prec}f` of `a` (finite, not negative) without `core::fmt` nor the
/// heap, when `a < 1e9` and `prec <= 9` (the usual `%f` of a measurement);
/// `None` otherwise. Exact like [`fixed`]: `a` is `m / 2^k` (its
/// significand and exponent, `k >= 23` below 1e9), so `a * 10^prec` is
/// the integer `m * 10^prec` (below 2^83) shifted right by `k`; the bits
/// shifted out decide the rounding, to nearest with ties to even, on the
/// exact value. The result, below 10^18, is printed as integer digits.
fn short_fixed(a: f64, prec: usize, alt: bool, buf: &mut [u8; SHORT_FIXED_LEN]) -> Option<usize> {
    if a >= 1e9 || prec > 9 {
        return None;
    }
    let bits = a.to_bits();
    let biased = (bits >> 52) as u32 & 0x7ff;
    let fraction = bits & ((1 << 52) - 1);
    // a = m * 2^-k; a subnormal has no hidden bit and the least exponent.
    let (m, k) = if biased == 0 {
        (fraction, 1074)
    } else {
        (fraction | 1 << 52, 1075 - biased)
    };
    let scale = 10u64.pow(prec as u32);
    let n = u128::from(m) * u128::from(scale);
    // Below 1e9, k >= 23; n < 2^83, so for k >= 84 the value is below one
    // half of a unit of the last place and rounds to zero.
    let q = if k >= 84 {
        0
    } else {
        let q = (n >> k) as u64;
        let rest = n & ((1u128 << k) - 1);
        let half = 1u128 << (k - 1);
        if rest > half || (rest == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    let (whole, part) = (q / scale, q % scale);
    let mut len = 0;
    // The integer digits (at least one), most significant first.
    let mut digits = [0u8; 10];
    let mut d = 0;
    let mut w = whole;
    loop {
        digits[d] = b'0' + (w % 10) as u8;
        d += 1;
        w /= 10;
        if w == 0 {
            break;
        }
    }
    while d > 0 {
        d -= 1;
        buf[len] = digits[d];
        len += 1;
    }
    if prec > 0 || alt {
        buf[len] = b'.';
        len += 1;
    }
    // The fraction's `prec` digits, leading zeros included.
    let mut p = part;
    for i in (0..prec).rev() {
        buf[len + i] = b'0' + (p % 10) as u8;
        p /= 10;
    }
    Some(len + prec)
}
// ANCHOR_END: short_fixed

/// `%f` of `a` (finite, not negative).
fn fixed(s: &mut String, a: f64, prec: usize, alt: bool) {
    let _ = write!(s, "{a:.prec$}");
    if prec == 0 && alt {
        s.push('.');
    }
}

/// `%e` of `a`: Rust's `{:e}` digits with C's exponent (sign, two digits
/// at least).
fn scientific(s: &mut String, a: f64, prec: usize, alt: bool, upper: bool) {
    let mut t = String::new();
    let _ = write!(t, "{a:.prec$e}");
    let (mant, exp) = t.split_once('e').unwrap_or((&t, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    s.push_str(mant);
    if prec == 0 && alt {
        s.push('.');
    }
    push_exp(s, exp, upper);
}

pub(crate) fn push_exp(s: &mut String, exp: i32, upper: bool) {
    s.push(if upper { 'E' } else { 'e' });
    s.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(s, "{:02}", exp.unsigned_abs());
}

// ANCHOR: general
/// `%g` of `a`.
fn general(s: &mut String, a: f64, prec: usize, alt: bool, upper: bool) {
    let p = prec.max(1);
    // The exponent X of the %e form with precision P-1 (after rounding).
    let x = if a == 0.0 {
        0
    } else {
        let mut t = String::new();
        let _ = write!(t, "{:.*e}", p - 1, a);
        t.split_once('e')
            .and_then(|(_, e)| e.parse::<i64>().ok())
            .unwrap_or(0)
    };
    if (p as i64) > x && x >= -4 {
        fixed(s, a, (p as i64 - 1 - x) as usize, alt);
        if !alt {
            trim_fraction(s);
        }
    } else {
        scientific(s, a, p - 1, alt, upper);
        if !alt {
            let e = s.find(['e', 'E']).unwrap_or(s.len());
            let exp = s.split_off(e);
            trim_fraction(s);
            s.push_str(&exp);
        }
    }
}
// ANCHOR_END: general

/// Removes trailing zeros of a fraction, and its point if nothing is left.
pub(crate) fn trim_fraction(s: &mut String) {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
}

/// `%a` of `a` without its `0x`: a normal double as `1.hhhp±d`, a
/// subnormal as `0.hhhp-1022` (glibc), rounded to nearest (ties to even)
/// when a precision cuts digits.
fn hex_float(s: &mut String, a: f64, prec: Option<usize>, alt: bool, upper: bool) {
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let mut frac = bits & ((1u64 << 52) - 1);
    let (mut lead, exp) = if biased == 0 {
        (0u64, if frac == 0 { 0 } else { -1022 })
    } else {
        (1u64, biased - 1023)
    };
    let digits_of: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let ndigits = match prec {
        Some(p) if p < 13 => {
            let drop = (13 - p) * 4;
            let keep = frac >> drop;
            let rest = frac & ((1u64 << drop) - 1);
            let half = 1u64 << (drop - 1);
            let mut keep2 = keep;
            if rest > half || rest == half && (keep & 1) == 1 {
                keep2 += 1;
            }
            if p == 0 {
                // The kept fraction is empty: rounding goes to the lead
                // digit.
                let r = frac;
                let h = 1u64 << 51;
                if r > h || r == h && (lead & 1) == 1 {
                    lead += 1;
                }
                frac = 0;
            } else {
                if keep2 >> (p * 4) != 0 {
                    lead += 1;
                    keep2 &= (1u64 << (p * 4)) - 1;
                }
                frac = keep2 << drop;
            }
            p
        }
        Some(p) => p,
        None => {
            if frac == 0 {
                0
            } else {
                13 - (frac.trailing_zeros() as usize / 4)
            }
        }
    };
    s.push(digits_of[lead as usize] as char);
    if ndigits > 0 || alt {
        s.push('.');
    }
    for k in 0..ndigits.min(13) {
        let d = (frac >> (48 - 4 * k)) & 0xf;
        s.push(digits_of[d as usize] as char);
    }
    for _ in 13..ndigits.max(13) {
        s.push('0');
    }
    s.push(if upper { 'P' } else { 'p' });
    s.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(s, "{}", exp.unsigned_abs());
}
