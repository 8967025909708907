//! (internal) `sscanf` against the host's glibc: fixed cases and seeded
//! random numeric strings (`VIBIX_SCANF_CASES` sets the count of the
//! random test; the `#[ignore]`d long test runs 300 000 unless told
//! otherwise). Compared: the return value, every stored value and `%n`.

use std::ffi::CString;
use std::format;
use std::string::String;
use std::vec::Vec;

use super::*;
use crate::stdio::printf::tests::{Rng, random_double};

/// What the first conversion stores into.
#[derive(Clone, Copy, Debug)]
enum K {
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    F80,
    Buf,
}

/// The stored values of one call, as comparable text.
fn run(ours: bool, input: &CString, fmt: &CString, k: K) -> String {
    let s = input.as_ptr();
    let f = fmt.as_ptr();
    let mut n: c_int = -7;
    let mut second: c_int = -9;
    macro_rules! go {
        ($p:expr) => {
            if ours {
                // SAFETY: the format names the pointers passed.
                unsafe { sscanf(s, f, $p, &raw mut n, &raw mut second) }
            } else {
                // SAFETY: as above.
                unsafe { libc::sscanf(s, f, $p, &raw mut n, &raw mut second) }
            }
        };
    }
    let (r, v) = match k {
        K::I8 => {
            let mut v: i8 = 55;
            (go!(&raw mut v), format!("{v}"))
        }
        K::I16 => {
            let mut v: i16 = 55;
            (go!(&raw mut v), format!("{v}"))
        }
        K::I32 => {
            let mut v: i32 = 55;
            (go!(&raw mut v), format!("{v}"))
        }
        K::I64 => {
            let mut v: i64 = 55;
            (go!(&raw mut v), format!("{v}"))
        }
        K::F32 => {
            let mut v: f32 = 55.0;
            (go!(&raw mut v), format!("{:#x}", v.to_bits()))
        }
        K::F64 => {
            let mut v: f64 = 55.0;
            (go!(&raw mut v), format!("{:#x}", v.to_bits()))
        }
        K::F80 => {
            let mut v = [0x55u8; 16];
            (go!(v.as_mut_ptr()), format!("{:02x?}", &v[..10]))
        }
        K::Buf => {
            let mut v = [b'#'; 40];
            (
                go!(v.as_mut_ptr()),
                format!("{:?}", String::from_utf8_lossy(&v)),
            )
        }
    };
    format!("ret {r} value {v} n {n} second {second}")
}

fn check(input: &str, fmt: &str, k: K) {
    let i = CString::new(input).unwrap();
    let f = CString::new(fmt).unwrap();
    assert_eq!(
        run(true, &i, &f, k),
        run(false, &i, &f, k),
        "sscanf({input:?}, {fmt:?})"
    );
}

const INPUTS: &[&str] = &[
    "",
    " ",
    "0",
    "42",
    "-42",
    "+7",
    "  123abc",
    "0x1f",
    "0X",
    "0xg",
    "077",
    "089",
    "-0x10",
    "99999999999999999999",
    "-99999999999999999999",
    "4294967295",
    "4294967296",
    "-1",
    "abc",
    "1.5",
    "-2.25e3",
    ".5",
    "5.",
    "1e",
    "1e+",
    "1e-400",
    "1e400",
    "inf",
    "-Infinity",
    "nan",
    "nan(123)",
    "NaN(",
    "0x1.8p1",
    "0x.8",
    "0x1p-1074",
    "0x1p-1075",
    "0x1.fffffffffffff8p1023",
    "infinite",
    "in",
    "12 34",
    "12,34",
    "  -",
    "+",
    "1.17549435e-38",
    "3.4028235e38",
    "0x1.fffffep127",
    "2.2250738585072011e-308",
];

