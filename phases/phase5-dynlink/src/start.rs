//! Where a pirt program begins: `_start`, and the [`entry!`](crate::entry)
//! macro naming the program's main function.
//!
//! `_start` (assembly: no stack frame to build on yet) takes three
//! addresses the registers can give without reading memory: the initial
//! stack pointer, the object's load address (`__ehdr_start`, the ELF
//! header, which the linker places at the object's first byte) and its
//! dynamic section (`_DYNAMIC`), both computed relative to the instruction
//! pointer. `start_rust` relocates the object, then calls main.

use vibix_uapi::start::InitialStack;

/// What main gets: the initial stack (read) and where it starts in
/// memory, and the object's load address.
pub struct Start {
    pub stack: InitialStack,
    /// The initial stack pointer, untouched (an interpreter hands it on).
    pub sp: *const usize,
    /// Where the object was loaded: the address of its ELF header.
    pub base: usize,
}

/// The `_start` of every pirt program.
///
/// # Safety
///
/// Only the kernel may start it, with the System V initial stack.
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "xor ebp, ebp",
        "mov rdi, rsp",
        "lea rsi, [rip + __ehdr_start]",
        "lea rdx, [rip + _DYNAMIC]",
        "and rsp, -16",
        "call {start_rust}",
        "ud2",
        start_rust = sym start_rust,
    )
}

/// Relocates the program, then runs main and exits with its status.
///
/// # Safety
///
/// Only `_start` calls it, with the initial stack pointer and the
/// object's loaded ELF header and dynamic section.
unsafe extern "C" fn start_rust(sp: *const usize, base: usize, dynamic: *const [usize; 2]) -> ! {
    // SAFETY: `_start` computed both addresses from the running code.
    if unsafe { crate::relocate::relocate(base, dynamic) }.is_err() {
        // Nothing that reads a pointer may run: no formatting here.
        crate::print::write_str(2, "pirt: unsupported relocation\n");
        crate::exit(127);
    }
    // SAFETY: `sp` is the untouched initial stack pointer.
    let stack = unsafe { InitialStack::parse(sp) };
    // SAFETY: the program defines `__pirt_main` with `entry!`.
    let status = unsafe { __pirt_main(&Start { stack, sp, base }) };
    crate::exit(status)
}

unsafe extern "Rust" {
    /// The program's main, named by [`entry!`](crate::entry).
    fn __pirt_main(start: &Start) -> i32;
}

/// Names the program's main: `pirt::entry!(main);` with
/// `fn main(start: &pirt::start::Start) -> i32`.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        /// Called by pirt's `_start` once the program is relocated.
        #[unsafe(no_mangle)]
        fn __pirt_main(start: &$crate::start::Start) -> i32 {
            let main: fn(&$crate::start::Start) -> i32 = $main;
            main(start)
        }
    };
}
