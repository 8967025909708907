//! Ending the process, and who it is: `exit_group`, `getpid`, `abort`.

use crate::errno::{Result, check};
use crate::{nr, syscall};

pub use vibix_uapi::signal::SIGABRT;

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
