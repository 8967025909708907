//! How `ld-vibix` fails: one line on stderr, `ld-vibix: <object>: <what>`,
//! and exit status 127, as glibc's dynamic linker does, before the program
//! has run any of its code.

use core::fmt;

/// Prints `ld-vibix: <object>: <what>` and exits with 127.
pub fn die(object: &[u8], what: fmt::Arguments<'_>) -> ! {
    let name = core::str::from_utf8(object).unwrap_or("?");
    pirt::eprintln!("ld-vibix: {name}: {what}");
    pirt::exit(127)
}

/// [`die`] with a formatted message.
#[macro_export]
macro_rules! die {
    ($object:expr, $($arg:tt)*) => {
        $crate::fail::die($object, format_args!($($arg)*))
    };
}
