//! `<ctype.h>`: classifying and converting characters, for the C locale.
//! Each takes an `int` that is `EOF` (-1) or an `unsigned char` value
//! (0 to 255); bytes above 127 are in no class, as in glibc's C locale.
//! Values outside -1..=255 are undefined in C; here they are in no class
//! and convert to themselves.

use crate::types::c_int;

/// The ASCII byte `c` stands for, if it is one.
fn ascii(c: c_int) -> Option<u8> {
    u8::try_from(c).ok().filter(u8::is_ascii)
}

/// 1 if `c` is an ASCII byte that passes `test`, else 0.
fn class(c: c_int, test: fn(u8) -> bool) -> c_int {
    ascii(c).is_some_and(test) as c_int
}

/// A letter or a digit.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isalnum(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_alphanumeric())
}

/// A letter.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isalpha(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_alphabetic())
}

/// A space or a tab.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isblank(c: c_int) -> c_int {
    class(c, |b| b == b' ' || b == b'\t')
}

/// A control character (0 to 31, and 127).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn iscntrl(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_control())
}

/// A decimal digit.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isdigit(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_digit())
}

/// A printing character other than space.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isgraph(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_graphic())
}

/// A lowercase letter.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn islower(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_lowercase())
}

/// A printing character, space included.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isprint(c: c_int) -> c_int {
    class(c, |b| b == b' ' || b.is_ascii_graphic())
}

/// A printing character that is neither a letter, a digit nor space.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ispunct(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_punctuation())
}

/// White space: space, `\t \n \v \f \r`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isspace(c: c_int) -> c_int {
    class(c, |b| {
        matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
    })
}

/// An uppercase letter.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isupper(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_uppercase())
}

/// A hexadecimal digit.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isxdigit(c: c_int) -> c_int {
    class(c, |b| b.is_ascii_hexdigit())
}

/// Whether `c` is a 7-bit value (0 to 127).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isascii(c: c_int) -> c_int {
    (c & !0x7f == 0) as c_int
}

/// `c` as lowercase if it is an uppercase letter, else `c`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tolower(c: c_int) -> c_int {
    match ascii(c) {
        Some(b) => c_int::from(b.to_ascii_lowercase()),
        None => c,
    }
}

/// `c` as uppercase if it is a lowercase letter, else `c`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn toupper(c: c_int) -> c_int {
    match ascii(c) {
        Some(b) => c_int::from(b.to_ascii_uppercase()),
        None => c,
    }
}

/// `c` with all but its low 7 bits cleared.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn toascii(c: c_int) -> c_int {
    c & 0x7f
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" {
        #[link_name = "isascii"]
        fn host_isascii(c: c_int) -> c_int;
        #[link_name = "toascii"]
        fn host_toascii(c: c_int) -> c_int;
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls the host C library")]
    fn matches_glibc_c_locale() {
        type F = extern "C" fn(c_int) -> c_int;
        // SAFETY: the host's functions accept -1..=255 in its default (C)
        // locale.
        let theirs: [unsafe extern "C" fn(c_int) -> c_int; 16] = [
            libc::isalnum,
            libc::isalpha,
            libc::isblank,
            libc::iscntrl,
            libc::isdigit,
            libc::isgraph,
            libc::islower,
            libc::isprint,
            libc::ispunct,
            libc::isspace,
            libc::isupper,
            libc::isxdigit,
            host_isascii,
            libc::tolower,
            libc::toupper,
            host_toascii,
        ];
        let ours: [F; 16] = [
            isalnum, isalpha, isblank, iscntrl, isdigit, isgraph, islower, isprint, ispunct,
            isspace, isupper, isxdigit, isascii, tolower, toupper, toascii,
        ];
        for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
            for c in -1..=255 {
                // SAFETY: `c` is in the host's domain.
                let t = unsafe { t(c) };
                assert_eq!(o(c) != 0, t != 0, "function {i} at {c}");
                if i >= 13 {
                    assert_eq!(o(c), t, "function {i} at {c}");
                }
            }
        }
    }

    #[test]
    fn fixed_answers() {
        assert_eq!(isalpha(-1), 0);
        assert_eq!(isspace(0x0b), 1);
        assert_eq!(isprint(b' ' as c_int), 1);
        assert_eq!(isgraph(b' ' as c_int), 0);
        assert_eq!(toupper(b'q' as c_int), b'Q' as c_int);
        assert_eq!(tolower(-1), -1);
        assert_eq!(toupper(0xe9), 0xe9);
        assert_eq!(isascii(128), 0);
        assert_eq!(isascii(-1), 0);
    }
}
