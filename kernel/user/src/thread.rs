//! Threads for test programs, on the raw system calls: [`spawn`] maps a
//! fresh stack and TLS area, and starts a thread with `clone` and the
//! flags std and glibc use; [`Thread::join`] waits for the thread's end on
//! its `CLONE_CHILD_CLEARTID` word with `futex`, as std's `join` does. Also
//! the futex calls themselves, `gettid`, `tgkill` and `sched_yield`.
//!
//! A spawned thread's TLS area holds only a TCB whose first word points to
//! itself (x86_64 variant II, as the kernel makes for the main thread): no
//! copy of the program's `PT_TLS` image, so a spawned thread must not use
//! `#[thread_local]` variables. The thread runs a plain `extern "C" fn`
//! with one word of argument; its return value is its `exit` status.

use core::sync::atomic::{AtomicU32, Ordering};

use vibix_uapi::clone::*;
use vibix_uapi::futex::*;
use vibix_uapi::time::Timespec;

use crate::errno::Errno;
use crate::mm::{self, PAGE_SIZE, PROT_READ, PROT_WRITE};
use crate::nr;
use crate::syscall::{syscall0, syscall1, syscall3, syscall6};

/// The flags std and glibc pass to create a thread.
pub const THREAD_FLAGS: usize = (CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID) as usize;

/// Each thread's stack.
pub const STACK_SIZE: usize = 64 * 1024;
/// Where the thread pointer goes in the TLS page (the TCB).
const TP_OFFSET: usize = PAGE_SIZE / 2;

/// What a thread runs: its argument in, its exit status out.
pub type Entry = extern "C" fn(usize) -> i32;

// ANCHOR: clone_raw
/// `clone(flags, stack, parent_tid, child_tid, tls)`. In the new thread
/// (`rax` = 0, `rsp` = `stack`) it pops the entry function and its
/// argument that the caller left at the top of the stack, calls it, and
/// ends the thread with `exit` and the function's result; it never
/// returns there. The caller gets the new tid, or `-errno`.
#[unsafe(naked)]
unsafe extern "C" fn clone_raw(
    flags: usize,
    stack: usize,
    parent_tid: usize,
    child_tid: usize,
    tls: usize,
) -> isize {
    core::arch::naked_asm!(
        "mov r10, rcx",
        "mov eax, {clone}",
        "syscall",
        "test rax, rax",
        "jnz 2f",
        // The new thread, on its own stack.
        "xor ebp, ebp",
        "pop rax",
        "pop rdi",
        "call rax",
        "mov edi, eax",
        "mov eax, {exit}",
        "syscall",
        "ud2",
        "2:",
        "ret",
        clone = const nr::CLONE,
        exit = const nr::EXIT,
    )
}
// ANCHOR_END: clone_raw

/// A running (or ended, not yet joined) thread.
pub struct Thread {
    tid: i32,
    region: usize,
}

impl Thread {
    pub fn tid(&self) -> i32 {
        self.tid
    }

    /// The word `CLONE_PARENT_SETTID` wrote the tid into and
    /// `CLONE_CHILD_CLEARTID` clears at the thread's end.
    fn tid_word(&self) -> &AtomicU32 {
        // SAFETY: the word is in the thread's region, mapped until `join`
        // unmaps it (after the last use of this reference), and accessed
        // only atomically (by us and by the kernel).
        unsafe { &*((self.region + STACK_SIZE) as *const AtomicU32) }
    }

    /// Whether the thread has ended (its tid word is 0).
    pub fn finished(&self) -> bool {
        self.tid_word().load(Ordering::Acquire) == 0
    }

    /// Waits for the thread's end, then frees its stack and TLS area.
    pub fn join(self) {
        loop {
            let tid = self.tid_word().load(Ordering::Acquire);
            if tid == 0 {
                break;
            }
            // Not private: the kernel's wake at a thread's end is a shared
            // one, as on Linux, and only meets a shared wait.
            // SAFETY: a live word, no timeout.
            let _ = unsafe { futex(self.tid_word().as_ptr() as usize, FUTEX_WAIT, tid, 0, 0, 0) };
        }
        // SAFETY: the thread has ended (the kernel cleared the word when
        // it was gone), so nothing uses its stack or TLS area any more.
        let _ = unsafe { mm::munmap(self.region, STACK_SIZE + PAGE_SIZE) };
    }
}

