//! `<signal.h>`: signal dispositions (`sigaction`, `signal`), sending
//! (`raise`, `kill`), signal sets and masks (`sigprocmask`,
//! `pthread_sigmask`, `sigpending`, `sigsuspend`), with glibc's types.
//!
//! C's `struct sigaction` (a 128-byte `sigset_t` inside) is not the
//! kernel's (a 64-bit mask): `sigaction` converts both ways and installs
//! `vibix_abi`'s restorer for every handler, as the x86_64 kernel ABI
//! requires. As in glibc, signals 32 and 33 are the C library's own (glibc
//! uses them for thread cancellation and `setxid`): `sigfillset` leaves
//! them out and `sigaddset`/`sigdelset`/`sigaction` refuse them, so a
//! program's behaviour is glibc's. vibix's kernel has no `rt_sigpending` and
//! `rt_sigsuspend` yet: there `sigpending` and `sigsuspend` fail with
//! `ENOSYS`.
//!
//! ```c
//! #define SIG_ERR ((sighandler_t)-1)
//! #define SIG_DFL ((sighandler_t)0)
//! #define SIG_IGN ((sighandler_t)1)
//! #define sa_handler __sigaction_handler.__sa_handler
//! #define sa_sigaction __sigaction_handler.__sa_sigaction
//! #define si_pid __si_fields.__kill.__si_pid
//! #define si_uid __si_fields.__kill.__si_uid
//! #define si_status __si_fields.__chld.__si_status
//! #define si_addr __si_fields.__fault.__si_addr
//! ```

use core::ptr;

use vibix_abi::Errno;
use vibix_uapi::signal::{SA_RESTORER, SigAction, SigSet};
use vibix_uapi::{nr, syscall};

use crate::errno::fail;
use crate::time::clock::sys;
use crate::types::{c_int, c_long, c_ulong, c_void, pid_t, size_t, uid_t};

pub use vibix_uapi::signal::{CLD_DUMPED, CLD_EXITED, CLD_KILLED, SI_KERNEL, SI_TKILL, SI_USER};
pub use vibix_uapi::signal::{MINSIGSTKSZ, SIGSTKSZ, SS_DISABLE, SS_ONSTACK};
pub use vibix_uapi::signal::{
    SA_NOCLDSTOP, SA_NOCLDWAIT, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_SIGINFO,
    SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, SIGABRT, SIGALRM, SIGBUS, SIGCHLD, SIGCONT, SIGFPE,
    SIGHUP, SIGILL, SIGINT, SIGIO, SIGKILL, SIGPIPE, SIGPROF, SIGPWR, SIGQUIT, SIGRTMAX, SIGSEGV,
    SIGSTKFLT, SIGSTOP, SIGSYS, SIGTERM, SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGUSR1,
    SIGUSR2, SIGVTALRM, SIGWINCH, SIGXCPU, SIGXFSZ,
};

/// An alternate signal stack (`sigaltstack`): the ABI's
/// `vibix_uapi::signal::StackT`, with C's pointer type for `ss_sp` (the
/// assertions below keep the two layouts one).
#[repr(C)]
pub struct stack_t {
    /// The lowest address of the stack.
    pub ss_sp: *mut c_void,
    /// `SS_ONSTACK`, `SS_DISABLE` or 0.
    pub ss_flags: c_int,
    /// Its size in bytes.
    pub ss_size: size_t,
}

const _: () = {
    use vibix_uapi::signal::StackT;
    assert!(size_of::<stack_t>() == size_of::<StackT>());
    assert!(core::mem::offset_of!(stack_t, ss_sp) == core::mem::offset_of!(StackT, ss_sp));
    assert!(core::mem::offset_of!(stack_t, ss_flags) == core::mem::offset_of!(StackT, ss_flags));
    assert!(core::mem::offset_of!(stack_t, ss_size) == core::mem::offset_of!(StackT, ss_size));
};

/// The first real-time signal a program may use (glibc keeps 32 and 33).
pub const SIGRTMIN: c_int = 34;
/// One more than the highest signal number.
pub const NSIG: c_int = 65;

/// An integer a signal handler may write atomically.
pub type sig_atomic_t = c_int;

/// A signal handler (or `SIG_DFL`, `SIG_IGN`, `SIG_ERR`).
pub type sighandler_t = Option<unsafe extern "C" fn(c_int)>;

/// A set of signals, glibc's 1024 bits (the kernel uses the first 64).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct sigset_t {
    /// One bit per signal: bit `sig - 1`.
    pub __val: [c_ulong; 16],
}

/// `sa_handler` or `sa_sigaction`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union __sigaction_handler_t {
    /// A plain handler, `SIG_DFL` or `SIG_IGN`.
    pub __sa_handler: sighandler_t,
    /// A handler with `SA_SIGINFO`.
    pub __sa_sigaction: Option<unsafe extern "C" fn(c_int, *mut siginfo_t, *mut c_void)>,
}

