//! The process itself: `exit` (60) and `arch_prctl` (158).

use core::arch::asm;

use crate::errno::Errno;
use crate::nr;
use crate::syscall::syscall2;

/// `arch_prctl` codes: set or get the FS or GS segment base.
pub const ARCH_SET_GS: u32 = vibix_uapi::prctl::ARCH_SET_GS as u32;
pub const ARCH_SET_FS: u32 = vibix_uapi::prctl::ARCH_SET_FS as u32;
pub const ARCH_GET_FS: u32 = vibix_uapi::prctl::ARCH_GET_FS as u32;
pub const ARCH_GET_GS: u32 = vibix_uapi::prctl::ARCH_GET_GS as u32;

/// Ends the process with exit status `code` (its low 8 bits, as the parent
/// sees them). Never returns.
pub fn exit(code: i32) -> ! {
    // SAFETY: `exit` ends the process; nothing runs after it, so nothing can
    // observe a broken invariant. The asm is `noreturn` because the kernel
    // never comes back here.
    unsafe {
        asm!(
            "syscall",
            in("rax") nr::EXIT,
            in("rdi") code as usize,
            options(noreturn, nostack),
        )
    }
}

/// Ends the whole process, every thread of it (`exit_group`), with exit
/// status `code`. On a kernel without `exit_group` (phase 0 answers
/// `ENOSYS`), where a process has one thread, falls back to [`exit`].
/// What a failed check and a panic use, so a failure in any thread ends
/// the test.
pub fn exit_process(code: i32) -> ! {
    // SAFETY: exit_group touches no memory; it returns only if the kernel
    // does not have it.
    unsafe { crate::syscall::syscall1(nr::EXIT_GROUP, code as usize) };
    exit(code)
}

/// Calls `arch_prctl(code, addr)`. For the `SET` codes `addr` is the new
/// base; for the `GET` codes it is where the kernel stores the base.
///
/// # Safety
///
/// `ARCH_SET_FS` moves the thread pointer: every `#[thread_local]` access
/// after it uses the new base. The `GET` codes write a `u64` at `addr`,
/// which must be memory no Rust reference covers.
pub unsafe fn arch_prctl(code: u32, addr: usize) -> Result<usize, Errno> {
    // SAFETY: the caller guarantees that `code` and `addr` are sound.
    Errno::from_ret(unsafe { syscall2(nr::ARCH_PRCTL, code as usize, addr) })
}

/// The FS segment base, which x86_64 uses as the thread pointer.
pub fn fs_base() -> Result<usize, Errno> {
    let mut base: u64 = 0;
    // SAFETY: `ARCH_GET_FS` writes one `u64` into the local `base`.
    unsafe { arch_prctl(ARCH_GET_FS, (&raw mut base) as usize) }?;
    Ok(base as usize)
}
