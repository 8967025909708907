//! `<getopt.h>`: long options: `getopt_long`, `getopt_long_only` and
//! `struct option`; the parser and its globals are `getopt`'s
//! (`unistd/getopt.rs`, whose documentation says how it behaves). A long
//! option is `--name`, `--name=value` or (for `required_argument`)
//! `--name value`; a unique prefix of a name is accepted.
//!
//! ```c
//! #include <unistd.h>
//! ```

use crate::types::{c_char, c_int};
use crate::unistd::getopt::{Long, LongOpt, parse};

/// One long option: its name, whether it takes an argument, and what to
/// return (or store through `flag`, returning 0) when it is found.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct option {
    pub name: *const c_char,
    pub has_arg: c_int,
    pub flag: *mut c_int,
    pub val: c_int,
}

#[allow(non_upper_case_globals)]
pub const no_argument: c_int = 0;
#[allow(non_upper_case_globals)]
pub const required_argument: c_int = 1;
#[allow(non_upper_case_globals)]
pub const optional_argument: c_int = 2;

/// Converts the C table to the parser's view.
///
/// # Safety
///
/// `longopts` must end with an entry whose name is NULL.
unsafe fn table(longopts: *const option) -> *const LongOpt {
    // `LongOpt` is declared field for field as `option` (checked below).
    const _: () = assert!(core::mem::size_of::<LongOpt>() == core::mem::size_of::<option>());
    longopts.cast()
}

/// `getopt` with long options `--name`.
///
/// # Safety
///
/// As `getopt`; `longopts` ends with an all-zero entry, `longindex` is
/// NULL or points to an `int`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getopt_long(
    argc: c_int,
    argv: *const *mut c_char,
    optstring: *const c_char,
    longopts: *const option,
    longindex: *mut c_int,
) -> c_int {
    let long = Long {
        // SAFETY: the caller's contract.
        options: unsafe { table(longopts) },
        index: longindex,
        only: false,
    };
    // SAFETY: the caller's contract.
    unsafe { parse(argc, argv, optstring, Some(long)) }
}

/// [`getopt_long`] where `-name` is a long option too.
///
/// # Safety
///
/// As [`getopt_long`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getopt_long_only(
    argc: c_int,
    argv: *const *mut c_char,
    optstring: *const c_char,
    longopts: *const option,
    longindex: *mut c_int,
) -> c_int {
    let long = Long {
        // SAFETY: the caller's contract.
        options: unsafe { table(longopts) },
        index: longindex,
        only: true,
    };
    // SAFETY: the caller's contract.
    unsafe { parse(argc, argv, optstring, Some(long)) }
}
