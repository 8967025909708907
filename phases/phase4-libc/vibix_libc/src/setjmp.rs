//! `<setjmp.h>`: non-local jumps: `setjmp`, `longjmp`, `_setjmp`,
//! `_longjmp`, `sigsetjmp`, `siglongjmp` (and glibc's `__sigsetjmp`,
//! which glibc's `sigsetjmp` macro calls, so that programs compiled
//! against glibc's headers link too).
//!
//! `jmp_buf` has glibc's layout (200 bytes): the callee-saved registers
//! `rbx rbp r12 r13 r14 r15`, the stack pointer and the return address,
//! then whether the signal mask was saved and the mask. As in glibc since
//! 2.19, `setjmp` does not save the signal mask (System V); `sigsetjmp`
//! with a nonzero `savemask` does, and `siglongjmp` (the same function as
//! `longjmp`) then restores it with `rt_sigprocmask`. The functions are
//! naked: they must see the caller's registers and stack exactly.

use vibix_uapi::nr;
use vibix_uapi::signal::{SIG_BLOCK, SIG_SETMASK};

use crate::types::{c_int, c_long, c_ulong};

/// One saved context. `jmp_buf` is an array of one, so that it is passed
/// by reference.
#[repr(C)]
pub struct __jmp_buf_tag {
    /// `rbx rbp r12 r13 r14 r15 rsp rip`.
    pub __jmpbuf: [c_long; 8],
    /// Nonzero if `__saved_mask` holds the signal mask to restore.
    pub __mask_was_saved: c_int,
    /// The signal mask (glibc's 1024-bit `sigset_t`; the kernel uses the
    /// first 64 bits).
    pub __saved_mask: [c_ulong; 16],
}

/// The context `setjmp` saves and `longjmp` returns to.
pub type jmp_buf = [__jmp_buf_tag; 1];
/// The same, for `sigsetjmp` and `siglongjmp`.
pub type sigjmp_buf = [__jmp_buf_tag; 1];

/// The size in bytes of the kernel's signal mask.
const KERNEL_SIGSET: usize = 8;

/// Saves the calling context in `env` (not the signal mask); returns 0,
/// then again `val` (1 for 0) each time `longjmp(env, val)` comes back.
///
/// # Safety
///
/// `env` valid for writes. A `longjmp` to it is valid only while the
/// function that called `setjmp` has not returned; C's rules on local
/// variables changed in between apply.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[unsafe(naked)]
pub unsafe extern "C" fn setjmp(env: *mut __jmp_buf_tag) -> c_int {
    core::arch::naked_asm!(
        "mov [rdi], rbx",
        "mov [rdi + 8], rbp",
        "mov [rdi + 16], r12",
        "mov [rdi + 24], r13",
        "mov [rdi + 32], r14",
        "mov [rdi + 40], r15",
        // The caller's stack pointer once this returns, and where to.
        "lea rdx, [rsp + 8]",
        "mov [rdi + 48], rdx",
        "mov rdx, [rsp]",
        "mov [rdi + 56], rdx",
        "mov dword ptr [rdi + 64], 0",
        "xor eax, eax",
        "ret",
    )
}

/// `setjmp` under its BSD name for "without the signal mask".
///
/// # Safety
///
/// As [`setjmp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
#[unsafe(naked)]
pub unsafe extern "C" fn _setjmp(env: *mut __jmp_buf_tag) -> c_int {
    core::arch::naked_asm!("jmp {}", sym setjmp)
}

/// As [`setjmp`], and if `savemask` is nonzero also saves the signal mask,
/// which `siglongjmp` then restores.
///
/// # Safety
///
/// As [`setjmp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
#[unsafe(naked)]
pub unsafe extern "C" fn sigsetjmp(env: *mut __jmp_buf_tag, savemask: c_int) -> c_int {
    core::arch::naked_asm!(
        "mov [rdi], rbx",
        "mov [rdi + 8], rbp",
        "mov [rdi + 16], r12",
        "mov [rdi + 24], r13",
        "mov [rdi + 32], r14",
        "mov [rdi + 40], r15",
        "lea rdx, [rsp + 8]",
        "mov [rdi + 48], rdx",
        "mov rdx, [rsp]",
        "mov [rdi + 56], rdx",
        "xor eax, eax",
        "test esi, esi",
        "setnz al",
        "mov [rdi + 64], eax",
        "jz 2f",
        // rt_sigprocmask(SIG_BLOCK, NULL, &env->__saved_mask, 8): reads
        // the mask without changing it.
        "lea rdx, [rdi + 72]",
        "mov edi, {block}",
        "xor esi, esi",
        "mov r10d, {size}",
        "mov eax, {nr}",
        "syscall",
        "2:",
        "xor eax, eax",
        "ret",
        block = const SIG_BLOCK,
        size = const KERNEL_SIGSET,
        nr = const nr::RT_SIGPROCMASK,
    )
}

