//! `<stdlib.h>`: ending the program: `exit`, `_Exit`.

use crate::types::c_int;

/// Ends the program with `status`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn exit(status: c_int) -> ! {
    crate::stdio::flush_all();
    vibix_abi::process::exit(status)
}

/// Ends the program at once: no `atexit` handlers, no flushing.
#[allow(non_snake_case)] // C's name
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn _Exit(status: c_int) -> ! {
    vibix_abi::process::exit(status)
}
