//! Powering off through QEMU's `isa-debug-exit` device (port 0xf4): QEMU
//! exits with status `(value << 1) | 1`. We write init's wait status, so the
//! runner can tell a normal exit (QEMU status 1), death by signal
//! (status 2*signo+1) and a kernel panic (`PANIC`, status 255) apart.

use x86_64::instructions::port::Port;

const DEBUG_EXIT_PORT: u16 = 0xf4;

/// The value a kernel panic writes: 0x7f is never a terminal wait status
/// (in Linux's encoding it means "stopped"), and QEMU turns it into 255.
pub const PANIC: u32 = 0x7f;

/// Leaves the machine, reporting `value` to QEMU.
pub fn exit_qemu(value: u32) -> ! {
    let mut port = Port::<u32>::new(DEBUG_EXIT_PORT);
    // SAFETY: writing the debug-exit port only asks QEMU to terminate.
    unsafe { port.write(value) };
    // Without the device (e.g. on real hardware) we simply stop.
    halt_forever()
}

/// Stops this CPU for good.
pub fn halt_forever() -> ! {
    x86_64::instructions::interrupts::disable();
    loop {
        x86_64::instructions::hlt();
    }
}
