//! `<stdlib.h>`: integer arithmetic: `abs`, `labs`, `llabs`, `div`,
//! `ldiv`, `lldiv` and their result structures. The absolute value of the
//! most negative number is undefined in C; here it wraps to itself, as
//! the machine instruction glibc compiles to does.

use crate::types::{c_int, c_long, c_longlong};

/// `div`'s quotient and remainder.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct div_t {
    pub quot: c_int,
    pub rem: c_int,
}

/// `ldiv`'s quotient and remainder.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ldiv_t {
    pub quot: c_long,
    pub rem: c_long,
}

/// `lldiv`'s quotient and remainder.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct lldiv_t {
    pub quot: c_longlong,
    pub rem: c_longlong,
}

/// The absolute value of `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn abs(n: c_int) -> c_int {
    n.wrapping_abs()
}

/// The absolute value of `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn labs(n: c_long) -> c_long {
    n.wrapping_abs()
}

/// The absolute value of `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn llabs(n: c_longlong) -> c_longlong {
    n.wrapping_abs()
}

/// `n / d` rounded toward zero, and the remainder. `d` must not be 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn div(n: c_int, d: c_int) -> div_t {
    div_t {
        quot: n.wrapping_div(d),
        rem: n.wrapping_rem(d),
    }
}

/// As [`div`], for `long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ldiv(n: c_long, d: c_long) -> ldiv_t {
    ldiv_t {
        quot: n.wrapping_div(d),
        rem: n.wrapping_rem(d),
    }
}

/// As [`div`], for `long long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lldiv(n: c_longlong, d: c_longlong) -> lldiv_t {
    lldiv_t {
        quot: n.wrapping_div(d),
        rem: n.wrapping_rem(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(abs(-5), 5);
        assert_eq!(abs(c_int::MIN), c_int::MIN);
        assert_eq!(labs(-7), 7);
        assert_eq!(llabs(c_longlong::MIN + 1), c_longlong::MAX);
        assert_eq!(div(-7, 2), div_t { quot: -3, rem: -1 });
        assert_eq!(ldiv(7, -2), ldiv_t { quot: -3, rem: 1 });
        assert_eq!(lldiv(-7, -2), lldiv_t { quot: 3, rem: -1 });
    }

    unsafe extern "C" {
        // The host's, under another Rust name (the `libc` crate lacks it).
        #[link_name = "div"]
        fn host_div(n: c_int, d: c_int) -> div_t;
        #[link_name = "lldiv"]
        fn host_lldiv(n: c_longlong, d: c_longlong) -> lldiv_t;
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls the host C library")]
    fn layouts_and_glibc() {
        // glibc's layouts: two `int`s, two `long`s, two `long long`s.
        assert_eq!(
            (
                size_of::<div_t>(),
                size_of::<ldiv_t>(),
                size_of::<lldiv_t>()
            ),
            (8, 16, 16)
        );
        assert_eq!(core::mem::offset_of!(ldiv_t, rem), 8);
        for (n, d) in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (c_int::MAX, 3)] {
            // SAFETY: `d` is never 0.
            let t = unsafe { host_div(n, d) };
            assert_eq!(div(n, d), t);
            // SAFETY: as above.
            let t = unsafe { host_lldiv(n.into(), d.into()) };
            assert_eq!(lldiv(n.into(), d.into()), t);
        }
    }
}
