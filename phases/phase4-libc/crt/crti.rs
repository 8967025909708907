//! `crti.o`: the openings of `_init` and `_fini`, in the `.init` and
//! `.fini` sections.
//!
//! As on Linux, the linker concatenates every object's `.init` (and
//! `.fini`) section in link order: `crti.o`'s opening, then whatever the
//! program's objects put there, then `crtn.o`'s closing `ret`. vibix_libc
//! runs constructors from `.init_array` and never calls `_init` itself,
//! but gcc-compiled code may name `_init`, so the symbols exist. The
//! runner compiles this file with `rustc --emit=obj` into `lib/crti.o`.

#![no_std]

core::arch::global_asm!(
    ".section .init, \"ax\", @progbits",
    ".globl _init",
    ".type _init, @function",
    "_init:",
    "    push rax",
    ".section .fini, \"ax\", @progbits",
    ".globl _fini",
    ".type _fini, @function",
    "_fini:",
    "    push rax",
    ".text",
);
