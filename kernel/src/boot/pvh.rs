//! The PVH boot protocol's `hvm_start_info`: memory map, command line and
//! modules (our initramfs). Everything is read once, early, through the
//! physmap, and copied into a `BootInfo` that outlives the firmware's memory.

use crate::mm::phys_to_virt;

const START_INFO_MAGIC: u32 = 0x336e_c578;
/// E820 type of ordinary RAM.
const MEMMAP_RAM: u32 = 1;

#[repr(C)]
struct StartInfo {
    magic: u32,
    version: u32,
    flags: u32,
    nr_modules: u32,
    modlist_paddr: u64,
    cmdline_paddr: u64,
    rsdp_paddr: u64,
    memmap_paddr: u64,
    memmap_entries: u32,
    reserved: u32,
}

#[repr(C)]
struct ModlistEntry {
    paddr: u64,
    size: u64,
    cmdline_paddr: u64,
    reserved: u64,
}

#[repr(C)]
struct MemmapEntry {
    addr: u64,
    size: u64,
    kind: u32,
    reserved: u32,
}

/// A physical address range `[start, end)`.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    pub start: u64,
    pub end: u64,
}

pub const MAX_RAM_RANGES: usize = 32;
pub const CMDLINE_MAX: usize = 1024;

/// What the boot loader told us, copied out of its memory.
pub struct BootInfo {
    pub ram: [Range; MAX_RAM_RANGES],
    pub ram_count: usize,
    pub initrd: Option<Range>,
    pub cmdline: [u8; CMDLINE_MAX],
    pub cmdline_len: usize,
}

impl BootInfo {
    pub fn ram(&self) -> &[Range] {
        &self.ram[..self.ram_count]
    }

    pub fn cmdline(&self) -> &[u8] {
        &self.cmdline[..self.cmdline_len]
    }
}

/// Reads the `hvm_start_info` at physical address `phys`.
///
/// # Safety
/// `phys` must be the address QEMU passed in %ebx at the PVH entry, still
/// untouched (no frame allocator exists yet).
pub unsafe fn read(phys: u64) -> BootInfo {
    // SAFETY: the caller guarantees `phys` is the firmware's start_info, which
    // the physmap covers (it lies below 4 GiB).
    let info = unsafe { &*(phys_to_virt(phys) as *const StartInfo) };
    assert_eq!(
        info.magic, START_INFO_MAGIC,
        "PVH start_info magic mismatch"
    );
    assert!(info.version >= 1, "PVH start_info without a memory map");

    let mut boot = BootInfo {
        ram: [Range { start: 0, end: 0 }; MAX_RAM_RANGES],
        ram_count: 0,
        initrd: None,
        cmdline: [0; CMDLINE_MAX],
        cmdline_len: 0,
    };

    for i in 0..info.memmap_entries as usize {
        // SAFETY: the firmware's memmap holds `memmap_entries` entries.
        let e = unsafe { &*(phys_to_virt(info.memmap_paddr) as *const MemmapEntry).add(i) };
        if e.kind == MEMMAP_RAM && boot.ram_count < MAX_RAM_RANGES {
            boot.ram[boot.ram_count] = Range {
                start: e.addr,
                end: e.addr + e.size,
            };
            boot.ram_count += 1;
        }
    }

    if info.nr_modules > 0 {
        // SAFETY: with nr_modules > 0, modlist_paddr points at the first entry.
        let m = unsafe { &*(phys_to_virt(info.modlist_paddr) as *const ModlistEntry) };
        boot.initrd = Some(Range {
            start: m.paddr,
            end: m.paddr + m.size,
        });
    }

    if info.cmdline_paddr != 0 {
        let src = phys_to_virt(info.cmdline_paddr) as *const u8;
        while boot.cmdline_len < CMDLINE_MAX {
            // SAFETY: the command line is NUL-terminated; we stop at the NUL
            // or at our buffer's end, whichever comes first.
            let b = unsafe { *src.add(boot.cmdline_len) };
            if b == 0 {
                break;
            }
            boot.cmdline[boot.cmdline_len] = b;
            boot.cmdline_len += 1;
        }
    }
    boot
}
