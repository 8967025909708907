//! vibix: a small x86_64 kernel with the Linux syscall ABI.
//!
//! `kmain` is the boot sequence, in order: log and console, what the boot
//! loader told us, physical memory and the heap, CPU tables, interrupts,
//! the initramfs, then init. Each step lives in its own module.

#![no_std]
#![no_main]

extern crate alloc;

mod arch;
mod boot;
mod console;
mod fs;
mod mm;
mod panic;
mod phase;
mod power;
mod proc;
mod random;
mod syscall;
mod time;
mod uaccess;

use boot::pvh::Range;

#[unsafe(no_mangle)]
extern "C" fn kmain(start_info_phys: u64) -> ! {
    console::serial::init();
    kprintln!("booting");

    // SAFETY: this is the address QEMU passed at the PVH entry, untouched so far.
    let info = unsafe { boot::pvh::read(start_info_phys) };
    let kernel = Range {
        start: 0x10_0000,
        end: boot::kernel_end_phys(),
    };
    let initrd = info.initrd.unwrap_or(Range { start: 0, end: 0 });
    mm::frame::init(info.ram(), &[kernel, initrd]);
    mm::cow::init();
    let heap = mm::heap::init();

    arch::gdt::init();
    arch::idt::init();
    arch::fpu::init();
    arch::pic::disable();
    arch::apic::init();
    arch::pit::init();
    arch::syscall_entry::init();
    time::init();

    // SAFETY: the initrd range is reserved from the frame allocator and the
    // physmap covers it (QEMU loads it below 4 GiB).
    let initramfs = unsafe {
        core::slice::from_raw_parts(
            mm::phys_to_virt(initrd.start) as *const u8,
            (initrd.end - initrd.start) as usize,
        )
    };
    fs::init(initramfs);
    kprintln!(
        "{} MiB free, {} MiB heap, initramfs {} KiB",
        (mm::frame::free_frames() * 4096) >> 20,
        heap >> 20,
        initramfs.len() >> 10
    );

    if arch::cpu::hw_random_u64().is_none() {
        // Programs still run (exec's AT_RANDOM falls back to TSC jitter),
        // but getrandom never makes up bytes: it waits, or fails with EAGAIN.
        kprintln!(
            "no hardware entropy (RDSEED/RDRAND): getrandom will never be ready; run QEMU with -cpu max or -cpu host"
        );
    }

    if kcore::cmdline::kernel_options(info.cmdline()).any(|o| o == b"vibix.syscalls") {
        syscall::table::log_table();
        power::exit_qemu(0);
    }

    let spec = kcore::cmdline::parse(info.cmdline());
    let argv: alloc::vec::Vec<&[u8]> = spec.argv.iter().map(|a| a.as_slice()).collect();
    let envp: alloc::vec::Vec<&[u8]> = spec.envp.iter().map(|e| e.as_slice()).collect();
    kprintln!(
        "starting init {}",
        alloc::string::String::from_utf8_lossy(&spec.init)
    );
    proc::exec::start_init(&spec.init, &argv, &envp, spec.cwd.as_deref())
}
