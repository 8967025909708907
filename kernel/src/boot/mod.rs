//! Boot: the assembly that takes us from QEMU's 32-bit PVH entry into long
//! mode in the upper half, and the PVH `start_info` it hands us.

pub mod pvh;

core::arch::global_asm!(include_str!("entry.S"), options(att_syntax));

unsafe extern "C" {
    /// The boot PML4 (physical address = symbol address, it lives in `.boot.data`).
    static boot_pml4: u8;
    /// First byte after the kernel image (virtual, in the -2 GiB window).
    static __kernel_end: u8;
}

/// Where the kernel image is mapped: virtual = physical + this.
pub const KERNEL_VMA: u64 = 0xffff_ffff_8000_0000;

/// Physical address of the boot PML4, the kernel's page table root.
pub fn boot_pml4_phys() -> u64 {
    // The symbol is linked at its physical address (identity-mapped section).
    core::ptr::addr_of!(boot_pml4) as u64
}

/// Physical end of the kernel image (page aligned by the linker script).
pub fn kernel_end_phys() -> u64 {
    core::ptr::addr_of!(__kernel_end) as u64 - KERNEL_VMA
}
