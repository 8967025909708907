//! The raw `syscall` instruction, for zero to six arguments, and the
//! [`syscall!`](crate::syscall!) macro over them.
//!
//! The x86_64 convention, Linux's and so vibix's: the number goes in `rax`,
//! the arguments in `rdi rsi rdx r10 r8 r9` (`r10`, not the function-call
//! convention's `rcx`, because...), the result comes back in `rax`
//! (`-errno` on failure, see [`crate::errno::Errno::from_ret`]). ...the
//! instruction itself overwrites `rcx` (return address) and `r11` (saved
//! `rflags`), so both are clobbered; every other register survives. The
//! kernel may read and write user memory through the pointer arguments, so
//! no stub says `nomem`: to the compiler, each call may touch any memory
//! (the "memory" clobber). It never touches the user stack (`nostack`).
//!
//! The stubs return the raw `rax`. They are `unsafe` because they cannot
//! know what the kernel will do with their arguments; the typed wrappers of
//! the crates above state what each call needs to be sound. Compiled for
//! x86_64 only; under Miri, which cannot run inline assembly, no `asm!` is
//! compiled and the stubs panic.

/// Under Miri, which cannot run inline assembly, the stubs exist (so the
/// crates above them build and their pure logic can be tested) but panic
/// when called; no `asm!` is compiled.
#[cfg(miri)]
macro_rules! unsupported_under_miri {
    ($($name:ident($($arg:ident),*);)*) => {
        $(
            /// Panics: Miri cannot make system calls.
            ///
            /// # Safety
            ///
            /// None needed; it never returns.
            pub unsafe fn $name(nr: usize $(, $arg: usize)*) -> usize {
                let _ = ($($arg,)* nr);
                panic!("Miri cannot run the syscall instruction")
            }
        )*
    };
}

#[cfg(miri)]
unsupported_under_miri! {
    syscall0();
    syscall1(a1);
    syscall2(a1, a2);
    syscall3(a1, a2, a3);
    syscall4(a1, a2, a3, a4);
    syscall5(a1, a2, a3, a4, a5);
    syscall6(a1, a2, a3, a4, a5, a6);
}

// ANCHOR: syscall3
/// System call `nr` with three arguments.
///
/// # Safety
///
/// The call must not break an invariant Rust relies on: it must not write to
/// memory Rust considers borrowed or immutable, unmap memory still in use,
/// and so on. What that means depends on `nr`.
#[cfg(not(miri))]
#[inline]
pub unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> usize {
    let ret: usize;
    // SAFETY: the caller vouches for the call; the operands follow the
    // kernel's convention and every register `syscall` changes is declared.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
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
// ANCHOR_END: syscall3

/// System call `nr` with no arguments.
///
/// # Safety
///
/// As for [`syscall3`].
#[cfg(not(miri))]
#[inline]
pub unsafe fn syscall0(nr: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// System call `nr` with one argument.
///
/// # Safety
///
/// As for [`syscall3`].
#[cfg(not(miri))]
#[inline]
pub unsafe fn syscall1(nr: usize, a1: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
            in("rdi") a1,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// System call `nr` with two arguments.
///
/// # Safety
///
/// As for [`syscall3`].
#[cfg(not(miri))]
#[inline]
pub unsafe fn syscall2(nr: usize, a1: usize, a2: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
            in("rdi") a1,
            in("rsi") a2,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// System call `nr` with four arguments.
///
/// # Safety
///
/// As for [`syscall3`].
#[cfg(not(miri))]
#[inline]
pub unsafe fn syscall4(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
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

/// System call `nr` with five arguments.
///
/// # Safety
///
/// As for [`syscall3`].
#[cfg(not(miri))]
#[inline]
pub unsafe fn syscall5(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
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

/// System call `nr` with six arguments.
///
/// # Safety
///
/// As for [`syscall3`].
#[cfg(not(miri))]
#[inline]
pub unsafe fn syscall6(
    nr: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
    a6: usize,
) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
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

/// `syscall!(nr, a, b, …)`: the raw call with 0 to 6 arguments, each cast
/// to `usize` (so pointers and integers can be passed as they are). Expands
/// to an `unsafe` stub call: use it inside an `unsafe` block whose
/// `// SAFETY:` comment covers the call.
///
/// ```ignore
/// let ret = unsafe { syscall!(nr::WRITE, fd, buf.as_ptr(), buf.len()) };
/// ```
#[macro_export]
macro_rules! syscall {
    ($nr:expr) => {
        $crate::syscall::syscall0($nr)
    };
    ($nr:expr, $a1:expr) => {
        $crate::syscall::syscall1($nr, $a1 as usize)
    };
    ($nr:expr, $a1:expr, $a2:expr) => {
        $crate::syscall::syscall2($nr, $a1 as usize, $a2 as usize)
    };
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr) => {
        $crate::syscall::syscall3($nr, $a1 as usize, $a2 as usize, $a3 as usize)
    };
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr) => {
        $crate::syscall::syscall4($nr, $a1 as usize, $a2 as usize, $a3 as usize, $a4 as usize)
    };
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr) => {
        $crate::syscall::syscall5(
            $nr,
            $a1 as usize,
            $a2 as usize,
            $a3 as usize,
            $a4 as usize,
            $a5 as usize,
        )
    };
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $a6:expr) => {
        $crate::syscall::syscall6(
            $nr,
            $a1 as usize,
            $a2 as usize,
            $a3 as usize,
            $a4 as usize,
            $a5 as usize,
            $a6 as usize,
        )
    };
}