/// glibc's name for [`sigsetjmp`] (its header's `sigsetjmp` is a macro
/// calling it).
///
/// # Safety
///
/// As [`setjmp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
#[unsafe(naked)]
pub unsafe extern "C" fn __sigsetjmp(env: *mut __jmp_buf_tag, savemask: c_int) -> c_int {
    core::arch::naked_asm!("jmp {}", sym sigsetjmp)
}

/// Returns to the context saved in `env`, where `setjmp` then returns
/// `val` (1 if `val` is 0); restores the signal mask if `sigsetjmp` saved
/// it.
///
/// # Safety
///
/// `env` was filled by `setjmp` (or `sigsetjmp`) in a function that has
/// not returned since, on this thread.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[unsafe(naked)]
pub unsafe extern "C" fn longjmp(env: *mut __jmp_buf_tag, val: c_int) -> ! {
    core::arch::naked_asm!(
        // r8 = env, r9d = the value to return (1 for 0): the system call
        // below keeps both (it clobbers only rax, rcx and r11).
        "mov r8, rdi",
        "mov r9d, esi",
        "test r9d, r9d",
        "jnz 2f",
        "mov r9d, 1",
        "2:",
        "cmp dword ptr [r8 + 64], 0",
        "je 3f",
        // rt_sigprocmask(SIG_SETMASK, &env->__saved_mask, NULL, 8).
        "mov edi, {setmask}",
        "lea rsi, [r8 + 72]",
        "xor edx, edx",
        "mov r10d, {size}",
        "mov eax, {nr}",
        "syscall",
        "3:",
        "mov rbx, [r8]",
        "mov rbp, [r8 + 8]",
        "mov r12, [r8 + 16]",
        "mov r13, [r8 + 24]",
        "mov r14, [r8 + 32]",
        "mov r15, [r8 + 40]",
        "mov rsp, [r8 + 48]",
        "mov eax, r9d",
        "jmp qword ptr [r8 + 56]",
        setmask = const SIG_SETMASK,
        size = const KERNEL_SIGSET,
        nr = const nr::RT_SIGPROCMASK,
    )
}

/// [`longjmp`] under its BSD name.
///
/// # Safety
///
/// As [`longjmp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
#[unsafe(naked)]
pub unsafe extern "C" fn _longjmp(env: *mut __jmp_buf_tag, val: c_int) -> ! {
    core::arch::naked_asm!("jmp {}", sym longjmp)
}

/// [`longjmp`] for a context from `sigsetjmp`.
///
/// # Safety
///
/// As [`longjmp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
#[unsafe(naked)]
pub unsafe extern "C" fn siglongjmp(env: *mut __jmp_buf_tag, val: c_int) -> ! {
    core::arch::naked_asm!("jmp {}", sym longjmp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn glibc_layout() {
        assert_eq!(size_of::<jmp_buf>(), 200);
        assert_eq!(align_of::<jmp_buf>(), 8);
        assert_eq!(offset_of!(__jmp_buf_tag, __mask_was_saved), 64);
        assert_eq!(offset_of!(__jmp_buf_tag, __saved_mask), 72);
        assert_eq!(size_of::<sigjmp_buf>(), 200);
    }

    /// Jumps back into `jump_twice`'s frame from a deeper one. The test
    /// stays inside `extern "C"` functions whose only state across the
    /// jump is in memory, never in a register the jump restores.
    #[inline(never)]
    unsafe extern "C" fn deeper(env: *mut __jmp_buf_tag, val: c_int) {
        // SAFETY: `env` was saved by a frame still live.
        unsafe { longjmp(env, val) }
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri cannot run inline assembly")]
    fn jumps_back_with_the_value() {
        use core::sync::atomic::{AtomicI32, Ordering};
        static SEEN: AtomicI32 = AtomicI32::new(0);
        static ROUND: AtomicI32 = AtomicI32::new(0);
        let mut env = core::mem::MaybeUninit::<jmp_buf>::uninit();
        let env = env.as_mut_ptr().cast::<__jmp_buf_tag>();
        // SAFETY: `env` lives in this frame, which stays live across every
        // jump; the state that changes between the returns lives in
        // statics (memory), as C requires for locals.
        let r = unsafe { core::hint::black_box(setjmp(core::hint::black_box(env))) };
        SEEN.fetch_add(r, Ordering::SeqCst);
        let round = ROUND.fetch_add(1, Ordering::SeqCst);
        if round == 0 {
            // SAFETY: as above.
            unsafe { deeper(env, 0) };
        } else if round == 1 {
            // SAFETY: as above.
            unsafe { deeper(env, 42) };
        }
        // 0 from setjmp, 1 for longjmp(env, 0), 42.
        assert_eq!(SEEN.load(Ordering::SeqCst), 43);
    }
}
