//! The two pieces of a thread's life that Rust cannot write: its first
//! instructions, on a stack that has no Rust frame yet, and its last ones,
//! after its stack is gone.
//!
//! Both are one `asm!` block each, and both keep the other side of the
//! block (the creating thread's return; nothing, for the end) ordinary.

use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::errno::{Result, check};
use crate::nr;
use vibix_uapi::clone::*;

/// What a thread shares with the thread that makes it: everything a
/// POSIX thread shares (memory, working directory, descriptors, signal
/// handlers, the thread group, SysV semaphore undo lists), with its own
/// thread pointer, its id stored in the parent's word, and that word
/// cleared (and woken) by the kernel when the thread is gone.
pub const THREAD_FLAGS: i32 = CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID;

/// Set (for good) before the process's first [`clone_thread`]: until
/// then the process has one thread, and its allocator needs no lock.
static SPAWNED: AtomicBool = AtomicBool::new(false);

/// Whether this process may have more than one thread: it has asked for
/// one (through [`clone_thread`], which every thread std or the C library
/// starts goes through). A thread made by a raw `clone` system call is
/// not seen, as glibc does not see one either.
#[inline]
pub fn spawned() -> bool {
    SPAWNED.load(Ordering::Relaxed)
}

// ANCHOR: clone
/// Starts a thread that runs `entry(arg)` on the stack whose top is
/// `stack_top`, with thread pointer `tp`; returns its thread id. `tid` is
/// the thread-id word: the kernel writes the new thread's id there before
/// this returns (`CLONE_PARENT_SETTID`), and when the thread is gone it
/// writes 0 there and wakes the futex on it (`CLONE_CHILD_CLEARTID`). If
/// `entry` returns, the thread ends (`exit`).
///
/// The new thread starts by returning from the same `syscall` instruction
/// as this thread, with `rax = 0` and the stack pointer at `stack_top - 16`,
/// where this function left `arg` and `entry`: it pops them, clears the
/// frame pointer (the end of any backtrace) and calls `entry` with the
/// stack 16-byte aligned, as the ABI wants at a call. Nothing of this
/// thread's frame is touched there.
///
/// # Safety
///
/// `stack_top` must be 16-byte aligned, with writable stack memory below it
/// that nothing else uses while the thread runs; `tp` must be a TLS block's
/// thread pointer set up for this program (`tls::init_block`), used by no
/// other thread; `tid` must stay valid until the kernel has cleared it;
/// `entry` must be sound to run on that thread with `arg`.
#[cfg(not(miri))]
pub unsafe fn clone_thread(
    stack_top: *mut u8,
    tp: *mut u8,
    tid: &AtomicU32,
    entry: unsafe extern "C" fn(*mut u8),
    arg: *mut u8,
) -> Result<i32> {
    // Before the thread exists: from here on, locks are taken.
    SPAWNED.store(true, Ordering::SeqCst);
    // SAFETY: the caller gives us the 16 bytes below `stack_top`.
    let sp = unsafe {
        let sp = stack_top.sub(16).cast::<usize>();
        sp.write(arg as usize);
        sp.add(1).write(entry as usize);
        sp
    };
    let ret: usize;
    // SAFETY: `clone` with the thread flags. In this thread the block is a
    // plain system call (declared clobbers: rcx, r11; result in rax). The
    // new thread runs only the instructions after `test` and never leaves
    // the block, so the compiler's view of this thread's registers and
    // stack is never wrong; it runs on the caller's stack and TLS block,
    // which the caller vouched for.
    unsafe {
        core::arch::asm!(
            "syscall",
            "test rax, rax",
            "jnz 2f",
            // The new thread: rsp = stack_top - 16.
            "xor ebp, ebp",
            "pop rdi",
            "pop rax",
            "call rax",
            // `entry` returned: end this thread only.
            "mov eax, {exit}",
            "xor edi, edi",
            "syscall",
            "ud2",
            "2:",
            exit = const nr::EXIT,
            inlateout("rax") nr::CLONE => ret,
            in("rdi") THREAD_FLAGS as usize,
            in("rsi") sp,
            in("rdx") tid.as_ptr(),
            in("r10") tid.as_ptr(),
            in("r8") tp,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    check(ret).map(|tid| tid as i32)
}
// ANCHOR_END: clone

// ANCHOR: unmap_and_exit
/// Unmaps `[base, base + len)`, the calling thread's own stack among it,
/// and ends the thread: a detached thread's last act, when no one else is
/// left to free its memory.
///
/// After `munmap` the thread has no stack, so the two calls are one block
/// of instructions that use none: registers only, no call, no push. A
/// signal handler would need the stack too, so signals must already be
/// blocked, and the kernel must not write the thread-id word when the
/// thread ends (it is in the unmapped range): `set_tid_address(NULL)`
/// first.
///
/// # Safety
///
/// The range must be the calling thread's whole region and nothing may use
/// it afterwards; all signals must be blocked and the clear-tid address
/// reset.
#[cfg(not(miri))]
pub unsafe fn unmap_self_and_exit(base: *mut u8, len: usize) -> ! {
    // SAFETY: the caller gives up the range; after `munmap` nothing but
    // registers is used until `exit` ends the thread.
    unsafe {
        core::arch::asm!(
            "syscall",
            "mov eax, {exit}",
            "xor edi, edi",
            "syscall",
            "ud2",
            exit = const nr::EXIT,
            in("rax") nr::MUNMAP,
            in("rdi") base,
            in("rsi") len,
            options(noreturn, nostack),
        )
    }
}
// ANCHOR_END: unmap_and_exit

/// Under Miri, which cannot run inline assembly, the two exist (so the
/// crate's pure logic can be tested) but panic.
#[cfg(miri)]
pub unsafe fn clone_thread(
    _stack_top: *mut u8,
    _tp: *mut u8,
    _tid: &AtomicU32,
    _entry: unsafe extern "C" fn(*mut u8),
    _arg: *mut u8,
) -> Result<i32> {
    panic!("Miri cannot start a thread with clone")
}

/// See above.
#[cfg(miri)]
pub unsafe fn unmap_self_and_exit(_base: *mut u8, _len: usize) -> ! {
    panic!("Miri cannot unmap a stack")
}

/// Ends the calling thread only (`exit`, not `exit_group`); the kernel
/// then clears and wakes its thread-id word, if it has one.
pub fn exit_thread() -> ! {
    // SAFETY: ending this thread breaks no Rust invariant of the others:
    // its stack stays mapped until whoever joins it frees it.
    unsafe { vibix_uapi::syscall!(nr::EXIT, 0usize) };
    crate::process::ud2()
}

/// `set_tid_address`: where the kernel clears (and wakes) when this thread
/// ends; null for nowhere. Returns the thread's id.
///
/// # Safety
///
/// `tid` must be null or stay valid until the thread ends.
pub unsafe fn set_tid_address(tid: *mut u32) -> Result<i32> {
    // SAFETY: the caller keeps the word valid; the call writes nothing now.
    check(unsafe { vibix_uapi::syscall!(nr::SET_TID_ADDRESS, tid) }).map(|t| t as i32)
}