/// What to do with a signal: glibc's layout.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigaction {
    /// The handler.
    pub __sigaction_handler: __sigaction_handler_t,
    /// Signals blocked while the handler runs.
    pub sa_mask: sigset_t,
    /// `SA_*` flags.
    pub sa_flags: c_int,
    /// Where a handler returns to (set by the library).
    pub sa_restorer: Option<unsafe extern "C" fn()>,
}

/// `siginfo_t`'s fields of a signal sent by a process.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct __siginfo_kill {
    /// The sender's process id.
    pub __si_pid: pid_t,
    /// The sender's user id.
    pub __si_uid: uid_t,
}

/// `siginfo_t`'s fields of `SIGCHLD`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct __siginfo_chld {
    /// The child's process id.
    pub __si_pid: pid_t,
    /// The child's user id.
    pub __si_uid: uid_t,
    /// Its exit status or signal.
    pub __si_status: c_int,
    /// Its user CPU time.
    pub __si_utime: c_long,
    /// Its system CPU time.
    pub __si_stime: c_long,
}

/// `siginfo_t`'s field of a fault.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct __siginfo_fault {
    /// The faulting address.
    pub __si_addr: *mut c_void,
}

/// The part of `siginfo_t` that depends on the signal.
#[repr(C)]
#[derive(Clone, Copy)]
pub union __siginfo_fields {
    /// Sent by `kill` or `tgkill`.
    pub __kill: __siginfo_kill,
    /// `SIGCHLD`.
    pub __chld: __siginfo_chld,
    /// A fault.
    pub __fault: __siginfo_fault,
    /// Room for the rest: 128 bytes in all.
    pub __pad: [c_int; 28],
}

/// What a `SA_SIGINFO` handler is told: glibc's 128-byte layout.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct siginfo_t {
    /// The signal.
    pub si_signo: c_int,
    /// An error number (0).
    pub si_errno: c_int,
    /// Why it was sent (`SI_USER`, `SI_TKILL`, a fault's code).
    pub si_code: c_int,
    __pad0: c_int,
    /// The signal's own fields.
    pub __si_fields: __siginfo_fields,
}

/// The first real-time signal a program may use: what glibc's headers
/// make of `SIGRTMIN`, so that programs compiled against them link.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn __libc_current_sigrtmin() -> c_int {
    SIGRTMIN
}

/// The last real-time signal: what glibc's headers make of `SIGRTMAX`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn __libc_current_sigrtmax() -> c_int {
    SIGRTMAX
}

/// Whether `sig` is a signal number at all.
fn valid(sig: c_int) -> bool {
    (1..NSIG).contains(&sig)
}

/// Whether `sig` is one of the C library's own signals (32, 33).
fn internal(sig: c_int) -> bool {
    sig == 32 || sig == 33
}

/// The kernel's bit of `sig`.
fn bit(sig: c_int) -> SigSet {
    1 << (sig - 1)
}

/// The internal signals' bits.
const INTERNAL: SigSet = (1 << 31) | (1 << 32);

/// Changes and/or reports the action of `sig`.
///
/// # Safety
///
/// `act` and `old` must be NULL or point to `struct sigaction`s; a handler
/// must be a function that may run when the signal arrives.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigaction(
    sig: c_int,
    act: *const sigaction,
    old: *mut sigaction,
) -> c_int {
    if !valid(sig) || internal(sig) {
        return fail(Errno::EINVAL.raw());
    }
    let new = if act.is_null() {
        None
    } else {
        // SAFETY: the caller's contract.
        let act = unsafe { &*act };
        // SAFETY: both members are one pointer-sized word.
        let handler =
            unsafe { act.__sigaction_handler.__sa_handler }.map_or(0, |f| f as *const () as usize);
        let mut flags = act.sa_flags as u32 as u64;
        let restorer = match act.sa_restorer {
            Some(r) if flags & SA_RESTORER != 0 => r as *const () as usize,
            _ => {
                flags |= SA_RESTORER;
                restorer()
            }
        };
        Some(SigAction {
            sa_handler: handler,
            sa_flags: flags,
            sa_restorer: restorer,
            sa_mask: act.sa_mask.__val[0] & !INTERNAL,
        })
    };
    let mut kold = SigAction::default();
    let new_ptr = new.as_ref().map_or(ptr::null(), |a| a as *const SigAction);
    // SAFETY: the kernel reads one kernel `struct sigaction` from `new_ptr`
    // (or none) and writes one into `kold`, both ours.
    let r = unsafe {
        syscall!(
            nr::RT_SIGACTION,
            sig,
            new_ptr,
            &raw mut kold,
            size_of::<SigSet>()
        )
    };
    if sys(r) < 0 {
        return -1;
    }
    if !old.is_null() {
        let mut mask = [0; 16];
        mask[0] = kold.sa_mask;
        let handler = __sigaction_handler_t {
            // SAFETY: the kernel hands back what was installed: 0, 1 or a
            // handler's address (a non-null value is never dereferenced
            // here, and C gets it back as it gave it).
            __sa_handler: unsafe { core::mem::transmute::<usize, sighandler_t>(kold.sa_handler) },
        };
        // SAFETY: as above, for the restorer's address.
        let restorer = unsafe {
            core::mem::transmute::<usize, Option<unsafe extern "C" fn()>>(kold.sa_restorer)
        };
        // SAFETY: the caller's contract.
        unsafe {
            old.write(sigaction {
                __sigaction_handler: handler,
                sa_mask: sigset_t { __val: mask },
                sa_flags: kold.sa_flags as c_int,
                sa_restorer: restorer,
            })
        };
    }
    0
}

