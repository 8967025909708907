//! Self-checking output for the test programs.
//!
//! Each check prints one line: `ok: <what>` if it holds, or
//! `FAIL: <what>: <details>` and then the program exits with status 1. The
//! lines go to stdout, so ok and FAIL lines stay in order. The details show
//! the values involved; they only appear on failure, so a passing run's
//! output never depends on addresses or other run-to-run values.
//!
//! ```ignore
//! vrt::check!(size > 0, "the file is not empty");
//! vrt::check_eq!(io::write_raw(1, ptr::null(), 5), Err(Errno::EFAULT),
//!                "write(1, NULL, 5) -> EFAULT");
//! let fd = vrt::check_ok!(fs::open(c"etc/motd", O_RDONLY, 0), "open etc/motd");
//! ```

use core::fmt;

use crate::process::exit_process;

/// The exit status of a program with a failed check.
pub const FAIL_EXIT_STATUS: i32 = 1;

/// Reports a check that held.
pub fn pass(what: fmt::Arguments<'_>) {
    crate::println!("ok: {what}");
}

/// Reports a check that failed, and exits with status 1.
pub fn fail(what: fmt::Arguments<'_>, details: fmt::Arguments<'_>) -> ! {
    crate::println!("FAIL: {what}: {details}");
    exit_process(FAIL_EXIT_STATUS)
}

/// Prints the line that ends every passing run.
pub fn all_passed() {
    crate::println!("ok: all checks passed");
}

/// Checks that a condition holds.
#[macro_export]
macro_rules! check {
    ($cond:expr, $($what:tt)+) => {
        if $cond {
            $crate::check::pass(format_args!($($what)+))
        } else {
            $crate::check::fail(
                format_args!($($what)+),
                format_args!("`{}` is false", stringify!($cond)),
            )
        }
    };
}

/// Checks that two values are equal (both must be `PartialEq` and `Debug`).
#[macro_export]
macro_rules! check_eq {
    ($left:expr, $right:expr, $($what:tt)+) => {
        match (&$left, &$right) {
            (left, right) => {
                if *left == *right {
                    $crate::check::pass(format_args!($($what)+))
                } else {
                    $crate::check::fail(
                        format_args!($($what)+),
                        format_args!("got {:?}, expected {:?}", left, right),
                    )
                }
            }
        }
    };
}

/// Checks that a `Result` is `Ok`, and evaluates to the value inside.
#[macro_export]
macro_rules! check_ok {
    ($result:expr, $($what:tt)+) => {
        match $result {
            Ok(value) => {
                $crate::check::pass(format_args!($($what)+));
                value
            }
            Err(error) => $crate::check::fail(
                format_args!($($what)+),
                format_args!("got Err({:?})", error),
            ),
        }
    };
}
