//! `<time.h>`: broken-down time's fixed text form: `asctime`, `asctime_r`,
//! `ctime`, `ctime_r` (`"Sun Sep 16 01:03:52 1973\n"`).

use core::cell::UnsafeCell;
use core::ptr;

use vibix_abi::Errno;
use vibix_abi::errno::set_errno;

use super::calendar::{localtime_r, tm};
use crate::types::{c_char, c_int, time_t};

pub(crate) const DAYS: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];
pub(crate) const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// A text being built in a fixed buffer (`N` bytes at most).
struct Text<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Text<N> {
    fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.len < N {
                self.buf[self.len] = b;
            }
            self.len += 1;
        }
    }

    /// `v` as C's `%.{min}d` (at least `min` digits) right-aligned in
    /// `width` columns (`%{width}d`).
    fn int(&mut self, v: c_int, min: usize, width: usize) {
        let mut digits = [0u8; 12];
        let mut n = 0;
        let mut u = v.unsigned_abs();
        while u != 0 || n < min.max(1) {
            digits[n] = b'0' + (u % 10) as u8;
            u /= 10;
            n += 1;
        }
        let len = n + usize::from(v < 0);
        for _ in len..width {
            self.push(b" ");
        }
        if v < 0 {
            self.push(b"-");
        }
        for i in (0..n).rev() {
            self.push(&[digits[i]]);
        }
    }
}

/// `*t` in asctime's form into `buf`, which holds `size` bytes; NULL with
/// `EOVERFLOW` if it does not fit (or the year is not an `int`).
///
/// # Safety
///
/// `t` must point to a `tm`, `buf` be valid for `size` bytes.
unsafe fn format(t: *const tm, buf: *mut c_char, size: usize) -> *mut c_char {
    // SAFETY: the caller's contract.
    let t = unsafe { &*t };
    let Some(year) = t.tm_year.checked_add(1900) else {
        set_errno(Errno::EOVERFLOW.raw());
        return ptr::null_mut();
    };
    let mut text = Text::<128> {
        buf: [0; 128],
        len: 0,
    };
    let name = |names: &[&'static [u8; 3]], i: c_int| -> &'static [u8] {
        usize::try_from(i)
            .ok()
            .and_then(|i| names.get(i))
            .map_or(b"???", |n| &n[..])
    };
    text.push(name(&DAYS, t.tm_wday));
    text.push(b" ");
    text.push(name(&MONTHS, t.tm_mon));
    text.int(t.tm_mday, 1, 3);
    text.push(b" ");
    text.int(t.tm_hour, 2, 0);
    text.push(b":");
    text.int(t.tm_min, 2, 0);
    text.push(b":");
    text.int(t.tm_sec, 2, 0);
    text.push(b" ");
    text.int(year, 1, 0);
    text.push(b"\n\0");
    if text.len > size {
        set_errno(Errno::EOVERFLOW.raw());
        return ptr::null_mut();
    }
    // SAFETY: `text.len` bytes fit in the caller's `size`.
    unsafe { ptr::copy_nonoverlapping(text.buf.as_ptr(), buf.cast(), text.len) };
    buf
}

/// The static buffer of `asctime` and `ctime`.
struct Shared(UnsafeCell<[c_char; 114]>);
// SAFETY: C's `asctime` and `ctime` are not thread-safe: callers keep
// their calls apart.
unsafe impl Sync for Shared {}
static RESULT: Shared = Shared(UnsafeCell::new([0; 114]));

/// `*t` as text, into `buf` (26 bytes, as POSIX says).
///
/// # Safety
///
/// `t` must point to a `tm`, `buf` be valid for 26 bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn asctime_r(t: *const tm, buf: *mut c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { format(t, buf, 26) }
}

/// `*t` as text, in a static buffer.
///
/// # Safety
///
/// `t` must point to a `tm`; no other thread may use the static buffer
/// meanwhile.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn asctime(t: *const tm) -> *mut c_char {
    // SAFETY: the caller's contract; the static buffer is 114 bytes.
    unsafe { format(t, RESULT.0.get().cast(), 114) }
}

