//! `ill`: an invalid instruction kills the process with SIGILL.
//!
//! `ud2` is the instruction x86 defines to be undefined: it always raises
//! the invalid-opcode exception (#UD), which the kernel must turn into
//! SIGILL for the process, not a kernel panic.

#![no_std]
#![no_main]

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    vrt::println!("about to execute ud2");
    // SAFETY: deliberately not safe: `ud2` traps and the kernel kills the
    // process, so execution never continues past it.
    unsafe { core::arch::asm!("ud2", options(noreturn, nomem, nostack)) }
}
