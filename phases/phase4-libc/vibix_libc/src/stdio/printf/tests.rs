//! (internal) The printf family against the host's glibc: fixed cases and
//! seeded pseudo-random formats and arguments, compared byte for byte
//! (`VIBIX_PRINTF_CASES` sets the count of the random test; the `#[ignore]`d
//! long test runs 500 000 unless told otherwise).

use std::ffi::CString;
use std::string::String;
use std::vec::Vec;
use std::{format, vec};

use super::*;

/// A seeded xorshift generator: the same cases every run.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// One argument.
#[derive(Clone, Copy, Debug)]
enum A {
    I(i32),
    L(i64),
    D(f64),
    S(*const c_char),
}

/// Calls `snprintf` (ours if `ours`) with up to three arguments.
fn call(ours: bool, buf: &mut [u8], fmt: &CString, args: &[A]) -> c_int {
    let b = buf.as_mut_ptr().cast::<c_char>();
    let n = buf.len();
    let f = fmt.as_ptr();
    macro_rules! go {
        ($($a:expr),*) => {
            if ours {
                // SAFETY: the arguments match the format the caller built.
                unsafe { snprintf(b, n, f $(, $a)*) }
            } else {
                // SAFETY: as above.
                unsafe { libc::snprintf(b, n, f $(, $a)*) }
            }
        };
    }
    macro_rules! one {
        ($($pre:expr),*; $a:expr) => {
            match $a {
                A::I(v) => go!($($pre,)* v),
                A::L(v) => go!($($pre,)* v),
                A::D(v) => go!($($pre,)* v),
                A::S(v) => go!($($pre,)* v),
            }
        };
    }
    match args {
        [] => go!(),
        [a] => one!(; *a),
        [A::I(w), a] => one!(*w; *a),
        [A::I(w), A::I(p), a] => one!(*w, *p; *a),
        _ => unreachable!("unsupported argument shape {args:?}"),
    }
}

/// Both results, as (return value, text).
fn both(fmt: &str, args: &[A]) -> ((c_int, Vec<u8>), (c_int, Vec<u8>)) {
    let cf = CString::new(fmt).unwrap();
    let mut mine = vec![0u8; 1200];
    let mut host = vec![0u8; 1200];
    let rm = call(true, &mut mine, &cf, args);
    let rh = call(false, &mut host, &cf, args);
    let end = |b: &[u8]| b.iter().position(|&c| c == 0).unwrap_or(b.len());
    let (em, eh) = (end(&mine), end(&host));
    mine.truncate(em);
    host.truncate(eh);
    ((rm, mine), (rh, host))
}

