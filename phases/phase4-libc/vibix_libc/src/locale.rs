//! `<locale.h>`: locales, of which this library has one: "C" (also called
//! "POSIX", and what "" selects). `setlocale` accepts those names and
//! refuses every other; `localeconv` describes the C locale's numbers.

use core::ptr;

use vibix_abi::errno::set_errno;
use vibix_uapi::errno::EINVAL;

use crate::types::{c_char, c_int};

/// The categories (glibc's values).
pub const LC_CTYPE: c_int = 0;
pub const LC_NUMERIC: c_int = 1;
pub const LC_TIME: c_int = 2;
pub const LC_COLLATE: c_int = 3;
pub const LC_MONETARY: c_int = 4;
pub const LC_MESSAGES: c_int = 5;
pub const LC_ALL: c_int = 6;
pub const LC_PAPER: c_int = 7;
pub const LC_NAME: c_int = 8;
pub const LC_ADDRESS: c_int = 9;
pub const LC_TELEPHONE: c_int = 10;
pub const LC_MEASUREMENT: c_int = 11;
pub const LC_IDENTIFICATION: c_int = 12;

/// How numbers and money are written (glibc's layout).
#[repr(C)]
pub struct lconv {
    pub decimal_point: *mut c_char,
    pub thousands_sep: *mut c_char,
    pub grouping: *mut c_char,
    pub int_curr_symbol: *mut c_char,
    pub currency_symbol: *mut c_char,
    pub mon_decimal_point: *mut c_char,
    pub mon_thousands_sep: *mut c_char,
    pub mon_grouping: *mut c_char,
    pub positive_sign: *mut c_char,
    pub negative_sign: *mut c_char,
    pub int_frac_digits: c_char,
    pub frac_digits: c_char,
    pub p_cs_precedes: c_char,
    pub p_sep_by_space: c_char,
    pub n_cs_precedes: c_char,
    pub n_sep_by_space: c_char,
    pub p_sign_posn: c_char,
    pub n_sign_posn: c_char,
    pub int_p_cs_precedes: c_char,
    pub int_p_sep_by_space: c_char,
    pub int_n_cs_precedes: c_char,
    pub int_n_sep_by_space: c_char,
    pub int_p_sign_posn: c_char,
    pub int_n_sign_posn: c_char,
}

/// The C locale's `lconv`, shared read-only by every caller.
struct Shared(lconv);

// SAFETY: the structure and the strings it points to are never written
// (C's contract: the program must not modify what `localeconv` returns).
unsafe impl Sync for Shared {}

/// "Not available in this locale" for the `char` fields.
const NONE: c_char = c_char::MAX;
const EMPTY: *mut c_char = c"".as_ptr().cast_mut();

static C_LCONV: Shared = Shared(lconv {
    decimal_point: c".".as_ptr().cast_mut(),
    thousands_sep: EMPTY,
    grouping: EMPTY,
    int_curr_symbol: EMPTY,
    currency_symbol: EMPTY,
    mon_decimal_point: EMPTY,
    mon_thousands_sep: EMPTY,
    mon_grouping: EMPTY,
    positive_sign: EMPTY,
    negative_sign: EMPTY,
    int_frac_digits: NONE,
    frac_digits: NONE,
    p_cs_precedes: NONE,
    p_sep_by_space: NONE,
    n_cs_precedes: NONE,
    n_sep_by_space: NONE,
    p_sign_posn: NONE,
    n_sign_posn: NONE,
    int_p_cs_precedes: NONE,
    int_p_sep_by_space: NONE,
    int_n_cs_precedes: NONE,
    int_n_sep_by_space: NONE,
    int_p_sign_posn: NONE,
    int_n_sign_posn: NONE,
});

/// Sets (or with a NULL `locale`, queries) the locale of `category`:
/// returns "C", or NULL for a locale other than "C", "POSIX" and ""
/// (nothing changes then) or a bad category (`EINVAL`).
///
/// # Safety
///
/// `locale` NULL or NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn setlocale(category: c_int, locale: *const c_char) -> *mut c_char {
    if !(LC_CTYPE..=LC_IDENTIFICATION).contains(&category) {
        set_errno(EINVAL);
        return ptr::null_mut();
    }
    if !locale.is_null() {
        // SAFETY: the caller's contract.
        let name = unsafe { core::ffi::CStr::from_ptr(locale) }.to_bytes();
        if !matches!(name, b"" | b"C" | b"POSIX") {
            return ptr::null_mut();
        }
    }
    c"C".as_ptr().cast_mut()
}

/// The current locale's conventions for numbers and money.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn localeconv() -> *mut lconv {
    (&raw const C_LCONV.0).cast_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::CStr;
    use core::mem::offset_of;

    #[test]
    fn names() {
        // SAFETY: NUL-terminated names (or NULL).
        unsafe {
            for name in [c"", c"C", c"POSIX"] {
                assert_eq!(CStr::from_ptr(setlocale(LC_ALL, name.as_ptr())), c"C");
            }
            assert_eq!(CStr::from_ptr(setlocale(LC_NUMERIC, ptr::null())), c"C");
            assert!(setlocale(LC_ALL, c"fr_FR.UTF-8".as_ptr()).is_null());
            assert!(setlocale(99, c"C".as_ptr()).is_null());
            assert!(setlocale(-1, ptr::null()).is_null());
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls the host C library")]
    fn matches_glibc() {
        assert_eq!(size_of::<lconv>(), size_of::<libc::lconv>());
        assert_eq!(
            offset_of!(lconv, int_frac_digits),
            offset_of!(libc::lconv, int_frac_digits)
        );
        assert_eq!(
            offset_of!(lconv, int_n_sign_posn),
            offset_of!(libc::lconv, int_n_sign_posn)
        );
        assert_eq!(
            [
                LC_CTYPE,
                LC_NUMERIC,
                LC_TIME,
                LC_COLLATE,
                LC_MONETARY,
                LC_MESSAGES,
                LC_ALL
            ],
            [
                libc::LC_CTYPE,
                libc::LC_NUMERIC,
                libc::LC_TIME,
                libc::LC_COLLATE,
                libc::LC_MONETARY,
                libc::LC_MESSAGES,
                libc::LC_ALL
            ]
        );
        assert_eq!(LC_IDENTIFICATION, libc::LC_IDENTIFICATION);
        // SAFETY: both return valid structures (the host's in its default
        // C locale).
        unsafe {
            let (o, t) = (&*localeconv(), &*libc::localeconv());
            for (a, b) in [
                (o.decimal_point, t.decimal_point),
                (o.thousands_sep, t.thousands_sep),
                (o.grouping, t.grouping),
                (o.currency_symbol, t.currency_symbol),
                (o.negative_sign, t.negative_sign),
            ] {
                assert_eq!(CStr::from_ptr(a), CStr::from_ptr(b));
            }
            assert_eq!(
                (o.frac_digits, o.p_sign_posn, o.int_n_sign_posn),
                (t.frac_digits, t.p_sign_posn, t.int_n_sign_posn)
            );
        }
    }
}
