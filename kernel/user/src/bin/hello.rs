//! `hello`: the smallest program. Prints one line and exits with status 0.
//!
//! It proves that the kernel loads an ELF executable, enters it at `_start`
//! with a usable stack, and implements `write` and `exit`.

#![no_std]
#![no_main]

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    vrt::println!("hello from vibix user space");
    0
}
