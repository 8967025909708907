//! A task: one thread of execution, what the scheduler runs. It has its own
//! kernel stack and saved registers, its FS base (the TLS pointer), its
//! x87/SSE registers, its signal mask and the signals sent to it alone
//! (`tgkill`), its alternate signal stack, and the address `CLONE_CHILD_CLEARTID` or `set_tid_address`
//! gave it. Everything a thread shares with the other threads of its
//! process is in the `Process` (see `mod.rs`).
//!
//! Nothing about a system call in progress is kept anywhere but here and
//! on the task's own kernel stack: the decision to end a sleep with EINTR
//! reads this task's mask and pending set, a timed sleep's deadline and a
//! futex wait's queue entry name this task (finding O-A5). vibix never
//! restarts a call: an interrupted call returns EINTR.

use alloc::boxed::Box;

pub type Tid = u32;

/// Each task's kernel stack: syscalls and traps from user mode run on it.
pub const KERNEL_STACK_SIZE: usize = 32 * 1024;

#[repr(C, align(16))]
pub struct KernelStack([u8; KERNEL_STACK_SIZE]);

impl KernelStack {
    pub fn new() -> Box<KernelStack> {
        // Built in place on the heap: the array is too big for the stack.
        let mut stack = Box::<KernelStack>::new_uninit();
        // SAFETY: zero bytes are a valid `[u8; N]`; `write_bytes` covers
        // the whole allocation, so it is initialized afterwards.
        unsafe {
            stack.as_mut_ptr().write_bytes(0, 1);
            stack.assume_init()
        }
    }

    pub fn top(&self) -> u64 {
        self.0.as_ptr() as u64 + KERNEL_STACK_SIZE as u64
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    /// On the run queue.
    Ready,
    /// On the CPU.
    Running,
    /// Waiting on a wait queue, a timer or a futex.
    Blocked,
    /// Ended; its kernel stack is freed once another task runs.
    Dead,
}

pub struct Task {
    pub tid: Tid,
    /// The process (thread group) it belongs to: its pid.
    pub tgid: u32,
    pub state: State,
    /// The FS base (TLS thread pointer) this task runs with.
    pub fs_base: u64,
    pub kstack: Box<KernelStack>,
    /// The kernel stack pointer saved by `switch_context` while not running.
    pub saved_rsp: u64,
    /// The x87/SSE registers while the task is not on the CPU.
    pub fpu: Box<crate::arch::fpu::FpuState>,
    /// Blocked signals.
    pub sig_mask: u64,
    /// Signals sent to this thread alone (`tgkill`, SIGPIPE).
    pub sig_pending: u64,
    /// Who sent each of those (index = signal number - 1).
    pub sig_origins: [crate::proc::signal::Origin; crate::proc::signal::NSIG],
    /// The alternate signal stack (`sigaltstack`): none for a new thread
    /// and after `execve`, the caller's copy in a forked child.
    pub alt_stack: kcore::altstack::AltStack,
    /// `CLONE_CHILD_CLEARTID` / `set_tid_address`: where 0 is stored, and
    /// a futex wake done, when the thread ends (0: nowhere).
    pub clear_child_tid: u64,
}

impl Task {
    pub fn new(tid: Tid, tgid: u32, fs_base: u64, fpu: Box<crate::arch::fpu::FpuState>) -> Task {
        Task {
            tid,
            tgid,
            state: State::Ready,
            fs_base,
            kstack: KernelStack::new(),
            saved_rsp: 0,
            fpu,
            sig_mask: 0,
            sig_pending: 0,
            sig_origins: [crate::proc::signal::Origin::default(); crate::proc::signal::NSIG],
            alt_stack: kcore::altstack::AltStack::NONE,
            clear_child_tid: 0,
        }
    }
}
