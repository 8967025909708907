//! The raw `syscall` instruction.
//!
//! The x86_64 convention, Linux's and so vibix's: the number goes in `rax`,
//! the arguments in `rdi rsi rdx r10 r8 r9`, the result comes back in `rax`
//! (`-errno` on failure, see [`crate::errno`]). The instruction itself
//! overwrites `rcx` (return address) and `r11` (saved `rflags`), so both are
//! clobbered; every other register survives. The kernel may read and write
//! user memory through the pointer arguments, so no stub says `nomem`: to
//! the compiler, each call may touch any memory. It never touches the user
//! stack (`nostack`).
//!
//! The stubs return the raw value. They are `unsafe` because they cannot know
//! what the kernel will do with their arguments; the typed wrappers in the
//! other modules state what each call needs to be sound.

// ANCHOR: syscall3
/// System call `nr` with three arguments.
///
/// # Safety
///
/// The call must not break an invariant Rust relies on: it must not write to
/// memory Rust considers borrowed or immutable, unmap memory still in use,
/// and so on. What that means depends on `nr`.
#[inline]
pub unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller vouches for the call; the operands follow the
    // kernel's convention and every register `syscall` changes is declared.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
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
#[inline]
pub unsafe fn syscall0(nr: usize) -> isize {
    let ret: isize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
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
#[inline]
pub unsafe fn syscall1(nr: usize, a1: usize) -> isize {
    let ret: isize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
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
#[inline]
pub unsafe fn syscall2(nr: usize, a1: usize, a2: usize) -> isize {
    let ret: isize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
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
#[inline]
pub unsafe fn syscall4(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> isize {
    let ret: isize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
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
#[inline]
pub unsafe fn syscall5(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> isize {
    let ret: isize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
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
#[inline]
pub unsafe fn syscall6(
    nr: usize,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
    a6: usize,
) -> isize {
    let ret: isize;
    // SAFETY: as in `syscall3`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr as isize => ret,
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
