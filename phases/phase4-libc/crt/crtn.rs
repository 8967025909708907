//! `crtn.o`: the closings of `_init` and `_fini` (see `crti.rs`): the
//! stack adjustment of the opening undone, and `ret`. The runner compiles
//! this file with `rustc --emit=obj` into `lib/crtn.o`.

#![no_std]

core::arch::global_asm!(
    ".section .init, \"ax\", @progbits",
    "    pop rax",
    "    ret",
    ".section .fini, \"ax\", @progbits",
    "    pop rax",
    "    ret",
    ".text",
);
