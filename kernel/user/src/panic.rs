//! What a panic does: print the message to stderr and exit with status 101
//! (the status a Rust program with std exits with after a panic).
//!
//! The programs are built with `panic = "abort"`, so there is no unwinding:
//! the handler is the end of the road.

use core::panic::PanicInfo;

use crate::process::exit_process;

/// The exit status of a panicked program.
pub const PANIC_EXIT_STATUS: i32 = 101;

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    // `PanicInfo`'s Display reads "panicked at src/bin/x.rs:1:2:\nmessage".
    crate::eprintln!("{info}");
    exit_process(PANIC_EXIT_STATUS)
}
