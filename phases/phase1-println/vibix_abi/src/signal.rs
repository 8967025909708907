//! Signal dispositions: what std's start-up sets. std on Linux ignores
//! `SIGPIPE` before `main`, so that a write to a pipe nobody reads fails
//! with `EPIPE` (an `io::Error`) instead of killing the program; vibix's
//! std does the same through [`set_disposition`]. Phase 3: the
//! [`restorer`] std's stack-overflow handler returns through.

use crate::errno::{Result, check};
use crate::{nr, syscall};
use vibix_uapi::signal::{SigAction, SigSet};

pub use vibix_uapi::signal::{SIG_DFL, SIG_IGN, SIGBUS, SIGPIPE, SIGSEGV};

/// Sets what `signal` does to [`SIG_IGN`] (ignored) or [`SIG_DFL`] (its
/// default action). Handlers: see `stack_overflow`.
pub fn set_disposition(signal: i32, disposition: usize) -> Result<()> {
    debug_assert!(disposition == SIG_IGN || disposition == SIG_DFL);
    let action = SigAction {
        sa_handler: disposition,
        sa_flags: 0,
        sa_restorer: 0,
        sa_mask: 0,
    };
    let old: *mut SigAction = core::ptr::null_mut();
    // SAFETY: `action` is a valid `struct sigaction` the kernel only reads
    // during the call; a null old-action pointer asks for nothing back.
    // Neither disposition runs code of ours, so no restorer is needed.
    check(unsafe {
        syscall!(
            nr::RT_SIGACTION,
            signal,
            &raw const action,
            old,
            size_of::<SigSet>()
        )
    })
    .map(drop)
}

/// Where a handler returns to (`sa_restorer`): `rt_sigreturn`, which
/// resumes what the signal interrupted and does not return here.
#[cfg(all(feature = "phase3", target_arch = "x86_64"))]
#[unsafe(naked)]
pub extern "C" fn restorer() {
    core::arch::naked_asm!(
        "mov eax, {nr}",
        "syscall",
        "ud2",
        nr = const nr::RT_SIGRETURN
    );
}
