//! `<time.h>`: `strftime`, with every conversion glibc has in the C locale
//! and its flags (`_` pad with spaces, `-` do not pad, `0` pad with zeros,
//! `^` upper case, `#` swap case), field widths and the `E`/`O`
//! modifiers (which change nothing in the C locale), byte for byte as
//! glibc 2.36 writes them, odd corners included (a malformed conversion is
//! copied as it is).

use super::asctime::{DAYS, MONTHS};
use super::calendar::{mktime_value, tm};
use crate::types::{c_char, c_int, size_t};

const FULL_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const FULL_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Where the text goes: `buf` (the caller's `max` bytes, the NUL
/// included), `len` bytes of it written so far.
struct Out<'a> {
    buf: &'a mut [u8],
    len: usize,
}

/// The result did not fit.
struct Full;

/// One conversion's flags.
#[derive(Clone, Copy)]
struct Spec {
    /// `_`, `-`, `0`, or 0 for none.
    pad: u8,
    width: usize,
    upper: bool,
    lower: bool,
}

impl Out<'_> {
    /// Adds `n` bytes made by `write`, right-aligned in `spec.width`
    /// columns (zeros if the pad is `0`, else spaces): glibc's `add`.
    fn add(&mut self, spec: &Spec, n: usize, write: impl FnOnce(&mut [u8])) -> Result<(), Full> {
        let delta = spec.width.saturating_sub(n);
        let incr = n + delta;
        if incr >= self.buf.len() - self.len {
            return Err(Full);
        }
        let fill = if spec.pad == b'0' { b'0' } else { b' ' };
        self.buf[self.len..self.len + delta].fill(fill);
        self.len += delta;
        write(&mut self.buf[self.len..self.len + n]);
        self.len += n;
        Ok(())
    }

    /// Adds `s` with the case the flags ask for.
    fn text(&mut self, spec: &Spec, s: &[u8]) -> Result<(), Full> {
        self.add(spec, s.len(), |out| {
            for (o, &b) in out.iter_mut().zip(s) {
                *o = if spec.lower {
                    b.to_ascii_lowercase()
                } else if spec.upper {
                    b.to_ascii_uppercase()
                } else {
                    b
                };
            }
        })
    }

    /// Adds `value` with at least `digits` digits, as glibc's `DO_NUMBER`:
    /// the default pad is `0`; the width is at least `digits` unless the
    /// pad is `-`; a sign goes before zeros, after spaces.
    fn number(&mut self, spec: &Spec, digits: usize, value: i64) -> Result<(), Full> {
        let mut spec = *spec;
        if spec.pad == 0 {
            spec.pad = b'0';
        }
        if spec.pad != b'-' {
            spec.width = spec.width.max(digits);
        }
        let mut buf = [0u8; 24];
        let mut at = buf.len();
        let mut u = value.unsigned_abs();
        loop {
            at -= 1;
            buf[at] = b'0' + (u % 10) as u8;
            u /= 10;
            if u == 0 {
                break;
            }
        }
        let digits_len = buf.len() - at;
        if value < 0 {
            let shortage = spec.width.saturating_sub(1 + digits_len);
            if spec.pad != b'0' && shortage > 0 {
                if shortage >= self.buf.len() - self.len {
                    return Err(Full);
                }
                self.buf[self.len..self.len + shortage].fill(b' ');
                self.len += shortage;
                spec.width -= shortage;
            }
            let bare = Spec { width: 0, ..spec };
            self.add(&bare, 1, |o| o[0] = b'-')?;
            spec.width = spec.width.saturating_sub(1);
        }
        let s = &buf[at..];
        self.add(&spec, s.len(), |out| out.copy_from_slice(s))
    }
}

fn is_leap(year: c_int) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days from the start of the ISO week-numbering year (its first Monday)
/// to day `yday` of the week day `wday`; negative if before it.
fn iso_week_days(yday: c_int, wday: c_int) -> c_int {
    // A multiple of 7 large enough to keep the `%` operand non-negative.
    let big = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + big) % 7 + 4 - 1
}