#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn integers_match_glibc() {
    let fmts = [
        ("%hhd%n %d", K::I8),
        ("%hd%n %d", K::I16),
        ("%hhu%n %d", K::I8),
        ("%d%n %d", K::I32),
        ("%i%n %d", K::I32),
        ("%u%n %d", K::I32),
        ("%x%n %d", K::I32),
        ("%o%n %d", K::I32),
        ("%3d%n %d", K::I32),
        ("%1i%n %d", K::I32),
        ("%2x%n %d", K::I32),
        ("%ld%n %d", K::I64),
        ("%lu%n %d", K::I64),
        ("%lli%n %d", K::I64),
        ("%lx%n %d", K::I64),
        ("%jd%n %d", K::I64),
        ("%zu%n %d", K::I64),
        ("%*d%d%n", K::I32),
        ("%d,%n%d", K::I32),
        ("%p%n %d", K::I64),
    ];
    for (fmt, k) in fmts {
        for input in INPUTS {
            check(input, fmt, k);
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn floats_match_glibc() {
    let fmts = [
        ("%lf%n %d", K::F64),
        ("%le%n %d", K::F64),
        ("%lg%n %d", K::F64),
        ("%la%n %d", K::F64),
        ("%4lf%n %d", K::F64),
        ("%f%n %d", K::F32),
        ("%e%n %d", K::F32),
        ("%*f%d%n", K::I32),
    ];
    for (fmt, k) in fmts {
        for input in INPUTS {
            check(input, fmt, k);
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn strings_match_glibc() {
    let fmts = [
        "%s%n %d",
        "%3s%n %d",
        "%c%n %d",
        "%4c%n %d",
        "%[a-z]%n %d",
        "%[^,]%n %d",
        "%[]a]%n %d",
        "%[^]0-9]%n %d",
        "%5[0-9a-f]%n %d",
        " %c%n %d",
        "x%s%n %d",
        "%%%s%n %d",
    ];
    let inputs = [
        "",
        "abc",
        "  abc def",
        "ab,cd 5",
        "]]a9",
        "123 456",
        "%hi 3",
        "x y",
        "a",
    ];
    for fmt in fmts {
        for input in inputs {
            check(input, fmt, K::Buf);
        }
    }
}

/// Sets whose `-` is not a plain range (found by `c-stress-format`): a
/// reversed range ("c-a") is its three characters, a range ends where the
/// next one may start ("a-c-z", "b--y"), `]` or `-` first is a member,
/// and an unterminated set is a conversion error.
#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn scanset_ranges_match_glibc() {
    let fmts = [
        "%[c-a]%n %d",
        "%[b--y]%n %d",
        "%[a-c-z]%n %d",
        "%[^]-1bz]%n %d",
        "%[]-a]%n %d",
        "%[-a]%n %d",
        "%[a-]%n %d",
        "%[^-a]%n %d",
        "%[^^xyc-a]%n %d",
        "%[^0-9a-0b]%n %d",
        "%[cxa--]%n %d",
        "%[^]%n %d",
        "%[]%n %d",
        "%[abc%n %d",
        "%5[^]%n %d",
    ];
    let inputs = [
        "", "-", "b-a", "^x]y-b", "1]c1]-cx", "-  b", "c9za1", "a^ az", "]x", "`[_",
    ];
    for fmt in fmts {
        for input in inputs {
            check(input, fmt, K::Buf);
        }
    }
}

/// `0x` where the width ends just after the `x` (found by
/// `c-stress-format`): glibc reads the `0` and gives the `x` back.
#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn hex_prefix_at_the_width_matches_glibc() {
    let fmts = [
        ("%2lf%n %d", K::F64),
        ("%3lf%n %d", K::F64),
        ("%2f%n %d", K::F32),
        ("%3la%n %d", K::F64),
    ];
    let inputs = ["0x", "0xg", "0x.", "0x1p3", "-0x1", "+0X.p1", " 0x1", "0x"];
    for (fmt, k) in fmts {
        for input in inputs {
            check(input, fmt, k);
        }
    }
}

/// `long double`s whose digits run far past the decimal point and whose
/// exponent is far below the smallest (found by `c-stress-format`): the
/// value is the digits' magnitude, not the exponent's alone.
#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn long_doubles_with_many_digits_match_glibc() {
    let long_fraction = format!(
        "-460776098067.{}E-4856",
        "5524922798811037926957".repeat(17)
    );
    let inputs = [
        long_fraction.as_str(),
        "0.000000000000000000000000000000000000000000000000001e-4900",
        "123456789012345678901234567890e-4970",
        "1e-4951",
        "1e-4952",
        "3.6e-4951",
        "1.9e-4951",
        "1.8e-4951",
        "0.0000000000000000000000000000000000000001e4972",
        "1e4932",
        "1.2e4932",
    ];
    for input in inputs {
        check(input, "%Le%n %d", K::F80);
    }
}

fn random_input(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!("{:e}", random_double(r)),
        1 => format!("{}", random_double(r)),
        2 => format!("{}", r.next() as i64 >> r.below(64)),
        3 => {
            // A hexadecimal float, from its bits.
            // Subnormal results are left out: glibc 2.36's strtod rounds
            // some of them wrongly (see `hex_subnormals_round_correctly`).
            let x = random_double(r);
            let x = if x.abs() < 1e-290 { 1.0 + x } else { x };
            let bits = x.to_bits();
            let m = bits & ((1 << 52) - 1);
            let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
            let extra = r.below(4) * 4;
            format!(
                "{}0x1.{:013x}{}p{}",
                if x < 0.0 { "-" } else { "" },
                m,
                "8".repeat(r.below(2) as usize) + &"0".repeat(extra as usize / 4),
                (e - r.below(80) as i64).max(-1000)
            )
        }
        _ => {
            let alphabet = b"0123456789.eE+-xXpPabfinN \t";
            let n = r.below(12) as usize;
            (0..n).map(|_| *r.pick(alphabet) as char).collect()
        }
    }
}

/// Hexadecimal input that rounds to a subnormal is rounded correctly
/// (to nearest, ties to even, on the exact value), where glibc 2.36's
/// `strtod` drops a sticky bit (it gives 0 for the first, `...d2` for the
/// second): checked against exact rational arithmetic.
#[test]
fn hex_subnormals_round_correctly() {
    for (text, bits) in [
        ("0x1.00000000000008p-1075", 1u64),
        ("0x1.7f15a63a4034a8p-1024", 0x5fc5698e900d3),
        ("0x1p-1075", 0),
        ("0x1.8p-1074", 2),
        ("0x1.00000000000001p-1075", 1),
    ] {
        let mut x: f64 = -1.0;
        let t = CString::new(text).unwrap();
        // SAFETY: the format names a double.
        let r = unsafe { sscanf(t.as_ptr(), c"%lf".as_ptr(), &raw mut x) };
        assert_eq!((r, x.to_bits()), (1, bits), "{text}");
    }
}

fn random_cases(count: u64, seed: u64) {
    let mut r = Rng::new(seed);
    let fmts = [
        ("%lf%n %d", K::F64),
        ("%f%n %d", K::F32),
        ("%lg%n %d", K::F64),
        ("%ld%n %d", K::I64),
        ("%i%n %d", K::I32),
        ("%lx%n %d", K::I64),
        ("%5lf%n %d", K::F64),
        ("%hhu%n %d", K::I8),
    ];
    let mut failures = Vec::new();
    for _ in 0..count {
        let input = random_input(&mut r);
        let (fmt, k) = *r.pick(&fmts);
        let i = CString::new(input.clone()).unwrap();
        let f = CString::new(fmt).unwrap();
        let (a, b) = (run(true, &i, &f, k), run(false, &i, &f, k));
        if a != b && failures.len() < 20 {
            failures.push(format!("sscanf({input:?}, {fmt:?}): ours {a}, glibc {b}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn count(default: u64) -> u64 {
    std::env::var("VIBIX_SCANF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn random_numbers_match_glibc() {
    random_cases(count(20_000), 3);
}

#[test]
#[ignore = "long: 300 000 random strings (VIBIX_SCANF_CASES to change)"]
fn random_numbers_match_glibc_long() {
    random_cases(count(300_000), 4);
}

/// Positions (`%2$d`): the pointers in any order.
#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn positions_match_glibc() {
    let cases = [
        ("%3$d %1$d%2$n", K::I32),
        ("%1$d %3$d%2$n", K::I32),
        ("%3$d,%1$x%2$n", K::I32),
        ("%3$d %1$lf%2$n", K::F64),
        ("%3$d %1$s%2$n", K::Buf),
        ("%1$5c%2$n", K::Buf),
    ];
    for (fmt, k) in cases {
        for input in ["12 34", "7,ff rest", "1 2.5e3", "-4 word", "", "x"] {
            check(input, fmt, k);
        }
    }
}

/// `m` allocates: `%ms`, `%m[`, `%mc` against glibc's.
#[test]
#[cfg_attr(miri, ignore = "calls the host's sscanf")]
fn allocating_conversions_match_glibc() {
    for (input, fmt) in [
        ("hello world", "%ms%n"),
        ("hello world", "%3ms%n"),
        ("abc123", "%m[a-z]%n"),
        ("abc", "%2mc%n"),
        ("", "%ms%n"),
        ("123", "%m[a-z]%n"),
    ] {
        let i = CString::new(input).unwrap();
        let f = CString::new(fmt).unwrap();
        let mut results = Vec::new();
        for ours in [true, false] {
            let mut p: *mut c_char = core::ptr::null_mut();
            let mut n: c_int = -1;
            // SAFETY: the format names a char ** and an int *.
            let r = unsafe {
                if ours {
                    sscanf(i.as_ptr(), f.as_ptr(), &raw mut p, &raw mut n)
                } else {
                    libc::sscanf(i.as_ptr(), f.as_ptr(), &raw mut p, &raw mut n)
                }
            };
            let text = if p.is_null() {
                String::from("NULL")
            } else if fmt.contains('c') {
                // SAFETY: %2mc stored two bytes.
                let b = unsafe { core::slice::from_raw_parts(p.cast::<u8>(), 2) };
                String::from_utf8_lossy(b).into_owned()
            } else {
                // SAFETY: a NUL-terminated string was stored.
                unsafe { core::ffi::CStr::from_ptr(p) }
                    .to_string_lossy()
                    .into_owned()
            };
            // SAFETY: NULL or malloc'ed (ours through the host's malloc).
            unsafe { libc::free(p.cast()) };
            results.push(format!("{r} {text} {n}"));
        }
        assert_eq!(results[0], results[1], "sscanf({input:?}, {fmt:?})");
    }
}

/// Under Miri: the engine alone.
#[test]
fn engine_under_miri() {
    let mut a: c_int = 0;
    let mut x: f64 = 0.0;
    let mut word = [0u8; 8];
    // SAFETY: the format names an int, a double and a 8-byte buffer.
    let r = unsafe {
        sscanf(
            c" -12 0x1.8p1 word".as_ptr(),
            c"%d%lf%7s".as_ptr(),
            &raw mut a,
            &raw mut x,
            word.as_mut_ptr(),
        )
    };
    assert_eq!((r, a, x), (3, -12, 3.0));
    assert_eq!(&word[..5], b"word\0");
    // SAFETY: as above.
    let r = unsafe { sscanf(c"".as_ptr(), c"%d".as_ptr(), &raw mut a) };
    assert_eq!(r, -1);
}
