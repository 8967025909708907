//! `<strings.h>`: the BSD string functions: case-insensitive comparison
//! (C locale), `bzero`, `bcmp`, `ffs`, `index`, `rindex`.

use crate::string;
use crate::types::{c_char, c_int, c_long, c_longlong, c_void, size_t};

/// Compares two strings ignoring ASCII case, as `unsigned char` of their
/// lowercase forms.
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcasecmp(a: *const c_char, b: *const c_char) -> c_int {
    // SAFETY: the caller's contract; `usize::MAX` never limits.
    unsafe { compare_ignoring_case(a, b, usize::MAX) }
}

/// As [`strcasecmp`], for at most `n` bytes.
///
/// # Safety
///
/// Both readable up to their NUL or `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strncasecmp(a: *const c_char, b: *const c_char, n: size_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { compare_ignoring_case(a, b, n) }
}

/// `strncasecmp`'s work (no export calls another by its C name: see
/// `string.rs`).
///
/// # Safety
///
/// As [`strncasecmp`].
unsafe fn compare_ignoring_case(a: *const c_char, b: *const c_char, n: usize) -> c_int {
    let mut i = 0;
    while i < n {
        // SAFETY: no NUL met before `i`: inside both strings.
        let (x, y) = unsafe { (*a.add(i) as u8, *b.add(i) as u8) };
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y || x == 0 {
            return c_int::from(x) - c_int::from(y);
        }
        i += 1;
    }
    0
}

/// Zeroes `n` bytes at `s`.
///
/// # Safety
///
/// `s` valid for `n` writes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn bzero(s: *mut c_void, n: size_t) {
    // SAFETY: the caller's contract.
    unsafe { string::fill(s.cast(), 0, n) };
}

/// Zero if the `n` bytes at `a` and `b` are equal, else nonzero.
///
/// # Safety
///
/// Both valid for `n` reads.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn bcmp(a: *const c_void, b: *const c_void, n: size_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { string::compare_block(a, b, n) }
}

/// The position (from 1) of the lowest set bit of `i`, or 0 if none.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ffs(i: c_int) -> c_int {
    if i == 0 {
        0
    } else {
        i.trailing_zeros() as c_int + 1
    }
}

/// [`ffs`] for a `long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ffsl(i: c_long) -> c_int {
    if i == 0 {
        0
    } else {
        i.trailing_zeros() as c_int + 1
    }
}

/// [`ffs`] for a `long long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ffsll(i: c_longlong) -> c_int {
    if i == 0 {
        0
    } else {
        i.trailing_zeros() as c_int + 1
    }
}

/// `strchr` under its BSD name.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn index(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { string::find(s, c) }
}

/// `strrchr` under its BSD name.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn rindex(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { string::find_last_in(s, c) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive() {
        let words: &[&[u8]] = &[
            b"\0",
            b"Hello\0",
            b"hELLO\0",
            b"help\0",
            b"HELP me\0",
            b"[\0",
            b"a\0",
            b"\xc9\0",
            b"\xe9\0",
        ];
        for a in words {
            for b in words {
                let la: std::vec::Vec<u8> = a.iter().map(u8::to_ascii_lowercase).collect();
                let lb: std::vec::Vec<u8> = b.iter().map(u8::to_ascii_lowercase).collect();
                // SAFETY: NUL-terminated strings.
                let ours = unsafe { strcasecmp(a.as_ptr().cast(), b.as_ptr().cast()) };
                assert_eq!(ours.signum(), la.cmp(&lb) as c_int);
                #[cfg(not(miri))]
                for n in 0..7 {
                    // SAFETY: as above.
                    let (o, t) = unsafe {
                        (
                            strncasecmp(a.as_ptr().cast(), b.as_ptr().cast(), n),
                            libc::strncasecmp(a.as_ptr().cast(), b.as_ptr().cast(), n),
                        )
                    };
                    assert_eq!(o.signum(), t.signum());
                }
            }
        }
    }

    #[test]
    fn bits_and_blocks() {
        assert_eq!(ffs(0), 0);
        assert_eq!(ffs(1), 1);
        assert_eq!(ffs(0x80), 8);
        assert_eq!(ffs(c_int::MIN), 32);
        assert_eq!(ffsl(1 << 40), 41);
        assert_eq!(ffsll(c_longlong::MIN), 64);
        let mut buf = [1u8; 9];
        // SAFETY: inside `buf`.
        unsafe {
            bzero(buf.as_mut_ptr().add(1).cast(), 7);
            assert_eq!(buf, [1, 0, 0, 0, 0, 0, 0, 0, 1]);
            assert_eq!(bcmp(b"ab".as_ptr().cast(), b"ab".as_ptr().cast(), 2), 0);
            assert_ne!(bcmp(b"ab".as_ptr().cast(), b"ac".as_ptr().cast(), 2), 0);
            let s = b"abcb\0";
            assert_eq!(
                index(s.as_ptr().cast(), b'b' as c_int),
                s.as_ptr().add(1).cast_mut().cast()
            );
            assert_eq!(
                rindex(s.as_ptr().cast(), b'b' as c_int),
                s.as_ptr().add(3).cast_mut().cast()
            );
        }
    }
}