/// The ISO year and the days into its first week of `t`.
fn iso_year(t: &tm) -> (c_int, c_int) {
    let mut year = t.tm_year.wrapping_add(1900);
    let mut days = iso_week_days(t.tm_yday, t.tm_wday);
    if days < 0 {
        year = year.wrapping_sub(1);
        days = iso_week_days(t.tm_yday + 365 + c_int::from(is_leap(year)), t.tm_wday);
    } else {
        let d = iso_week_days(t.tm_yday - (365 + c_int::from(is_leap(year))), t.tm_wday);
        if d >= 0 {
            year = year.wrapping_add(1);
            days = d;
        }
    }
    (year, days)
}

/// Formats `fmt` for `t` into `out`; `upper_all`: names in upper case (a
/// subformat of a `^` conversion).
fn format(out: &mut Out<'_>, fmt: &[u8], t: &tm, upper_all: bool) -> Result<(), Full> {
    let plain = Spec {
        pad: 0,
        width: 0,
        upper: upper_all,
        lower: false,
    };
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.text(&plain, &fmt[i..=i])?;
            i += 1;
            continue;
        }
        let start = i;
        let mut spec = Spec {
            pad: 0,
            width: 0,
            upper: upper_all,
            lower: false,
        };
        let mut change_case = false;
        i += 1;
        while i < fmt.len() {
            match fmt[i] {
                b'_' | b'-' | b'0' => spec.pad = fmt[i],
                b'^' => spec.upper = true,
                b'#' => change_case = true,
                _ => break,
            }
            i += 1;
        }
        while i < fmt.len() && fmt[i].is_ascii_digit() {
            spec.width = spec
                .width
                .saturating_mul(10)
                .saturating_add(usize::from(fmt[i] - b'0'))
                .min(c_int::MAX as usize);
            i += 1;
        }
        let modifier = match fmt.get(i) {
            Some(&m @ (b'E' | b'O')) => {
                i += 1;
                m
            }
            _ => 0,
        };
        let conv = fmt.get(i).copied().unwrap_or(0);
        let end = if conv == 0 { i } else { i + 1 };
        i = end;
        // The case flags take effect before a bad modifier is noticed.
        match conv {
            b'b' | b'h' | b'B' if change_case => spec.upper = true,
            b'p' | b'P' if change_case || conv == b'P' => spec.lower = true,
            b'Z' if change_case => {
                spec.lower = true;
                spec.upper = false;
            }
            _ => {}
        }
        // Which conversions glibc accepts an `E` or `O` modifier on.
        let bad = match modifier {
            b'E' => !b"CcPpRrsTtuXxYyzZn%".contains(&conv),
            b'O' => !b"BCGHIMPRSTUVWZbdeghjklmnprstuwyz%".contains(&conv),
            _ => false,
        };
        if bad {
            out.text(&spec, &fmt[start..end])?;
            continue;
        }
        let hour12 = if t.tm_hour > 12 {
            t.tm_hour - 12
        } else if t.tm_hour == 0 {
            12
        } else {
            t.tm_hour
        };
        let year = t.tm_year.wrapping_add(1900);
        let name = |names: &[&'static str], i: c_int| -> &'static [u8] {
            usize::try_from(i)
                .ok()
                .and_then(|i| names.get(i))
                .map_or(b"?", |s| s.as_bytes())
        };
        let short = |names: &[&'static [u8; 3]], i: c_int| -> &'static [u8] {
            usize::try_from(i)
                .ok()
                .and_then(|i| names.get(i))
                .map_or(b"?", |s| &s[..])
        };
        let sub = |out: &mut Out<'_>, spec: &Spec, f: &[u8]| -> Result<(), Full> {
            let mut room = [0u8; 128];
            let mut tmp = Out {
                buf: &mut room,
                len: 0,
            };
            format(&mut tmp, f, t, spec.upper)?;
            let len = tmp.len;
            out.add(spec, len, |o| o.copy_from_slice(&room[..len]))
        };
        match conv {
            b'a' | b'A' | b'b' | b'h' | b'B' => {
                if change_case {
                    spec.upper = true;
                }
                let s = match conv {
                    b'a' => short(&DAYS, t.tm_wday),
                    b'A' => name(&FULL_DAYS, t.tm_wday),
                    b'B' => name(&FULL_MONTHS, t.tm_mon),
                    _ => short(&MONTHS, t.tm_mon),
                };
                out.text(&spec, s)?;
            }
            b'p' | b'P' => {
                out.text(&spec, if t.tm_hour > 11 { b"PM" } else { b"AM" })?;
            }
            b'Z' => {
                let zone: &[u8] = if t.tm_zone.is_null() {
                    b""
                } else {
                    // SAFETY: `tm_zone` is a NUL-terminated string (the
                    // caller's contract of `strftime`).
                    unsafe { core::ffi::CStr::from_ptr(t.tm_zone) }.to_bytes()
                };
                // No zone: the local zone's name (`tzname`), unless it is
                // not known whether daylight-saving time is in effect.
                let zone = match (zone, t.tm_isdst >= 0) {
                    (b"", true) => b"UTC",
                    (zone, _) => zone,
                };
                out.text(&spec, zone)?;
            }
            b'c' => sub(out, &spec, b"%a %b %e %H:%M:%S %Y")?,
            b'D' | b'x' => sub(out, &spec, b"%m/%d/%y")?,
            b'F' => sub(out, &spec, b"%Y-%m-%d")?,
            b'r' => sub(out, &spec, b"%I:%M:%S %p")?,
            b'R' => sub(out, &spec, b"%H:%M")?,
            b'T' | b'X' => sub(out, &spec, b"%H:%M:%S")?,
            b'C' => {
                let c = year / 100 - c_int::from(year % 100 < 0);
                out.number(&spec, 1, c.into())?;
            }
            b'y' => out.number(&spec, 2, ((t.tm_year % 100 + 100) % 100).into())?,
            b'Y' => out.number(&spec, 1, year.into())?,
            b'd' => out.number(&spec, 2, t.tm_mday.into())?,
            b'H' => out.number(&spec, 2, t.tm_hour.into())?,
            b'I' => out.number(&spec, 2, hour12.into())?,
            b'j' => out.number(&spec, 3, (t.tm_yday.wrapping_add(1)).into())?,
            b'm' => out.number(&spec, 2, (t.tm_mon.wrapping_add(1)).into())?,
            b'M' => out.number(&spec, 2, t.tm_min.into())?,
            b'S' => out.number(&spec, 2, t.tm_sec.into())?,
            b'e' | b'k' | b'l' => {
                if spec.pad != b'0' && spec.pad != b'-' {
                    spec.pad = b'_';
                }
                let v = if conv == b'l' {
                    hour12
                } else if conv == b'e' {
                    t.tm_mday
                } else {
                    t.tm_hour
                };
                out.number(&spec, 2, v.into())?;
            }
            b'u' => out.number(&spec, 1, ((t.tm_wday - 1 + 7) % 7 + 1).into())?,
            b'w' => out.number(&spec, 1, t.tm_wday.into())?,
            b'U' => out.number(&spec, 2, ((t.tm_yday - t.tm_wday + 7) / 7).into())?,
            b'W' => out.number(
                &spec,
                2,
                ((t.tm_yday - (t.tm_wday - 1 + 7) % 7 + 7) / 7).into(),
            )?,
            b'V' | b'g' | b'G' => {
                let (y, days) = iso_year(t);
                match conv {
                    b'g' => out.number(&spec, 2, ((y % 100 + 100) % 100).into())?,
                    b'G' => out.number(&spec, 1, y.into())?,
                    _ => out.number(&spec, 2, (days / 7 + 1).into())?,
                }
            }
            b's' => {
                // The number with its sign, padded like text.
                let v = mktime_value(t);
                let mut buf = [0u8; 24];
                let mut at = buf.len();
                let mut u = v.unsigned_abs();
                loop {
                    at -= 1;
                    buf[at] = b'0' + (u % 10) as u8;
                    u /= 10;
                    if u == 0 {
                        break;
                    }
                }
                if v < 0 {
                    at -= 1;
                    buf[at] = b'-';
                }
                let s = &buf[at..];
                out.add(&spec, s.len(), |o| o.copy_from_slice(s))?;
            }
            // Nothing when it is not known whether daylight-saving time is
            // in effect.
            b'z' if t.tm_isdst < 0 => {}
            b'z' => {
                let mut diff = t.tm_gmtoff;
                let sign: &[u8] = if diff < 0 { b"-" } else { b"+" };
                out.text(&spec, sign)?;
                diff = diff.abs() / 60;
                out.number(&spec, 4, (diff / 60) * 100 + diff % 60)?;
            }
            b'n' => out.text(&spec, b"\n")?,
            b't' => out.text(&spec, b"\t")?,
            b'%' => out.text(&spec, b"%")?,
            _ => out.text(&spec, &fmt[start..end])?,
        }
    }
    Ok(())
}