/// The restorer every handler returns through.
#[cfg(not(miri))]
fn restorer() -> usize {
    vibix_abi::signal::restorer as *const () as usize
}
#[cfg(miri)]
fn restorer() -> usize {
    0
}

/// Sets the handler of `sig` (BSD semantics, as glibc: interrupted calls
/// restart, the signal is blocked while its handler runs) and returns the
/// previous one, or `SIG_ERR`.
///
/// # Safety
///
/// `handler` must be `SIG_DFL`, `SIG_IGN` or a function that may run when
/// the signal arrives.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn signal(sig: c_int, handler: sighandler_t) -> sighandler_t {
    // SAFETY: `SIG_ERR` is -1, what C compares the result with.
    let sig_err = unsafe { core::mem::transmute::<usize, sighandler_t>(usize::MAX) };
    if handler.map(|f| f as *const () as usize) == sig_err.map(|f| f as *const () as usize) {
        fail(Errno::EINVAL.raw());
        return sig_err;
    }
    let mut mask = [0; 16];
    if valid(sig) {
        mask[0] = bit(sig);
    }
    let act = sigaction {
        __sigaction_handler: __sigaction_handler_t {
            __sa_handler: handler,
        },
        sa_mask: sigset_t { __val: mask },
        sa_flags: SA_RESTART as c_int,
        sa_restorer: None,
    };
    let mut old = act;
    // SAFETY: both point to our `sigaction`s; the handler is the caller's.
    if unsafe { sigaction(sig, &act, &mut old) } < 0 {
        return sig_err;
    }
    // SAFETY: `sigaction` wrote the old handler.
    unsafe { old.__sigaction_handler.__sa_handler }
}

/// Sends `sig` to the calling thread; its handler has run when this
/// returns.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn raise(sig: c_int) -> c_int {
    let pid = match vibix_abi::process::getpid() {
        Ok(pid) => pid,
        Err(e) => return fail(e.raw()),
    };
    let tid = vibix_abi::thread::gettid();
    // SAFETY: sending a signal touches no memory of ours.
    sys(unsafe { syscall!(nr::TGKILL, pid, tid, sig) })
}

/// Sends `sig` to process `pid`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn kill(pid: pid_t, sig: c_int) -> c_int {
    crate::errno::ret(vibix_abi::process::kill(pid, sig).map(|()| 0)) as c_int
}

/// Empties `*set`.
///
/// # Safety
///
/// `set` must point to a writable `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigemptyset(set: *mut sigset_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { set.write(sigset_t { __val: [0; 16] }) };
    0
}

/// Fills `*set` with every signal but the library's own.
///
/// # Safety
///
/// `set` must point to a writable `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigfillset(set: *mut sigset_t) -> c_int {
    // As glibc: the kernel's 64 signals, the rest of the set empty.
    let mut all = [0; 16];
    all[0] = !INTERNAL;
    // SAFETY: the caller's contract.
    unsafe { set.write(sigset_t { __val: all }) };
    0
}

/// The word and bit of `sig` in a `sigset_t`.
fn place(sig: c_int) -> (usize, c_ulong) {
    let i = (sig - 1) as usize;
    (i / 64, 1 << (i % 64))
}

/// Adds `sig` to `*set`.
///
/// # Safety
///
/// `set` must point to a writable `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigaddset(set: *mut sigset_t, sig: c_int) -> c_int {
    if !valid(sig) || internal(sig) {
        return fail(Errno::EINVAL.raw());
    }
    let (w, b) = place(sig);
    // SAFETY: the caller's contract.
    unsafe { (*set).__val[w] |= b };
    0
}

