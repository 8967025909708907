//! Signals: their numbers (x86_64), `rt_sigaction`'s `struct sigaction` as
//! the kernel reads it (not a C library's, which carries a 128-byte mask),
//! its flags, the special handlers and `rt_sigprocmask`'s `how`; the
//! signals' names.

#![allow(missing_docs)]

pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGQUIT: i32 = 3;
pub const SIGILL: i32 = 4;
pub const SIGTRAP: i32 = 5;
pub const SIGABRT: i32 = 6;
pub const SIGBUS: i32 = 7;
pub const SIGFPE: i32 = 8;
pub const SIGKILL: i32 = 9;
pub const SIGUSR1: i32 = 10;
pub const SIGSEGV: i32 = 11;
pub const SIGUSR2: i32 = 12;
pub const SIGPIPE: i32 = 13;
pub const SIGALRM: i32 = 14;
pub const SIGTERM: i32 = 15;
pub const SIGSTKFLT: i32 = 16;
pub const SIGCHLD: i32 = 17;
pub const SIGCONT: i32 = 18;
pub const SIGSTOP: i32 = 19;
pub const SIGTSTP: i32 = 20;
pub const SIGTTIN: i32 = 21;
pub const SIGTTOU: i32 = 22;
pub const SIGURG: i32 = 23;
pub const SIGXCPU: i32 = 24;
pub const SIGXFSZ: i32 = 25;
pub const SIGVTALRM: i32 = 26;
pub const SIGPROF: i32 = 27;
pub const SIGWINCH: i32 = 28;
pub const SIGIO: i32 = 29;
pub const SIGPWR: i32 = 30;
pub const SIGSYS: i32 = 31;

/// The name of signal `sig` (`"SIGKILL"` for 9), for signals 1 to 31: what
/// std prints after a signal number (`signal: 9 (SIGKILL)`).
pub const fn name(sig: i32) -> Option<&'static str> {
    const NAMES: [&str; 31] = [
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    if sig >= 1 && sig <= NAMES.len() as i32 {
        Some(NAMES[sig as usize - 1])
    } else {
        None
    }
}
/// The first real-time signal number the kernel has (C libraries reserve
/// a few above it).
pub const SIGRTMIN_KERNEL: i32 = 32;
/// The highest signal number.
pub const SIGRTMAX: i32 = 64;

/// `sa_flags`.
pub const SA_NOCLDSTOP: u64 = 0x1;
pub const SA_NOCLDWAIT: u64 = 0x2;
pub const SA_SIGINFO: u64 = 0x4;
/// `sa_restorer` is set: the x86_64 kernel ABI requires it for a handler.
pub const SA_RESTORER: u64 = 0x0400_0000;
pub const SA_ONSTACK: u64 = 0x0800_0000;
pub const SA_RESTART: u64 = 0x1000_0000;
pub const SA_NODEFER: u64 = 0x4000_0000;
pub const SA_RESETHAND: u64 = 0x8000_0000;

/// `sa_handler` values that are not functions.
pub const SIG_DFL: usize = 0;
pub const SIG_IGN: usize = 1;

/// `rt_sigprocmask`'s `how`.
pub const SIG_BLOCK: i32 = 0;
pub const SIG_UNBLOCK: i32 = 1;
pub const SIG_SETMASK: i32 = 2;

/// The kernel's signal set: one bit per signal (`1 << (sig - 1)`); the
/// size `rt_sigaction` and `rt_sigprocmask` take as their last argument.
pub type SigSet = u64;

/// `struct sigaction` as `rt_sigaction` reads and writes it (32 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigAction {
    /// A handler's address, [`SIG_DFL`] or [`SIG_IGN`].
    pub sa_handler: usize,
    pub sa_flags: u64,
    /// Where the handler returns to: code that calls `rt_sigreturn`.
    pub sa_restorer: usize,
    pub sa_mask: SigSet,
}