/// Formats `*t` as `format` says into `s` (`max` bytes, the NUL
/// included); returns the length without the NUL, or 0 if it did not fit.
///
/// # Safety
///
/// `s` must be valid for `max` bytes, `format` a NUL-terminated string,
/// `t` point to a `tm` whose `tm_zone` is NULL or a string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strftime(
    s: *mut c_char,
    max: size_t,
    format: *const c_char,
    t: *const tm,
) -> size_t {
    if max == 0 {
        return 0;
    }
    // SAFETY: the caller's contract.
    let (out, fmt, t) = unsafe {
        (
            core::slice::from_raw_parts_mut(s.cast::<u8>(), max),
            core::ffi::CStr::from_ptr(format).to_bytes(),
            &*t,
        )
    };
    let mut o = Out { buf: out, len: 0 };
    match self::format(&mut o, fmt, t, false) {
        Ok(()) => {
            let len = o.len;
            o.buf[len] = 0;
            len
        }
        Err(Full) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::calendar::tests::{Rng, to_host};
    use crate::time::calendar::{days_from_civil, gmtime_r};
    use std::vec::Vec;

    fn ours(f: &[u8], t: &tm, max: usize) -> (usize, Vec<u8>) {
        let mut fmt = f.to_vec();
        fmt.push(0);
        let mut buf = std::vec![0x55u8; max];
        // SAFETY: valid buffers.
        let n = unsafe { strftime(buf.as_mut_ptr().cast(), max, fmt.as_ptr().cast(), t) };
        (
            n,
            if n > 0 || f.is_empty() {
                buf[..n].to_vec()
            } else {
                Vec::new()
            },
        )
    }

    #[cfg(not(miri))]
    fn host(f: &[u8], t: &tm, max: usize) -> (usize, Vec<u8>) {
        let mut fmt = f.to_vec();
        fmt.push(0);
        let mut buf = std::vec![0x55u8; max];
        let h = to_host(t);
        // SAFETY: valid buffers.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), max, fmt.as_ptr().cast(), &h) };
        (
            n,
            if n > 0 || f.is_empty() {
                buf[..n].to_vec()
            } else {
                Vec::new()
            },
        )
    }

    #[cfg(not(miri))]
    fn same(f: &[u8], t: &tm, max: usize) {
        assert_eq!(
            ours(f, t, max),
            host(f, t, max),
            "{:?} {t:?} {max}",
            core::str::from_utf8(f)
        );
    }

    /// Every conversion, with every flag and some widths.
    fn formats() -> Vec<Vec<u8>> {
        let mut all = Vec::new();
        let convs = b"aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%Q+";
        for &c in convs {
            for flags in ["", "_", "-", "0", "^", "#", "^#", "_^", "0#", "-#"] {
                for width in ["", "1", "3", "12"] {
                    for m in ["", "E", "O"] {
                        all.push(std::format!("%{flags}{width}{m}{}", c as char).into_bytes());
                    }
                }
            }
        }
        all.push(b"%".to_vec());
        all.push(b"abc%".to_vec());
        all.push(b"%5".to_vec());
        all.push(b"x%-_0y".to_vec());
        all.push(b"%c | %x | %X | %D | %T | %F | %r | %R".to_vec());
        all
    }

    #[test]
    #[cfg_attr(miri, ignore = "the host's C library")]
    fn every_conversion_like_the_host() {
        #[cfg(not(miri))]
        {
            let fs = formats();
            let mut rng = Rng(99);
            let mut times = Vec::new();
            for _ in 0..60 {
                let secs = days_from_civil(1900, 1, 1) * 86_400
                    + (rng.next() % (201 * 366 * 86_400)) as i64;
                let mut t = tm::ZERO;
                // SAFETY: valid pointers.
                unsafe { gmtime_r(&secs, &mut t) };
                t.tm_gmtoff = (rng.next() % 100_000) as i64 - 50_000;
                times.push(t);
            }
            let odd = tm {
                tm_sec: -3,
                tm_min: 77,
                tm_hour: -1,
                tm_mday: -3,
                tm_mon: -5,
                tm_year: -1901,
                tm_wday: 9,
                tm_yday: -7,
                tm_isdst: 0,
                tm_gmtoff: -19_800,
                tm_zone: c"GMT".as_ptr(),
            };
            times.push(odd);
            for (y, h) in [
                (-2000, 0),
                (-1900, 12),
                (-1999, 13),
                (20_000, 23),
                (105, 24),
                (5 - 1900, 11),
            ] {
                times.push(tm {
                    tm_year: y,
                    tm_hour: h,
                    ..odd
                });
            }
            times.push(tm::ZERO);
            times.push(tm {
                tm_isdst: -1,
                ..tm::ZERO
            });
            // An empty zone name: `%Z` is then the local zone's name. On
            // vibix that is UTC; glibc's answer depends on the host's zone
            // and on whether `tzset` ran yet in this process, so it is no
            // oracle here.
            let no_zone = tm {
                tm_zone: c"".as_ptr(),
                ..tm::ZERO
            };
            assert_eq!(ours(b"%Z", &no_zone, 100), (3, b"UTC".to_vec()));
            assert_eq!(ours(b"%_6Z", &no_zone, 100), (6, b"   UTC".to_vec()));
            times.push(tm {
                tm_year: c_int::MAX,
                tm_mday: 1,
                ..tm::ZERO
            });
            for t in &times {
                for f in &fs {
                    same(f, t, 100);
                }
            }
            // Results that just fit, or do not.
            let t = times[0];
            for f in [
                &b"%c"[..],
                b"%Y",
                b"%10a",
                b"%_10d",
                b"%010d",
                b"%z",
                b"%-7z",
                b"ab%%",
            ] {
                for max in 0..30 {
                    same(f, &t, max);
                }
            }
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "the host's C library")]
    fn every_day_like_the_host() {
        #[cfg(not(miri))]
        {
            let mut rng = Rng(5);
            let f = b"%a %A %b %B %C %d %e %G %g %j %m %u %U %V %w %W %y %Y %s %H %I %k %l %M %S %p %z %Z";
            let start = days_from_civil(1900, 1, 1);
            let end = days_from_civil(2101, 1, 1);
            for day in start..end {
                let secs = day * 86_400 + (rng.next() % 86_400) as i64;
                let mut t = tm::ZERO;
                // SAFETY: valid pointers.
                unsafe { gmtime_r(&secs, &mut t) };
                same(f, &t, 200);
            }
        }
    }

    /// Under Miri: every conversion and flag runs (no host to compare
    /// with), for the interpreter's checks.
    #[test]
    #[cfg(miri)]
    fn every_conversion_runs() {
        let odd = tm {
            tm_sec: -3,
            tm_hour: -1,
            tm_mday: -3,
            tm_mon: -5,
            tm_year: -1901,
            tm_wday: 9,
            tm_yday: -7,
            tm_gmtoff: -19_800,
            tm_zone: c"GMT".as_ptr(),
            ..tm::ZERO
        };
        for (i, f) in formats().iter().enumerate().step_by(5) {
            let t = if i % 2 == 0 { odd } else { tm::ZERO };
            for max in [0, 3, 100] {
                let (n, text) = ours(f, &t, max);
                assert!(n < max.max(1) && text.len() == n);
            }
        }
    }

    #[test]
    fn fixed_times() {
        // 2024-02-29 13:05:09 UTC, a Thursday.
        let secs = 1_709_211_909;
        let mut t = tm::ZERO;
        // SAFETY: valid pointers.
        unsafe { gmtime_r(&secs, &mut t) };
        let r = ours(
            b"%Y-%m-%d %H:%M:%S %a %j %V %G %u %p %I %Z %s %^B %#Z %-d %_5m",
            &t,
            100,
        );
        assert_eq!(
            core::str::from_utf8(&r.1).unwrap(),
            "2024-02-29 13:05:09 Thu 060 09 2024 4 PM 01 GMT 1709211909 FEBRUARY gmt 29     2"
        );
        assert_eq!(ours(b"%Y", &t, 4), (0, Vec::new()));
        assert_eq!(ours(b"%Y", &t, 5).0, 4);
        assert_eq!(ours(b"", &t, 1), (0, Vec::new()));
    }
}
