//! Signal handlers: `rt_sigaction` with a restorer, the code a handler
//! returns to, which asks the kernel (`rt_sigreturn`) to resume the
//! interrupted program.

use vibix_uapi::signal::{SA_RESTORER, SigAction, SigSet};

use crate::errno::Errno;
use crate::nr;
use crate::syscall::syscall4;

pub use vibix_uapi::signal::SIGUSR1;

/// Where a handler returns to: `rt_sigreturn`, which does not return.
#[unsafe(naked)]
pub extern "C" fn restorer() {
    core::arch::naked_asm!("mov eax, {nr}", "syscall", "ud2", nr = const nr::RT_SIGRETURN);
}

/// Installs `act` for `sig`.
pub fn sigaction(sig: i32, act: &SigAction) -> Result<usize, Errno> {
    // SAFETY: the kernel reads one struct sigaction from `act`.
    Errno::from_ret(unsafe {
        syscall4(
            nr::RT_SIGACTION,
            sig as usize,
            act as *const SigAction as usize,
            0,
            size_of::<SigSet>(),
        )
    })
}

/// Runs the function at address `handler` on `sig`, returning through
/// [`restorer`].
pub fn catch(sig: i32, handler: usize) -> Result<usize, Errno> {
    sigaction(
        sig,
        &SigAction {
            sa_handler: handler,
            sa_flags: SA_RESTORER,
            sa_restorer: restorer as *const () as usize,
            sa_mask: 0,
        },
    )
}