/// `stack_t::ss_flags`: the thread is running on its alternate signal
/// stack (reported), or asks for one (accepted, same as 0).
pub const SS_ONSTACK: i32 = 1;
/// `stack_t::ss_flags`: no alternate signal stack.
pub const SS_DISABLE: i32 = 2;
/// `stack_t::ss_flags` bit: the stack is given up while a handler runs on
/// it (and restored by `rt_sigreturn` from the frame's `uc_stack`).
pub const SS_AUTODISARM: i32 = 1 << 31;
/// The smallest alternate signal stack `sigaltstack` accepts (else
/// `ENOMEM`).
pub const MINSIGSTKSZ: usize = 2048;
/// A size that is enough for an ordinary handler.
pub const SIGSTKSZ: usize = 8192;

/// `stack_t`: an alternate signal stack, as `sigaltstack` takes and
/// reports it, and as the `uc_stack` of a signal frame's `ucontext`
/// holds it (24 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StackT {
    /// The lowest address of the stack.
    pub ss_sp: usize,
    /// [`SS_ONSTACK`], [`SS_DISABLE`], 0, optionally with
    /// [`SS_AUTODISARM`].
    pub ss_flags: i32,
    pub ss_size: usize,
}

/// `si_code` of a signal sent by `kill` (or by the kernel on the
/// sender's behalf, as `SIGPIPE`).
pub const SI_USER: i32 = 0;
/// `si_code` of a signal the kernel raised for no user's request (a
/// general-protection fault).
pub const SI_KERNEL: i32 = 0x80;
/// `si_code` of a signal sent by `tkill` or `tgkill`.
pub const SI_TKILL: i32 = -6;
/// `si_code` of `SIGSEGV`: no mapping at the address.
pub const SEGV_MAPERR: i32 = 1;
/// `si_code` of `SIGSEGV`: a mapping whose protection forbids the access.
pub const SEGV_ACCERR: i32 = 2;
/// `si_code` of `SIGILL`: an illegal operand (an undefined opcode).
pub const ILL_ILLOPN: i32 = 2;
/// `si_code` of `SIGFPE`: integer division by zero.
pub const FPE_INTDIV: i32 = 1;
/// `si_code` of `SIGCHLD`: the child exited (`si_status` is its exit code).
pub const CLD_EXITED: i32 = 1;
/// `si_code` of `SIGCHLD`: a signal killed the child (`si_status` is it).
pub const CLD_KILLED: i32 = 2;
/// `si_code` of `SIGCHLD`: a signal killed the child, which dumped core.
pub const CLD_DUMPED: i32 = 3;

/// `siginfo_t`: 128 bytes; these are the offsets of the fields a handler
/// gets from vibix. The union after `si_code` starts at 16.
pub const SIGINFO_SIZE: usize = 128;
pub const SI_SIGNO: usize = 0;
pub const SI_ERRNO: usize = 4;
pub const SI_CODE: usize = 8;
/// A fault's address (`SIGSEGV`, `SIGBUS`, `SIGILL`, `SIGFPE`, `SIGTRAP`).
pub const SI_ADDR: usize = 16;
/// The sender's process id and user id (`SI_USER`, `SI_TKILL`).
pub const SI_PID: usize = 16;
pub const SI_UID: usize = 20;
/// `SIGCHLD`'s child status: the exit code or the signal (after `si_uid`).
pub const SI_STATUS: usize = 24;

/// `ucontext_t::uc_stack`'s offset in the `ucontext` of a signal frame
/// (after `uc_flags` and `uc_link`); `uc_mcontext` follows it at 40.
pub const UC_STACK: usize = 16;
pub const UC_MCONTEXT: usize = 40;
/// Indexes of `uc_mcontext.gregs` (Linux's `REG_*`): the interrupted stack
/// pointer and instruction pointer.
pub const REG_RSP: usize = 15;
pub const REG_RIP: usize = 16;
