//! `<stdint.h>`: the exact-width, least-width, fast, pointer-sized and
//! greatest-width integer types (glibc's choices on x86_64: the 64-bit
//! ones and the fast ones from 16 bits up are `long`), their limits, and
//! the macros of integer constants.
//!
//! ```c
//! #define INT8_C(c) c
//! #define INT16_C(c) c
//! #define INT32_C(c) c
//! #define INT64_C(c) c ## L
//! #define UINT8_C(c) c
//! #define UINT16_C(c) c
//! #define UINT32_C(c) c ## U
//! #define UINT64_C(c) c ## UL
//! #define INTMAX_C(c) c ## L
//! #define UINTMAX_C(c) c ## UL
//! ```

use crate::types::c_int;

pub type int8_t = i8;
pub type int16_t = i16;
pub type int32_t = i32;
pub type int64_t = i64;
pub type uint8_t = u8;
pub type uint16_t = u16;
pub type uint32_t = u32;
pub type uint64_t = u64;
pub type int_least8_t = i8;
pub type int_least16_t = i16;
pub type int_least32_t = i32;
pub type int_least64_t = i64;
pub type uint_least8_t = u8;
pub type uint_least16_t = u16;
pub type uint_least32_t = u32;
pub type uint_least64_t = u64;
pub type int_fast8_t = i8;
pub type int_fast16_t = isize;
pub type int_fast32_t = isize;
pub type int_fast64_t = i64;
pub type uint_fast8_t = u8;
pub type uint_fast16_t = usize;
pub type uint_fast32_t = usize;
pub type uint_fast64_t = u64;
pub type intptr_t = isize;
pub type uintptr_t = usize;
pub type intmax_t = i64;
pub type uintmax_t = u64;

pub const INT8_MIN: c_int = i8::MIN as c_int;
pub const INT8_MAX: c_int = i8::MAX as c_int;
pub const UINT8_MAX: c_int = u8::MAX as c_int;
pub const INT16_MIN: c_int = i16::MIN as c_int;
pub const INT16_MAX: c_int = i16::MAX as c_int;
pub const UINT16_MAX: c_int = u16::MAX as c_int;
pub const INT32_MIN: i32 = i32::MIN;
pub const INT32_MAX: i32 = i32::MAX;
pub const UINT32_MAX: u32 = u32::MAX;
pub const INT64_MIN: i64 = i64::MIN;
pub const INT64_MAX: i64 = i64::MAX;
pub const UINT64_MAX: u64 = u64::MAX;
pub const INT_LEAST8_MIN: c_int = INT8_MIN;
pub const INT_LEAST8_MAX: c_int = INT8_MAX;
pub const UINT_LEAST8_MAX: c_int = UINT8_MAX;
pub const INT_LEAST16_MIN: c_int = INT16_MIN;
pub const INT_LEAST16_MAX: c_int = INT16_MAX;
pub const UINT_LEAST16_MAX: c_int = UINT16_MAX;
pub const INT_LEAST32_MIN: i32 = INT32_MIN;
pub const INT_LEAST32_MAX: i32 = INT32_MAX;
pub const UINT_LEAST32_MAX: u32 = UINT32_MAX;
pub const INT_LEAST64_MIN: i64 = INT64_MIN;
pub const INT_LEAST64_MAX: i64 = INT64_MAX;
pub const UINT_LEAST64_MAX: u64 = UINT64_MAX;
pub const INT_FAST8_MIN: c_int = INT8_MIN;
pub const INT_FAST8_MAX: c_int = INT8_MAX;
pub const UINT_FAST8_MAX: c_int = UINT8_MAX;
pub const INT_FAST16_MIN: isize = isize::MIN;
pub const INT_FAST16_MAX: isize = isize::MAX;
pub const UINT_FAST16_MAX: usize = usize::MAX;
pub const INT_FAST32_MIN: isize = isize::MIN;
pub const INT_FAST32_MAX: isize = isize::MAX;
pub const UINT_FAST32_MAX: usize = usize::MAX;
pub const INT_FAST64_MIN: i64 = INT64_MIN;
pub const INT_FAST64_MAX: i64 = INT64_MAX;
pub const UINT_FAST64_MAX: u64 = UINT64_MAX;
pub const INTPTR_MIN: isize = isize::MIN;
pub const INTPTR_MAX: isize = isize::MAX;
pub const UINTPTR_MAX: usize = usize::MAX;
pub const INTMAX_MIN: i64 = i64::MIN;
pub const INTMAX_MAX: i64 = i64::MAX;
pub const UINTMAX_MAX: u64 = u64::MAX;
pub const PTRDIFF_MIN: isize = isize::MIN;
pub const PTRDIFF_MAX: isize = isize::MAX;
pub const SIZE_MAX: usize = usize::MAX;
pub const SIG_ATOMIC_MIN: c_int = c_int::MIN;
pub const SIG_ATOMIC_MAX: c_int = c_int::MAX;
pub const WCHAR_MIN: i32 = i32::MIN;
pub const WCHAR_MAX: i32 = i32::MAX;
pub const WINT_MIN: u32 = 0;
pub const WINT_MAX: u32 = u32::MAX;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(size_of::<int_fast16_t>(), 8);
        assert_eq!(size_of::<intptr_t>(), size_of::<*const u8>());
        assert_eq!(UINT16_MAX, 65535);
        assert_eq!(SIZE_MAX, usize::MAX);
    }
}
