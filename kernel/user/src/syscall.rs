//! The raw `syscall` instruction, for zero to six arguments.
//!
//! The x86_64 system call convention (Linux's, and so vibix's):
//!
//! - `rax` holds the call number on entry and the result on return;
//! - the arguments go in `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`, in that
//!   order (`r10` replaces the function-call convention's `rcx`, because...
//! - ...the `syscall` instruction itself overwrites `rcx` with the return
//!   address and `r11` with the saved `rflags`), so both are clobbered;
//! - every other register is preserved; the kernel does not touch the user
//!   stack, so the calls are `nostack`;
//! - an error comes back as a small negative number, `-errno` (see
//!   [`crate::errno::Errno::from_ret`]).
//!
//! The stubs return the raw `rax`. They cannot know what the kernel will do
//! with their arguments (a pointer may be written through, memory may be
//! unmapped), so they are all `unsafe`; the typed wrappers in the other
//! modules state what each call needs to be sound.

use core::arch::asm;

/// Makes system call `n` with no arguments.
///
/// # Safety
///
/// The call must not break any invariant Rust relies on: it must not write
/// to memory Rust considers borrowed or immutable, unmap memory still in use,
/// and so on. What that means depends on `n`.
#[inline]
pub unsafe fn syscall0(n: usize) -> usize {
    let ret: usize;
    // SAFETY: the caller guarantees that call `n` is sound; the asm follows
    // the kernel's convention and declares every register `syscall` changes.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Makes system call `n` with one argument.
///
/// # Safety
///
/// As for [`syscall0`], for call `n` with these arguments.
#[inline]
pub unsafe fn syscall1(n: usize, a1: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Makes system call `n` with two arguments.
///
/// # Safety
///
/// As for [`syscall0`], for call `n` with these arguments.
#[inline]
pub unsafe fn syscall2(n: usize, a1: usize, a2: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            in("rsi") a2,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Makes system call `n` with three arguments.
///
/// # Safety
///
/// As for [`syscall0`], for call `n` with these arguments.
#[inline]
pub unsafe fn syscall3(n: usize, a1: usize, a2: usize, a3: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Makes system call `n` with four arguments.
///
/// # Safety
///
/// As for [`syscall0`], for call `n` with these arguments.
#[inline]
pub unsafe fn syscall4(n: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Makes system call `n` with five arguments.
///
/// # Safety
///
/// As for [`syscall0`], for call `n` with these arguments.
#[inline]
pub unsafe fn syscall5(n: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            in("r8") a5,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Makes system call `n` with six arguments.
///
/// # Safety
///
/// As for [`syscall0`], for call `n` with these arguments.
#[inline]
pub unsafe fn syscall6(
    n: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
    a6: usize,
) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            in("r8") a5,
            in("r9") a6,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}