/// `*t` as local time's text, into `buf` (26 bytes).
///
/// # Safety
///
/// `t` must point to a `time_t`, `buf` be valid for 26 bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ctime_r(t: *const time_t, buf: *mut c_char) -> *mut c_char {
    let mut broken = tm::ZERO;
    // SAFETY: the caller's contract; `broken` is ours.
    unsafe {
        if localtime_r(t, &mut broken).is_null() {
            return ptr::null_mut();
        }
        asctime_r(&broken, buf)
    }
}

/// `*t` as local time's text, in the static buffer of `asctime`.
///
/// # Safety
///
/// As for [`asctime`], with `t` pointing to a `time_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ctime(t: *const time_t) -> *mut c_char {
    let mut broken = tm::ZERO;
    // SAFETY: the caller's contract; `broken` is ours.
    unsafe {
        if localtime_r(t, &mut broken).is_null() {
            return ptr::null_mut();
        }
        asctime(&broken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::calendar::tests::{Rng, to_host};
    use core::ffi::CStr;

    fn text(p: *const c_char) -> Option<std::vec::Vec<u8>> {
        // SAFETY: a NUL-terminated result, or NULL.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes().to_vec())
    }

    #[test]
    #[cfg_attr(miri, ignore = "the host's C library")]
    fn like_the_host() {
        let mut rng = Rng(7);
        let mut ours = [0 as c_char; 26];
        let mut host = [0 as c_char; 26];
        for i in 0..50_000 {
            let r = |rng: &mut Rng, span: u64| {
                ((rng.next() % span) as c_int).wrapping_sub((span / 4) as c_int)
            };
            let t = if i % 2 == 0 {
                tm {
                    tm_sec: r(&mut rng, 80),
                    tm_min: r(&mut rng, 80),
                    tm_hour: r(&mut rng, 40),
                    tm_mday: r(&mut rng, 40),
                    tm_mon: r(&mut rng, 16),
                    tm_year: r(&mut rng, 20_000),
                    tm_wday: r(&mut rng, 10),
                    ..tm::ZERO
                }
            } else {
                tm {
                    tm_mday: r(&mut rng, 1 << 31),
                    tm_year: r(&mut rng, 1 << 32),
                    tm_sec: r(&mut rng, 1 << 32),
                    ..tm::ZERO
                }
            };
            let h = to_host(&t);
            // SAFETY: valid pointers and 26-byte buffers.
            unsafe {
                set_errno(0);
                *libc::__errno_location() = 0;
                let a = text(asctime_r(&t, ours.as_mut_ptr()));
                let b = text(libc::asctime_r(&h, host.as_mut_ptr()));
                assert_eq!(a, b, "{t:?}");
                assert_eq!(vibix_abi::errno::errno(), *libc::__errno_location());
            }
            let secs = rng.next() as i64 >> (rng.next() % 30 + 20);
            // SAFETY: valid pointers and 26-byte buffers.
            unsafe {
                let a = text(ctime_r(&secs, ours.as_mut_ptr()));
                let b = text(libc::ctime_r(&secs, host.as_mut_ptr()));
                assert_eq!(a, b, "{secs}");
            }
        }
        let t = tm {
            tm_year: c_int::MAX - 1900,
            ..tm::ZERO
        };
        unsafe extern "C" {
            #[link_name = "asctime"]
            fn host_asctime(t: *const libc::tm) -> *mut c_char;
        }
        // SAFETY: a valid `tm`; this test alone uses the static buffers.
        unsafe {
            let a = text(asctime(&t));
            let b = text(host_asctime(&to_host(&t)));
            assert_eq!(a, b);
        }
    }

    #[test]
    fn fixed() {
        let t = 121_234_432; // 1973-11-04 04:13:52 UTC, a Sunday.
        let mut buf = [0 as c_char; 26];
        // SAFETY: valid pointers and a 26-byte buffer.
        let p = unsafe { ctime_r(&t, buf.as_mut_ptr()) };
        assert_eq!(text(p).unwrap(), b"Sun Nov  4 04:13:52 1973\n");
    }
}