/// Removes `sig` from `*set`.
///
/// # Safety
///
/// `set` must point to a writable `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigdelset(set: *mut sigset_t, sig: c_int) -> c_int {
    if !valid(sig) || internal(sig) {
        return fail(Errno::EINVAL.raw());
    }
    let (w, b) = place(sig);
    // SAFETY: the caller's contract.
    unsafe { (*set).__val[w] &= !b };
    0
}

/// 1 if `sig` is in `*set`, else 0.
///
/// # Safety
///
/// `set` must point to a `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigismember(set: *const sigset_t, sig: c_int) -> c_int {
    if !valid(sig) {
        return fail(Errno::EINVAL.raw());
    }
    let (w, b) = place(sig);
    // SAFETY: the caller's contract.
    c_int::from(unsafe { (*set).__val[w] } & b != 0)
}

/// `rt_sigprocmask`: the kernel's answer, its errno kept.
///
/// # Safety
///
/// `set` must be NULL or point to a `sigset_t`; `old` NULL or writable.
unsafe fn mask(how: c_int, set: *const sigset_t, old: *mut sigset_t) -> Result<(), Errno> {
    let new = if set.is_null() {
        None
    } else {
        // SAFETY: the caller's contract.
        let mut word = unsafe { (*set).__val[0] };
        if how != SIG_UNBLOCK {
            word &= !INTERNAL;
        }
        Some(word)
    };
    let new_ptr = new.as_ref().map_or(ptr::null(), |w| w as *const SigSet);
    let mut prev: SigSet = 0;
    // SAFETY: the kernel reads one mask word (ours, or none) and writes
    // one into `prev`.
    let r = unsafe {
        syscall!(
            nr::RT_SIGPROCMASK,
            how,
            new_ptr,
            &raw mut prev,
            size_of::<SigSet>()
        )
    };
    Errno::from_ret(r)?;
    if !old.is_null() {
        // SAFETY: the caller's contract. As glibc, only the kernel's
        // 64 bits are written.
        unsafe { (*old).__val[0] = prev };
    }
    Ok(())
}

/// Changes and/or reports the calling thread's signal mask (`how`:
/// `SIG_BLOCK`, `SIG_UNBLOCK`, `SIG_SETMASK`).
///
/// # Safety
///
/// `set` must be NULL or point to a `sigset_t`; `old` NULL or writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigprocmask(
    how: c_int,
    set: *const sigset_t,
    old: *mut sigset_t,
) -> c_int {
    // SAFETY: the caller's contract.
    match unsafe { mask(how, set, old) } {
        Ok(()) => 0,
        Err(e) => fail(e.raw()),
    }
}

/// [`sigprocmask`], returning an error number instead of setting errno.
///
/// # Safety
///
/// As for [`sigprocmask`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_sigmask(
    how: c_int,
    set: *const sigset_t,
    old: *mut sigset_t,
) -> c_int {
    // SAFETY: the caller's contract.
    match unsafe { mask(how, set, old) } {
        Ok(()) => 0,
        Err(e) => e.raw(),
    }
}

/// The signals pending for the calling thread (or its process) while
/// blocked.
///
/// # Safety
///
/// `set` must point to a writable `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigpending(set: *mut sigset_t) -> c_int {
    let mut pending: SigSet = 0;
    // SAFETY: the kernel writes one mask word into `pending`.
    let r = unsafe { syscall!(nr::RT_SIGPENDING, &raw mut pending, size_of::<SigSet>()) };
    if sys(r) < 0 {
        return -1;
    }
    // SAFETY: the caller's contract.
    unsafe { (*set).__val[0] = pending };
    0
}

/// Replaces the signal mask with `*set` until a handler has run; always
/// fails, with `EINTR` (or `ENOSYS` on a kernel without it).
///
/// # Safety
///
/// `set` must point to a `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigsuspend(set: *const sigset_t) -> c_int {
    // SAFETY: the caller's contract.
    let word = unsafe { (*set).__val[0] } & !INTERNAL;
    // SAFETY: the kernel reads one mask word, ours.
    sys(unsafe { syscall!(nr::RT_SIGSUSPEND, &raw const word, size_of::<SigSet>()) })
}

/// Sets (unless `ss` is NULL) and reports (unless `old` is NULL) the
/// calling thread's alternate signal stack, where `SA_ONSTACK` handlers
/// run.
///
/// # Safety
///
/// `ss` must be NULL or point to a `stack_t` describing memory the thread
/// may use as a stack; `old` NULL or writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sigaltstack(ss: *const stack_t, old: *mut stack_t) -> c_int {
    // SAFETY: the kernel reads and writes at most one `stack_t` each (the
    // caller's pointers; bad ones are EFAULT).
    sys(unsafe { syscall!(nr::SIGALTSTACK, ss, old) })
}

#[cfg(test)]
mod tests;
