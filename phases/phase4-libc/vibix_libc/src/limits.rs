//! `<limits.h>`: the ranges of the integer types (LP64, glibc's exact
//! definitions, so that each has the right C type) and the path limits of
//! the kernel ABI.
//!
//! ```c
//! #define CHAR_BIT 8
//! #define SCHAR_MIN (-128)
//! #define SCHAR_MAX 127
//! #define UCHAR_MAX 255
//! #define CHAR_MIN SCHAR_MIN
//! #define CHAR_MAX SCHAR_MAX
//! #define MB_LEN_MAX 16
//! #define SHRT_MIN (-32768)
//! #define SHRT_MAX 32767
//! #define USHRT_MAX 65535
//! #define INT_MIN (-INT_MAX - 1)
//! #define INT_MAX 2147483647
//! #define UINT_MAX (INT_MAX * 2U + 1U)
//! #define LONG_MAX 9223372036854775807L
//! #define LONG_MIN (-LONG_MAX - 1L)
//! #define ULONG_MAX (LONG_MAX * 2UL + 1UL)
//! #define LLONG_MAX 9223372036854775807LL
//! #define LLONG_MIN (-LLONG_MAX - 1LL)
//! #define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)
//! #define SSIZE_MAX LONG_MAX
//! #define LONG_BIT 64
//! #define WORD_BIT 32
//! ```

pub use vibix_uapi::limits::{NAME_MAX, PATH_MAX};

#[cfg(test)]
mod tests {
    #[test]
    #[cfg_attr(miri, ignore = "reads the host C library's constants")]
    fn path_limits_are_glibcs() {
        assert_eq!(super::PATH_MAX as i32, libc::PATH_MAX);
    }
}
