//! Signal handlers: `rt_sigaction` (13) with a restorer, the code a handler
//! returns to, which asks the kernel (`rt_sigreturn`, 15) to resume the
//! interrupted program.

use crate::errno::Errno;
use crate::syscall::syscall4;

pub const SIGUSR1: usize = 10;
/// `sa_flags`: `sa_restorer` is set (the x86_64 kernel ABI requires it).
pub const SA_RESTORER: usize = 0x0400_0000;

/// Where a handler returns to: `rt_sigreturn`, which does not return.
#[unsafe(naked)]
pub extern "C" fn restorer() {
    core::arch::naked_asm!("mov eax, 15", "syscall", "ud2");
}

/// Installs `act`, a Linux `struct sigaction` (handler, flags, restorer,
/// mask), for `sig`.
pub fn sigaction(sig: usize, act: [usize; 4]) -> Result<usize, Errno> {
    // SAFETY: the kernel reads one 32-byte struct sigaction from `act`.
    Errno::from_ret(unsafe { syscall4(13, sig, act.as_ptr() as usize, 0, 8) })
}

/// Runs the function at address `handler` on `sig`, returning through
/// [`restorer`].
pub fn catch(sig: usize, handler: usize) -> Result<usize, Errno> {
    sigaction(sig, [handler, SA_RESTORER, restorer as *const () as usize, 0])
}
