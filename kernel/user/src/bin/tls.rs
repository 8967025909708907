//! `tls`: thread-local storage as the vibix kernel sets it up.
//!
//! x86_64 uses TLS "variant II": the thread pointer (the FS segment base)
//! points at a thread control block (TCB) whose first word points to itself,
//! and the TLS block, a copy of the executable's PT_TLS image (`.tdata`
//! followed by zeroed `.tbss`), lies just below it. A static executable uses
//! the local-exec model: every `#[thread_local]` access is `fs:` plus a
//! negative offset that the linker computed.
//!
//! vibix sets all this up for the first thread of a static executable. Linux
//! does not (it leaves that to libc), so on Linux this program reports a FAIL
//! before touching any thread-local; the runner does not compare it with
//! Linux.

#![no_std]
#![no_main]
#![feature(thread_local)]

use vrt::{check, check_eq};

vrt::entry!(main);

/// Initialized thread-local data: lives in `.tdata`.
#[thread_local]
static mut INITIALIZED: u64 = 0x1234_5678_9abc_def0;

/// Zero-initialized thread-local data: lives in `.tbss`, which the kernel
/// must clear (the image in the file has no bytes for it).
#[thread_local]
static mut ZEROED: [u64; 8] = [0; 8];

fn main(_args: &vrt::Args) -> i32 {
    let fs_base = vrt::check_ok!(vrt::process::fs_base(), "arch_prctl(ARCH_GET_FS)");
    check!(fs_base != 0, "the FS base (thread pointer) is set");

    let self_pointer: usize;
    // SAFETY: the FS base is non-zero, and the kernel contract is that it
    // points at a TCB whose first word is readable.
    unsafe {
        core::arch::asm!(
            "mov {}, fs:0",
            out(reg) self_pointer,
            options(nostack, readonly, preserves_flags),
        );
    }
    check_eq!(
        self_pointer,
        fs_base,
        "fs:0 == FS base (the TCB points to itself)"
    );

    // The TLS block lies below the thread pointer (variant II).
    let initialized_addr = (&raw const INITIALIZED).addr();
    let zeroed_addr = (&raw const ZEROED).addr();
    check!(
        initialized_addr < fs_base,
        "the .tdata variable is below the thread pointer"
    );
    check!(
        zeroed_addr < fs_base,
        "the .tbss variable is below the thread pointer"
    );

    // Volatile accesses through raw pointers, so that the compiler really
    // goes to the TLS block for each value instead of assuming it.
    let initialized = &raw mut INITIALIZED;
    let zeroed = &raw mut ZEROED;
    // SAFETY: this program has one thread, and the pointers come from the
    // thread-locals themselves, so they are valid, aligned and unaliased.
    unsafe {
        check_eq!(
            initialized.read_volatile(),
            0x1234_5678_9abc_def0,
            ".tdata initial value"
        );
        check_eq!(
            zeroed.read_volatile(),
            [0; 8],
            ".tbss initial value is zero"
        );

        initialized.write_volatile(0x0fed_cba9_8765_4321);
        zeroed.cast::<u64>().add(3).write_volatile(42);
        check_eq!(
            initialized.read_volatile(),
            0x0fed_cba9_8765_4321,
            ".tdata write reads back"
        );
        check_eq!(
            zeroed.read_volatile(),
            [0, 0, 0, 42, 0, 0, 0, 0],
            ".tbss write reads back"
        );
    }

    vrt::check::all_passed();
    0
}
