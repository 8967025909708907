//! `<limits.h>`: the ranges of C's integer types (LP64; `char` is signed,
//! as on x86_64 Linux) and the system's path limits.

use crate::types::{c_int, c_long, c_longlong, c_uint, c_ulong, c_ulonglong};

pub use vibix_uapi::limits::{NAME_MAX, PATH_MAX};

pub const CHAR_BIT: c_int = 8;
pub const SCHAR_MIN: c_int = i8::MIN as c_int;
pub const SCHAR_MAX: c_int = i8::MAX as c_int;
pub const UCHAR_MAX: c_int = u8::MAX as c_int;
pub const CHAR_MIN: c_int = SCHAR_MIN;
pub const CHAR_MAX: c_int = SCHAR_MAX;
pub const SHRT_MIN: c_int = i16::MIN as c_int;
pub const SHRT_MAX: c_int = i16::MAX as c_int;
pub const USHRT_MAX: c_int = u16::MAX as c_int;
pub const INT_MIN: c_int = c_int::MIN;
pub const INT_MAX: c_int = c_int::MAX;
pub const UINT_MAX: c_uint = c_uint::MAX;
pub const LONG_MIN: c_long = c_long::MIN;
pub const LONG_MAX: c_long = c_long::MAX;
pub const ULONG_MAX: c_ulong = c_ulong::MAX;
pub const LLONG_MIN: c_longlong = c_longlong::MIN;
pub const LLONG_MAX: c_longlong = c_longlong::MAX;
pub const ULLONG_MAX: c_ulonglong = c_ulonglong::MAX;
/// The longest multibyte character of any locale (glibc's value).
pub const MB_LEN_MAX: c_int = 16;
pub const SSIZE_MAX: c_long = isize::MAX as c_long;
/// `iovec`s one `readv`/`writev` takes, at most.
pub const IOV_MAX: c_int = 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!((SCHAR_MIN, SCHAR_MAX, UCHAR_MAX), (-128, 127, 255));
        assert_eq!((SHRT_MIN, SHRT_MAX, USHRT_MAX), (-32768, 32767, 65535));
        assert_eq!(CHAR_MIN, c_int::from(core::ffi::c_char::MIN));
        assert_eq!(UINT_MAX, 4_294_967_295);
        assert_eq!(LONG_MAX, i64::MAX);
        assert_eq!((PATH_MAX, NAME_MAX), (4096, 255));
    }
}
