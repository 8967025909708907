//! The kernel's panic handler: print the message to the kernel log and the
//! console, then power off with the distinct panic status.

use core::panic::PanicInfo;

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    x86_64::instructions::interrupts::disable();
    crate::kprintln!("KERNEL PANIC: {}", info);
    crate::console::serial::write_panic(format_args!("\nvibix: KERNEL PANIC: {}\n", info));
    crate::power::exit_qemu(crate::power::PANIC)
}
