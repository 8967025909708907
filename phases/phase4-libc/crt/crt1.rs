//! `crt1.o`: a C program's entry point, `_start`.
//!
//! The kernel starts the program here with the initial stack (argc, argv,
//! envp, auxv) at `rsp`. `_start` clears the frame pointer (the end of
//! every backtrace), passes `main` and that stack pointer to vibix_libc's
//! `__libc_start_main`, which never returns, on a 16-byte aligned stack as
//! the System V ABI wants at a call. The runner compiles this file with
//! `rustc --emit=obj` into the sysroot's `lib/crt1.o`.

#![no_std]

// ANCHOR: start
core::arch::global_asm!(
    ".text",
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    xor ebp, ebp",
    "    mov rsi, rsp",
    "    and rsp, -16",
    "    lea rdi, [rip + main]",
    "    call __libc_start_main",
    "    ud2",
    ".size _start, . - _start",
);
// ANCHOR_END: start
