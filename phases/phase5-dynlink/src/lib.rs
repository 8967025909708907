//! `pirt`, the position-independent runtime: the least a `#![no_std]`
//! static PIE needs to run on vibix (or, unchanged, on Linux): `_start`,
//! which applies the program's own relocations before any Rust code reads
//! a pointer from memory ([`relocate`]), the initial stack, unbuffered
//! printing and `exit`.
//!
//! A program names its main function with [`entry!`](crate::entry); main
//! gets the initial stack and the address the program was loaded at.

#![no_std]

pub mod elf;
pub mod print;
pub mod relocate;
pub mod start;

pub use vibix_uapi as uapi;

/// Ends the process with `status`.
pub fn exit(status: i32) -> ! {
    // SAFETY: exit_group takes no pointer and does not return.
    unsafe {
        uapi::syscall::syscall1(uapi::nr::EXIT_GROUP, status as usize);
    }
    unreachable!("exit_group returned")
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    crate::println!("panic: {}", info.message());
    exit(101)
}