/// Starts a thread running `entry(arg)` with `flags` (normally
/// [`THREAD_FLAGS`]) on a fresh stack, its thread pointer on a fresh TCB.
pub fn spawn_with(flags: usize, entry: Entry, arg: usize) -> Result<Thread, Errno> {
    let region = mm::map_anonymous(STACK_SIZE + PAGE_SIZE, PROT_READ | PROT_WRITE)?;
    let tls_page = region + STACK_SIZE;
    let tp = tls_page + TP_OFFSET;
    let top = tls_page - 16;
    // SAFETY: all three words are in the fresh mapping, which nothing else
    // uses yet: the TCB's self-pointer and the entry and argument the new
    // thread pops.
    unsafe {
        *(tp as *mut usize) = tp;
        *(top as *mut usize) = entry as usize;
        *((top + 8) as *mut usize) = arg;
    }
    let word = tls_page; // the tid word, at the start of the TLS page
    // SAFETY: the new thread runs on its own stack and TLS area (the
    // mapping above) and never returns into this function's frame.
    let ret = unsafe { clone_raw(flags, top, word, word, tp) };
    match Errno::from_ret(ret as usize) {
        Ok(tid) => Ok(Thread {
            tid: tid as i32,
            region,
        }),
        Err(e) => {
            // SAFETY: no thread was created; the mapping is unused.
            let _ = unsafe { mm::munmap(region, STACK_SIZE + PAGE_SIZE) };
            Err(e)
        }
    }
}

/// Starts a thread with std's flags.
pub fn spawn(entry: Entry, arg: usize) -> Result<Thread, Errno> {
    spawn_with(THREAD_FLAGS, entry, arg)
}

/// The raw `futex(uaddr, op, val, timeout, uaddr2, val3)`.
///
/// # Safety
///
/// `uaddr` and `timeout` are given to the kernel as they are: a wait
/// reads them (a bad one is `EFAULT`); nothing is written.
pub unsafe fn futex(
    uaddr: usize,
    op: i32,
    val: u32,
    timeout: usize,
    uaddr2: usize,
    val3: u32,
) -> Result<usize, Errno> {
    // SAFETY: the kernel only reads user memory for these operations.
    Errno::from_ret(unsafe {
        syscall6(
            nr::FUTEX,
            uaddr,
            op as usize,
            val as usize,
            timeout,
            uaddr2,
            val3 as usize,
        )
    })
}

/// `FUTEX_WAIT | FUTEX_PRIVATE_FLAG` on `word` while it holds `val`, with
/// an optional relative timeout.
pub fn futex_wait(word: &AtomicU32, val: u32, timeout: Option<&Timespec>) -> Result<usize, Errno> {
    let timeout = timeout.map_or(0, |t| t as *const Timespec as usize);
    // SAFETY: a live word and a live timespec (or NULL).
    unsafe {
        futex(
            word.as_ptr() as usize,
            FUTEX_WAIT | FUTEX_PRIVATE_FLAG,
            val,
            timeout,
            0,
            0,
        )
    }
}

/// `FUTEX_WAKE | FUTEX_PRIVATE_FLAG`: wakes up to `n` waiters on `word`.
pub fn futex_wake(word: &AtomicU32, n: u32) -> Result<usize, Errno> {
    // SAFETY: a live word; a wake reads nothing.
    unsafe {
        futex(
            word.as_ptr() as usize,
            FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
            n,
            0,
            0,
            0,
        )
    }
}

pub fn gettid() -> i32 {
    // SAFETY: gettid touches no memory.
    unsafe { syscall0(nr::GETTID) as i32 }
}

pub fn getpid() -> i32 {
    // SAFETY: getpid touches no memory.
    unsafe { syscall0(nr::GETPID) as i32 }
}

pub fn getppid() -> i32 {
    // SAFETY: getppid touches no memory.
    unsafe { syscall0(nr::GETPPID) as i32 }
}

pub fn sched_yield() {
    // SAFETY: sched_yield touches no memory.
    unsafe { syscall0(nr::SCHED_YIELD) };
}

/// `tgkill(tgid, tid, sig)`.
pub fn tgkill(tgid: i32, tid: i32, sig: i32) -> Result<usize, Errno> {
    // SAFETY: tgkill touches no memory.
    Errno::from_ret(unsafe { syscall3(nr::TGKILL, tgid as usize, tid as usize, sig as usize) })
}

/// `exit` of the calling thread only (the process ends with its last
/// thread).
pub fn exit_thread(code: i32) -> ! {
    // SAFETY: exit ends the calling thread; nothing runs after it.
    unsafe { syscall1(nr::EXIT, code as usize) };
    unreachable!("exit returned")
}
