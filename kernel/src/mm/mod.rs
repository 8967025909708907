//! Memory: physical frames, the kernel heap, page tables, and the user
//! address space built from them.
//!
//! The boot code maps the first 4 GiB of physical memory at `PHYS_OFFSET`
//! (the "physmap"), so the kernel reaches any frame at `phys + PHYS_OFFSET`.

pub mod aspace;
pub mod cow;
pub mod fault;
pub mod frame;
pub mod heap;
pub mod page_cache;
pub mod paging;
pub mod shared;

/// Where the physmap starts: PML4 slot 256, the first kernel-half slot.
pub const PHYS_OFFSET: u64 = 0xffff_8000_0000_0000;
/// How much physical memory the boot physmap covers.
pub const PHYSMAP_SIZE: u64 = 4 << 30;

/// The kernel-virtual address of physical address `phys`.
pub const fn phys_to_virt(phys: u64) -> u64 {
    phys + PHYS_OFFSET
}
