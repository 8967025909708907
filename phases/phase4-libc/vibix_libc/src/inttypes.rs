//! `<inttypes.h>`: the greatest-width integer functions (`strtoimax`,
//! `strtoumax`, `imaxabs`, `imaxdiv`) and the `printf`/`scanf`
//! conversions of `<stdint.h>`'s types (glibc's on x86_64: the 64-bit and
//! pointer-sized ones take `l`).
//!
//! ```c
//! #include <stdint.h>
//! #define PRId8 "d"
//! #define PRIdLEAST8 "d"
//! #define PRIdFAST8 "d"
//! #define PRId16 "d"
//! #define PRIdLEAST16 "d"
//! #define PRIdFAST16 "l" "d"
//! #define PRId32 "d"
//! #define PRIdLEAST32 "d"
//! #define PRIdFAST32 "l" "d"
//! #define PRId64 "l" "d"
//! #define PRIdLEAST64 "l" "d"
//! #define PRIdFAST64 "l" "d"
//! #define PRIdMAX "l" "d"
//! #define PRIdPTR "l" "d"
//! #define PRIi8 "i"
//! #define PRIiLEAST8 "i"
//! #define PRIiFAST8 "i"
//! #define PRIi16 "i"
//! #define PRIiLEAST16 "i"
//! #define PRIiFAST16 "l" "i"
//! #define PRIi32 "i"
//! #define PRIiLEAST32 "i"
//! #define PRIiFAST32 "l" "i"
//! #define PRIi64 "l" "i"
//! #define PRIiLEAST64 "l" "i"
//! #define PRIiFAST64 "l" "i"
//! #define PRIiMAX "l" "i"
//! #define PRIiPTR "l" "i"
//! #define PRIo8 "o"
//! #define PRIoLEAST8 "o"
//! #define PRIoFAST8 "o"
//! #define PRIo16 "o"
//! #define PRIoLEAST16 "o"
//! #define PRIoFAST16 "l" "o"
//! #define PRIo32 "o"
//! #define PRIoLEAST32 "o"
//! #define PRIoFAST32 "l" "o"
//! #define PRIo64 "l" "o"
//! #define PRIoLEAST64 "l" "o"
//! #define PRIoFAST64 "l" "o"
//! #define PRIoMAX "l" "o"
//! #define PRIoPTR "l" "o"
//! #define PRIu8 "u"
//! #define PRIuLEAST8 "u"
//! #define PRIuFAST8 "u"
//! #define PRIu16 "u"
//! #define PRIuLEAST16 "u"
//! #define PRIuFAST16 "l" "u"
//! #define PRIu32 "u"
//! #define PRIuLEAST32 "u"
//! #define PRIuFAST32 "l" "u"
//! #define PRIu64 "l" "u"
//! #define PRIuLEAST64 "l" "u"
//! #define PRIuFAST64 "l" "u"
//! #define PRIuMAX "l" "u"
//! #define PRIuPTR "l" "u"
//! #define PRIx8 "x"
//! #define PRIxLEAST8 "x"
//! #define PRIxFAST8 "x"
//! #define PRIx16 "x"
//! #define PRIxLEAST16 "x"
//! #define PRIxFAST16 "l" "x"
//! #define PRIx32 "x"
//! #define PRIxLEAST32 "x"
//! #define PRIxFAST32 "l" "x"
//! #define PRIx64 "l" "x"
//! #define PRIxLEAST64 "l" "x"
//! #define PRIxFAST64 "l" "x"
//! #define PRIxMAX "l" "x"
//! #define PRIxPTR "l" "x"
//! #define PRIX8 "X"
//! #define PRIXLEAST8 "X"
//! #define PRIXFAST8 "X"
//! #define PRIX16 "X"
//! #define PRIXLEAST16 "X"
//! #define PRIXFAST16 "l" "X"
//! #define PRIX32 "X"
//! #define PRIXLEAST32 "X"
//! #define PRIXFAST32 "l" "X"
//! #define PRIX64 "l" "X"
//! #define PRIXLEAST64 "l" "X"
//! #define PRIXFAST64 "l" "X"
//! #define PRIXMAX "l" "X"
//! #define PRIXPTR "l" "X"
//! #define SCNd8 "hh" "d"
//! #define SCNdLEAST8 "hh" "d"
//! #define SCNdFAST8 "hh" "d"
//! #define SCNd16 "h" "d"
//! #define SCNdLEAST16 "h" "d"
//! #define SCNdFAST16 "l" "d"
//! #define SCNd32 "d"
//! #define SCNdLEAST32 "d"
//! #define SCNdFAST32 "l" "d"
//! #define SCNd64 "l" "d"
//! #define SCNdLEAST64 "l" "d"
//! #define SCNdFAST64 "l" "d"
//! #define SCNdMAX "l" "d"
//! #define SCNdPTR "l" "d"
//! #define SCNi8 "hh" "i"
//! #define SCNiLEAST8 "hh" "i"
//! #define SCNiFAST8 "hh" "i"
//! #define SCNi16 "h" "i"
//! #define SCNiLEAST16 "h" "i"
//! #define SCNiFAST16 "l" "i"
//! #define SCNi32 "i"
//! #define SCNiLEAST32 "i"
//! #define SCNiFAST32 "l" "i"
//! #define SCNi64 "l" "i"
//! #define SCNiLEAST64 "l" "i"
//! #define SCNiFAST64 "l" "i"
//! #define SCNiMAX "l" "i"
//! #define SCNiPTR "l" "i"
//! #define SCNo8 "hh" "o"
//! #define SCNoLEAST8 "hh" "o"
//! #define SCNoFAST8 "hh" "o"
//! #define SCNo16 "h" "o"
//! #define SCNoLEAST16 "h" "o"
//! #define SCNoFAST16 "l" "o"
//! #define SCNo32 "o"
//! #define SCNoLEAST32 "o"
//! #define SCNoFAST32 "l" "o"
//! #define SCNo64 "l" "o"
//! #define SCNoLEAST64 "l" "o"
//! #define SCNoFAST64 "l" "o"
//! #define SCNoMAX "l" "o"
//! #define SCNoPTR "l" "o"
//! #define SCNu8 "hh" "u"
//! #define SCNuLEAST8 "hh" "u"
//! #define SCNuFAST8 "hh" "u"
//! #define SCNu16 "h" "u"
//! #define SCNuLEAST16 "h" "u"
//! #define SCNuFAST16 "l" "u"
//! #define SCNu32 "u"
//! #define SCNuLEAST32 "u"
//! #define SCNuFAST32 "l" "u"
//! #define SCNu64 "l" "u"
//! #define SCNuLEAST64 "l" "u"
//! #define SCNuFAST64 "l" "u"
//! #define SCNuMAX "l" "u"
//! #define SCNuPTR "l" "u"
//! #define SCNx8 "hh" "x"
//! #define SCNxLEAST8 "hh" "x"
//! #define SCNxFAST8 "hh" "x"
//! #define SCNx16 "h" "x"
//! #define SCNxLEAST16 "h" "x"
//! #define SCNxFAST16 "l" "x"
//! #define SCNx32 "x"
//! #define SCNxLEAST32 "x"
//! #define SCNxFAST32 "l" "x"
//! #define SCNx64 "l" "x"
//! #define SCNxLEAST64 "l" "x"
//! #define SCNxFAST64 "l" "x"
//! #define SCNxMAX "l" "x"
//! #define SCNxPTR "l" "x"
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
