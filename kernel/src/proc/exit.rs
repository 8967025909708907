//! Ending a process. With no scheduler yet, the only process is init, and
//! init's end is the machine's: the kernel logs init's wait status and
//! powers off, handing that status to QEMU (see `power`).

use crate::kprintln;

/// Ends the current process with Linux wait status `status`.
pub fn exit_current(status: u32) -> ! {
    // We are running on the process's own kernel stack, so it is not freed
    // here; the machine stops right after.
    let (pid, name) = super::current_identity();
    let ticks = crate::arch::pit::ticks();
    kprintln!("{name} (pid {pid}) ended after {ticks} timer ticks");
    kprintln!("init exited, wait status {:#06x}", status);
    crate::power::exit_qemu(status)
}
