//! Processes: ending this one (`exit_group`, `abort`), who it is
//! (`getpid`) and, from phase 2, making and managing children (`fork`,
//! `wait4`, `kill`; running a program is [`crate::exec`]'s).

use crate::errno::{Result, check};
use crate::{nr, syscall};

pub use vibix_uapi::signal::SIGABRT;
#[cfg(feature = "phase2")]
pub use vibix_uapi::signal::{SIGKILL, name as signal_name};
#[cfg(feature = "phase2")]
pub use vibix_uapi::wait::{WNOHANG, continued, core_dumped, exit_code, stop_signal, term_signal};

// ANCHOR: exit
/// Ends the process with `status` (the low 8 bits reach the parent).
///
/// `exit_group` ends every thread of the process. A kernel without it (one
/// built without phase 1) answers `ENOSYS`; then plain `exit`, which ends
/// the calling thread, ends the process just the same, as long as there is
/// only one thread.
pub fn exit(status: i32) -> ! {
    // SAFETY: ending the process cannot break any Rust invariant.
    unsafe {
        syscall!(nr::EXIT_GROUP, status);
        syscall!(nr::EXIT, status);
    }
    // Neither call returns when it works; if both failed, fault.
    ud2()
}
// ANCHOR_END: exit

/// The calling process's id.
pub fn getpid() -> Result<i32> {
    // SAFETY: `getpid` has no arguments and no side effects.
    check(unsafe { syscall!(nr::GETPID) }).map(|pid| pid as i32)
}

/// The parent's process id.
pub fn getppid() -> Result<i32> {
    // SAFETY: `getppid` has no arguments and no side effects.
    check(unsafe { syscall!(nr::GETPPID) }).map(|pid| pid as i32)
}

// ANCHOR: abort
/// Ends the process abnormally, as C's `abort` does: by `SIGABRT`, sent to
/// itself with `kill(getpid(), SIGABRT)`. vibix's `kill` applies the
/// default action (for `SIGABRT`: terminate), so the parent sees a death by
/// `SIGABRT`, exactly as on Linux.
///
/// Should that fail (a kernel without `getpid`, or the signal ignored), the
/// process still must not continue: it executes `ud2`, which the kernel
/// answers with `SIGILL`. Still a death by signal, never an exit status.
pub fn abort() -> ! {
    if let Ok(pid) = getpid() {
        // SAFETY: sending a signal to ourselves touches no memory.
        unsafe { syscall!(nr::KILL, pid, SIGABRT) };
    }
    ud2()
}
// ANCHOR_END: abort

/// Executes `ud2`, the instruction defined to be invalid: the kernel ends
/// the process with `SIGILL`.
pub fn ud2() -> ! {
    // SAFETY: `ud2` raises #UD and never continues; it touches nothing.
    unsafe { core::arch::asm!("ud2", options(noreturn, nomem, nostack)) }
}

/// Which side of a [`fork`] this is.
#[cfg(feature = "phase2")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fork {
    /// The new process.
    Child,
    /// The process that called `fork`; `child` is the new one's pid.
    Parent {
        /// The child's process id.
        child: i32,
    },
}

/// Makes a copy of the calling process (`fork`).
///
/// # Safety
///
/// The child is a copy of a process that may be in the middle of anything
/// (an allocation, a lock held): until it calls `execve` or exits it must do
/// only async-signal-safe work, which rules out allocating. With one thread
/// per process (vibix before phase 3) no other thread's half-done work is
/// copied, but the rule stands.
#[cfg(feature = "phase2")]
pub unsafe fn fork() -> Result<Fork> {
    // SAFETY: `fork` copies the address space; the caller keeps the child
    // to async-signal-safe work.
    let pid = check(unsafe { syscall!(nr::FORK) })?;
    Ok(match pid {
        0 => Fork::Child,
        child => Fork::Parent {
            child: child as i32,
        },
    })
}

/// Waits for child `pid` to end (`wait4`; `options` may hold [`WNOHANG`]).
/// Returns its pid and status word (decode it with [`exit_code`] and
/// [`term_signal`]), or `None` if [`WNOHANG`] was given and the child is
/// still running. A signal that interrupts the wait is `EINTR`.
#[cfg(feature = "phase2")]
pub fn wait4(pid: i32, options: i32) -> Result<Option<(i32, u32)>> {
    let mut status = 0u32;
    let no_rusage = core::ptr::null_mut::<vibix_uapi::wait::Rusage>();
    // SAFETY: the kernel writes one `int` to `status`, which we own; no
    // resource usage is asked for.
    let ret = check(unsafe { syscall!(nr::WAIT4, pid, &raw mut status, options, no_rusage) })?;
    Ok((ret != 0).then_some((ret as i32, status)))
}

/// Sends signal `sig` to process `pid` (`kill`).
#[cfg(feature = "phase2")]
pub fn kill(pid: i32, sig: i32) -> Result<()> {
    // SAFETY: sending a signal touches no memory of ours.
    check(unsafe { syscall!(nr::KILL, pid, sig) }).map(drop)
}
