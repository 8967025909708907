//! `<inttypes.h>`: the greatest-width integer functions (`strtoimax`,
//! `strtoumax`, `imaxabs`, `imaxdiv`) and the `printf`/`scanf` format
//! macros for `<stdint.h>`'s types, as glibc defines them on x86_64
//! (64-bit types are `long`).
//!
//! ```c
//! #include <stdint.h>
//! #define PRId8 "d"
//! #define PRId16 "d"
//! #define PRId32 "d"
//! #define PRId64 "ld"
//! #define PRIi8 "i"
//! #define PRIi16 "i"
//! #define PRIi32 "i"
//! #define PRIi64 "li"
//! #define PRIo8 "o"
//! #define PRIo16 "o"
//! #define PRIo32 "o"
//! #define PRIo64 "lo"
//! #define PRIu8 "u"
//! #define PRIu16 "u"
//! #define PRIu32 "u"
//! #define PRIu64 "lu"
//! #define PRIx8 "x"
//! #define PRIx16 "x"
//! #define PRIx32 "x"
//! #define PRIx64 "lx"
//! #define PRIX8 "X"
//! #define PRIX16 "X"
//! #define PRIX32 "X"
//! #define PRIX64 "lX"
//! #define PRIdMAX "ld"
//! #define PRIiMAX "li"
//! #define PRIoMAX "lo"
//! #define PRIuMAX "lu"
//! #define PRIxMAX "lx"
//! #define PRIXMAX "lX"
//! #define PRIdPTR "ld"
//! #define PRIiPTR "li"
//! #define PRIoPTR "lo"
//! #define PRIuPTR "lu"
//! #define PRIxPTR "lx"
//! #define PRIXPTR "lX"
//! #define SCNd8 "hhd"
//! #define SCNd16 "hd"
//! #define SCNd32 "d"
//! #define SCNd64 "ld"
//! #define SCNi8 "hhi"
//! #define SCNi16 "hi"
//! #define SCNi32 "i"
//! #define SCNi64 "li"
//! #define SCNu8 "hhu"
//! #define SCNu16 "hu"
//! #define SCNu32 "u"
//! #define SCNu64 "lu"
//! #define SCNx8 "hhx"
//! #define SCNx16 "hx"
//! #define SCNx32 "x"
//! #define SCNx64 "lx"
//! #define SCNo8 "hho"
//! #define SCNo16 "ho"
//! #define SCNo32 "o"
//! #define SCNo64 "lo"
//! #define SCNdMAX "ld"
//! #define SCNiMAX "li"
//! #define SCNuMAX "lu"
//! #define SCNxMAX "lx"
//! #define SCNdPTR "ld"
//! #define SCNuPTR "lu"
//! #define SCNxPTR "lx"
//! ```

use crate::stdlib::strto;
use crate::types::{c_char, c_int, c_long, c_ulong};

/// `intmax_t`'s quotient and remainder (`imaxdiv`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct imaxdiv_t {
    pub quot: c_long,
    pub rem: c_long,
}

/// As `strtol`, for `intmax_t` (64 bits).
///
/// # Safety
///
/// `s` NUL-terminated; `end` NULL or valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtoimax(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_long {
    // SAFETY: the caller's contract.
    unsafe { strto::to_signed(s, end, base) }
}

/// As `strtoul`, for `uintmax_t` (64 bits).
///
/// # Safety
///
/// As [`strtoimax`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtoumax(
    s: *const c_char,
    end: *mut *mut c_char,
    base: c_int,
) -> c_ulong {
    // SAFETY: the caller's contract.
    unsafe { strto::to_unsigned(s, end, base) }
}

/// The absolute value of `n` (the most negative wraps to itself).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn imaxabs(n: c_long) -> c_long {
    n.wrapping_abs()
}

/// `n / d` toward zero, and the remainder. `d` must not be 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn imaxdiv(n: c_long, d: c_long) -> imaxdiv_t {
    imaxdiv_t {
        quot: n.wrapping_div(d),
        rem: n.wrapping_rem(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;

    #[test]
    fn conversions() {
        let mut end = ptr::null_mut();
        let s = c" -0x7fffffffffffffffq";
        // SAFETY: NUL-terminated inputs, a valid end pointer.
        unsafe {
            assert_eq!(strtoimax(s.as_ptr(), &mut end, 16), -0x7fff_ffff_ffff_ffff);
            assert_eq!(end.cast_const(), s.as_ptr().add(20));
            assert_eq!(
                strtoumax(c"18446744073709551615".as_ptr(), ptr::null_mut(), 10),
                u64::MAX
            );
        }
        assert_eq!(imaxabs(-3), 3);
        assert_eq!(imaxdiv(-7, 2), imaxdiv_t { quot: -3, rem: -1 });
    }
}