fn check(fmt: &str, args: &[A]) {
    let (m, h) = both(fmt, args);
    assert_eq!(
        (m.0, String::from_utf8_lossy(&m.1)),
        (h.0, String::from_utf8_lossy(&h.1)),
        "format {fmt:?} with {args:?}"
    );
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn integers() {
    for fmt in [
        "%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%.0d", "%8.3d", "%-+8.3d|", "%x",
        "%#x", "%#X", "%#o", "%o", "%#.0o", "%.0x", "%#08x", "%u", "%hhd", "%hd", "%hhu", "%hx",
        "%'d", "%i", "%+.0d",
    ] {
        for v in [
            0,
            1,
            -1,
            42,
            -42,
            255,
            256,
            65535,
            65536,
            i32::MAX,
            i32::MIN,
        ] {
            check(fmt, &[A::I(v)]);
        }
    }
    for fmt in [
        "%ld", "%lld", "%lu", "%lx", "%#lo", "%jd", "%zu", "%td", "%zd", "%+ld",
    ] {
        for v in [0, 1, -1, i64::MAX, i64::MIN, 1 << 40, -(1 << 33)] {
            check(fmt, &[A::L(v)]);
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn strings_chars_pointers_and_percent() {
    let s = c"hello";
    for fmt in [
        "%s", "%10s", "%-10s|", "%.2s", "%.0s", "%10.3s", "%%", "%5%", "[%c]", "%5c", "%-3c|",
    ] {
        if fmt.contains('c') {
            check(fmt, &[A::I(b'x' as i32)]);
        } else if fmt.contains('s') {
            check(fmt, &[A::S(s.as_ptr())]);
        } else {
            check(fmt, &[]);
        }
    }
    let wide: [i32; 4] = [b'w' as i32, b'i' as i32, b'd' as i32, 0];
    for fmt in ["%ls", "%S", "%.2ls", "%6ls|"] {
        check(fmt, &[A::S(wide.as_ptr().cast())]);
    }
    for fmt in ["%lc", "%C", "%3lc"] {
        check(fmt, &[A::I(b'q' as i32)]);
        check(fmt, &[A::I(0xe9)]);
    }
    for fmt in ["%s", "%.3s", "%.6s", "%10s", "%-8s|"] {
        check(fmt, &[A::S(core::ptr::null())]);
    }
    for fmt in ["%p", "%20p", "%-20p|", "%+p", "% p", "%#p", "%020p"] {
        check(fmt, &[A::S(core::ptr::null())]);
        check(fmt, &[A::S(0x1234abcd_usize as *const c_char)]);
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn star_width_and_precision() {
    for (w, p) in [(5, 2), (-5, 2), (0, 0), (3, -1), (12, 6), (-1, 0)] {
        check("%*.*d|", &[A::I(w), A::I(p), A::I(42)]);
        check("%*.*f|", &[A::I(w), A::I(p), A::D(3.25)]);
        check("%*.*s|", &[A::I(w), A::I(p), A::S(c"abcdef".as_ptr())]);
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn floats_fixed_cases() {
    let values = [
        0.0,
        -0.0,
        1.0,
        -1.5,
        0.5,
        1.5,
        2.5,
        0.125,
        0.1,
        1e-5,
        123456.789,
        1e21,
        1e300,
        1.7976931348623157e308,
        5e-324,
        2.2250738585072014e-308,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        0.000123456,
        9.9999999,
        99999.5,
        0.00001,
    ];
    let fmts = [
        "%f", "%.0f", "%.1f", "%.60f", "%#.0f", "%e", "%.0e", "%#.0e", "%.3E", "%g", "%G", "%.0g",
        "%#g", "%.10g", "%a", "%A", "%.0a", "%.1a", "%.3a", "%#a", "%.20a", "%+f", "% e", "%012f",
        "%-12g|", "%012a", "%+012e", "%08f", "%F", "%12.4G", "%.17g", "%#.3g", "%.1000f",
    ];
    for fmt in fmts {
        for v in values {
            check(fmt, &[A::D(v)]);
        }
    }
}

/// `%f` below 1e9 with at most 9 decimals (the engine's integer path):
/// ties of every precision (odd and even last digits), values a hair
/// either side of a rounding boundary, carries into a new integer digit,
/// the edges of the path (just below 1e9, 9 and 10 decimals), subnormals
/// and values far below one unit of the last place, with flags and widths.
#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn short_fixed_matches_glibc() {
    let mut values = vec![
        0.0,
        -0.0,
        0.5,
        1.5,
        2.5,
        0.125,
        0.375,
        0.0625,
        0.05,
        0.15,
        0.25,
        0.35,
        1.0005,
        2.0005,
        0.9995,
        9.9995,
        99.9995,
        0.45,
        5e-10,
        4.9e-10,
        5e-324,
        1e-300,
        2.2250738585072014e-308,
        999999999.5,
        999999999.4999999,
        999999999.9999999,
        999999998.5,
        123_456_789.123_456_79,
        0.1,
        0.2,
        0.3,
        1e-9,
        1.5e-9,
        2.5e-9,
        0.999999999,
        0.9999999995,
        1e9,
        1e9 - 1.0,
    ];
    let mut r = Rng::new(0x5f1d);
    for _ in 0..3000 {
        // Ties: k / 2^j is exact, and at j decimals or fewer it sits on or
        // near a half of the last place.
        let j = r.below(12) as i32;
        let k = r.below(1 << 40) as f64;
        let v = k / 2f64.powi(j) / 10f64.powi(r.below(4) as i32);
        values.push(v % 1e9);
        // Neighbours of decimal boundaries.
        let b = (r.below(1_000_000_000) as f64) / 10f64.powi(r.below(10) as i32);
        values.push(b.next_up());
        values.push(b.next_down());
        values.push(-(r.below(1 << 30) as f64 + 0.5));
    }
    for v in values {
        for prec in 0..=10 {
            check(&format!("%.{prec}f"), &[A::D(v)]);
        }
        for fmt in [
            "%f", "%#.0f", "%+.3f", "% .2f", "%012.3f", "%-12.1f|", "%5.0f", "%F",
        ] {
            check(fmt, &[A::D(v)]);
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn n_and_m_and_positional() {
    let cf = CString::new("ab%ncd%hhn").unwrap();
    let mut buf = [0u8; 16];
    let mut n1: c_int = -1;
    let mut n2: i8 = -1;
    // SAFETY: the format names an int* and a signed char*.
    let r = unsafe {
        snprintf(
            buf.as_mut_ptr().cast(),
            16,
            cf.as_ptr(),
            &raw mut n1,
            &raw mut n2,
        )
    };
    assert_eq!((r, n1, n2), (4, 2, 4));

    for e in [0, 2, 13, 22, 131, 9999, -3] {
        set_errno(e);
        let mut mine = [0u8; 64];
        let mut host = [0u8; 64];
        // SAFETY: `%m` takes no argument.
        let rm = unsafe { snprintf(mine.as_mut_ptr().cast(), 64, c"[%m] [%.5m]".as_ptr()) };
        // SAFETY: as above; the host's errno is set for its call.
        let rh = unsafe {
            *libc::__errno_location() = e;
            libc::snprintf(host.as_mut_ptr().cast(), 64, c"[%m] [%.5m]".as_ptr())
        };
        assert_eq!((rm, mine), (rh, host), "errno {e}");
    }

    let mut mine = [0u8; 64];
    let mut host = [0u8; 64];
    let f = c"%2$s %1$d %3$.*4$f %2$s";
    // SAFETY: the positions name an int, a string, a double and an int.
    let rm = unsafe {
        snprintf(
            mine.as_mut_ptr().cast(),
            64,
            f.as_ptr(),
            7,
            c"x".as_ptr(),
            1.25f64,
            3,
        )
    };
    // SAFETY: as above.
    let rh = unsafe {
        libc::snprintf(
            host.as_mut_ptr().cast(),
            64,
            f.as_ptr(),
            7,
            c"x".as_ptr(),
            1.25f64,
            3,
        )
    };
    assert_eq!((rm, mine), (rh, host));
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn truncation_and_return_value() {
    for size in [0usize, 1, 2, 5, 6, 100] {
        let mut mine = [0xaau8; 8];
        let mut host = [0xaau8; 8];
        let size = size.min(8);
        // SAFETY: the buffers hold 8 bytes, `size` at most.
        let rm = unsafe {
            snprintf(
                mine.as_mut_ptr().cast(),
                size,
                c"%s-%d".as_ptr(),
                c"abc".as_ptr(),
                12,
            )
        };
        // SAFETY: as above.
        let rh = unsafe {
            libc::snprintf(
                host.as_mut_ptr().cast(),
                size,
                c"%s-%d".as_ptr(),
                c"abc".as_ptr(),
                12,
            )
        };
        assert_eq!((rm, mine), (rh, host), "size {size}");
    }
    // NULL buffer of size 0: the length only.
    // SAFETY: size 0 writes nothing.
    let n = unsafe { snprintf(core::ptr::null_mut(), 0, c"%d".as_ptr(), 12345) };
    assert_eq!(n, 5);
    // asprintf.
    let mut out: *mut c_char = core::ptr::null_mut();
    // SAFETY: `out` is writable; the format names an int.
    let r = unsafe { asprintf(&raw mut out, c"<%05d>".as_ptr(), -42) };
    assert_eq!(r, 7);
    // SAFETY: asprintf returned a malloc'ed string.
    unsafe {
        assert_eq!(core::ffi::CStr::from_ptr(out).to_bytes(), b"<-0042>");
        libc::free(out.cast());
    }
}

/// A random double: random bits, or a value built to hit ties, round
/// numbers, subnormals and specials.
pub(crate) fn random_double(r: &mut Rng) -> f64 {
    match r.below(8) {
        0 | 1 => f64::from_bits(r.next()),
        2 => (r.below(2_000_001) as f64 - 1_000_000.0) / (1u64 << r.below(12)) as f64,
        3 => (r.next() as i64 as f64) * 10f64.powi(r.below(40) as i32 - 20),
        4 => f64::from_bits(r.below(1 << 53)),
        5 => *r.pick(&[
            0.0,
            -0.0,
            f64::INFINITY,
            -f64::INFINITY,
            f64::NAN,
            0.5,
            1.5,
            2.5,
            1e15,
            1e16,
            1e22,
            1e23,
        ]),
        6 => 10f64.powi(r.below(600) as i32 - 300) * if r.below(2) == 0 { 1.0 } else { -1.0 },
        _ => (r.below(100_000) as f64) + 0.5,
    }
}

fn random_case(r: &mut Rng) -> (String, Vec<A>) {
    let mut fmt = String::from("%");
    for flag in ["-", "+", " ", "#", "0"] {
        if r.below(5) == 0 {
            fmt.push_str(flag);
        }
    }
    let mut args = Vec::new();
    match r.below(6) {
        0 => fmt.push_str(&format!("{}", r.below(40))),
        1 => {
            fmt.push('*');
            args.push(A::I(r.below(60) as i32 - 30));
        }
        _ => {}
    }
    match r.below(6) {
        0 => fmt.push_str(&format!(".{}", r.below(25))),
        1 => {
            fmt.push_str(".*");
            args.push(A::I(r.below(40) as i32 - 5));
        }
        2 => fmt.push_str(&format!(".{}", r.below(120))),
        3 => fmt.push('.'),
        _ => {}
    }
    let kinds: &[u8] = b"diouxXeEfFgGaAcs";
    let conv = *r.pick(kinds);
    match conv {
        b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
            let len = *r.pick(&["", "hh", "h", "l", "ll", "j", "z", "t"]);
            fmt.push_str(len);
            let v = match r.below(4) {
                0 => r.next() as i64,
                1 => r.below(1000) as i64 - 500,
                2 => *r.pick(&[
                    0,
                    1,
                    -1,
                    i64::MAX,
                    i64::MIN,
                    i32::MAX as i64,
                    i32::MIN as i64,
                ]),
                _ => (r.next() as i64) >> r.below(64),
            };
            if matches!(len, "" | "hh" | "h") {
                args.push(A::I(v as i32));
            } else {
                args.push(A::L(v));
            }
        }
        b'c' => args.push(A::I(r.below(95) as i32 + 32)),
        b's' => {
            let strs = [c"", c"a", c"hello world", c"0123456789abcdef0123"];
            args.push(A::S(r.pick(&strs).as_ptr()));
        }
        _ => args.push(A::D(random_double(r))),
    }
    fmt.push(conv as char);
    if r.below(3) == 0 {
        fmt.insert(0, '<');
        fmt.push('>');
    }
    (fmt, args)
}

/// A positional format over three arguments (two ints, then one of any
/// type), naming them in a random order, some twice, some as `*m$`.
fn random_positional(r: &mut Rng) -> (String, Vec<A>) {
    let (one, mut args) = random_case(r);
    // Keep the conversion of a case without `*` as argument 3.
    let conv_at = one.rfind(|c: char| c.is_ascii_alphabetic()).unwrap();
    let star = one.contains('*');
    let last = if star { A::I(5) } else { *args.last().unwrap() };
    let pct = one.find('%').unwrap();
    let conv = if star {
        String::from("d")
    } else {
        String::from(&one[pct + 1..=conv_at])
    };
    args = vec![
        A::I(r.below(30) as i32 - 10),
        A::I(r.below(12) as i32 - 2),
        last,
    ];
    let mut fmt = String::new();
    for _ in 0..1 + r.below(4) {
        match r.below(4) {
            0 => fmt.push_str("[%1$d]"),
            1 => fmt.push_str("[%2$x]"),
            2 => fmt.push_str(&format!("[%3${conv}]")),
            _ => {
                let c = conv.trim_start_matches(|c: char| {
                    "-+ #0".contains(c) || c.is_ascii_digit() || c == '.'
                });
                fmt.push_str(&format!("[%3$*1$.*2${c}]"));
            }
        }
    }
    if !fmt.contains("%3$") {
        fmt.push_str(&format!("%3${conv}"));
    }
    (fmt, args)
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn random_positional_formats_match_glibc() {
    let mut r = Rng::new(5);
    let mut failures = Vec::new();
    for _ in 0..count(20_000) / 4 {
        let (fmt, args) = random_positional(&mut r);
        let (m, h) = both(&fmt, &args);
        if m != h && failures.len() < 20 {
            failures.push(format!(
                "{fmt:?} {args:?}: ours {} {:?}, glibc {} {:?}",
                m.0,
                String::from_utf8_lossy(&m.1),
                h.0,
                String::from_utf8_lossy(&h.1)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn random_cases(count: u64, seed: u64) {
    let mut r = Rng::new(seed);
    let mut failures = Vec::new();
    for _ in 0..count {
        let (fmt, args) = random_case(&mut r);
        let (m, h) = both(&fmt, &args);
        if m != h && failures.len() < 20 {
            failures.push(format!(
                "{fmt:?} {args:?}: ours {} {:?}, glibc {} {:?}",
                m.0,
                String::from_utf8_lossy(&m.1),
                h.0,
                String::from_utf8_lossy(&h.1)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn count(default: u64) -> u64 {
    std::env::var("VIBIX_PRINTF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's snprintf")]
fn random_formats_match_glibc() {
    random_cases(count(20_000), 1);
}

#[test]
#[ignore = "long: 500 000 random formats (VIBIX_PRINTF_CASES to change)"]
fn random_formats_match_glibc_long() {
    random_cases(count(500_000), 2);
}

/// Under Miri: a few formats through the engine (no host call).
#[test]
fn engine_under_miri() {
    let mut buf = [0u8; 64];
    // SAFETY: the format names an int, a double and a string.
    let n = unsafe {
        snprintf(
            buf.as_mut_ptr().cast(),
            64,
            c"%05d|%.3e|%-4s|%a".as_ptr(),
            -42,
            1234.5f64,
            c"ab".as_ptr(),
            1.0f64,
        )
    };
    let expect = b"-0042|1.234e+03|ab  |0x1p+0";
    assert_eq!(n as usize, expect.len());
    assert_eq!(&buf[..expect.len()], expect);
}

/// The integer `%f` path under Miri (no host `snprintf` there): the same
/// digits as `core::fmt`'s exact general path, which the glibc comparison
/// above pins down.
#[test]
fn short_fixed_under_miri() {
    for v in [
        0.125,
        2.5,
        0.0625,
        1.0005,
        999_999_999.5,
        5e-324,
        0.37 * 7.0,
        123.456_5,
    ] {
        for prec in [0usize, 1, 2, 3, 9] {
            let mut buf = [0u8; 64];
            // SAFETY: the format names an int (the precision) and a double.
            let n = unsafe {
                snprintf(
                    buf.as_mut_ptr().cast(),
                    64,
                    c"%.*f".as_ptr(),
                    prec as c_int,
                    v,
                )
            };
            let expect = format!("{v:.prec$}");
            assert_eq!(&buf[..n as usize], expect.as_bytes(), "%.{prec}f of {v}");
        }
    }
}
