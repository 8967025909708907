//! Where a process begins: `_start`, and the [`entry!`](crate::entry) macro
//! that connects it to the program's `main`.
//!
//! The kernel jumps to the ELF entry point, `_start`, with `rsp` pointing at
//! argc (see [`crate::args`]) and nothing else set up: no return address, and
//! the general registers hold nothing we may rely on. `_start` is therefore
//! written in assembly (a naked function: no prologue, as there is no proper
//! stack frame to build on) and does the least possible before calling Rust:
//!
//! 1. `xor ebp, ebp`: a zero frame pointer marks the outermost frame for
//!    debuggers and backtraces;
//! 2. `mov rdi, rsp`: the initial stack pointer becomes the first argument;
//! 3. `and rsp, -16`: the ABI requires `rsp` to be a multiple of 16 just
//!    before a `call` (the kernel should already have done it; this makes
//!    sure);
//! 4. `call`: pushes a return address, so the callee sees `rsp` = 8 mod 16,
//!    exactly as after any ordinary call. It never returns; `ud2` is there
//!    in case it does.
//!
//! `_start` itself comes from `vibix_uapi::entry_point!`, which std's
//! `vibix_abi` uses too.

use crate::args::Args;
use crate::process::exit;

// The ELF entry point, `_start` (`vibix_uapi::entry_point!`), which calls
// `start_rust` with the initial stack pointer.
vibix_uapi::entry_point!(start_rust);

/// The address of `_start`, which the kernel reports as `AT_ENTRY`.
pub fn entry_point() -> usize {
    (_start as *const ()).addr()
}

/// The first Rust code to run: reads the initial stack, runs `main`, and
/// exits with its return value.
///
/// # Safety
///
/// `stack` must be the initial stack pointer (only `_start` calls this).
unsafe extern "C" fn start_rust(stack: *const usize) -> ! {
    // SAFETY: `_start` passes the untouched initial stack pointer, and
    // nothing ever writes above it.
    let args = unsafe { Args::from_initial_stack(stack) };
    // SAFETY: the program defines `__vrt_main` with `entry!`, which gives it
    // exactly this signature.
    let status = unsafe { __vrt_main(&args) };
    exit(status)
}

unsafe extern "Rust" {
    /// The program's `main`, named by [`entry!`](crate::entry).
    fn __vrt_main(args: &Args) -> i32;
}

/// Names the program's main function: `vrt::entry!(main);` with
/// `fn main(args: &vrt::Args) -> i32`. The returned value is the exit status.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        /// Called by `vrt`'s `_start`: runs the program's main function.
        #[unsafe(no_mangle)]
        fn __vrt_main(args: &$crate::Args) -> i32 {
            let main: fn(&$crate::Args) -> i32 = $main;
            main(args)
        }
    };
}
