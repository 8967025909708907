//! Reading a loaded ELF object: its header and its program headers, as an
//! interpreter finds them from the auxiliary vector, and the checks the
//! test programs share.

pub use vibix_uapi::elf::{ET_DYN, ET_EXEC};
use vibix_uapi::elf::{PF_X, PT_LOAD, PT_PHDR, Phdr};

/// The fields of a loaded ELF header the programs look at.
pub struct Header {
    pub e_type: u16,
    pub e_entry: usize,
    pub e_phoff: usize,
    pub e_phnum: u16,
}

/// Reads the ELF header at `at`.
///
/// # Safety
///
/// `at` must be the address of a loaded, readable ELF header.
pub unsafe fn header(at: usize) -> Header {
    let p = at as *const u8;
    // SAFETY: the caller promises 64 readable bytes; reads are unaligned.
    unsafe {
        Header {
            e_type: (p.add(16) as *const u16).read_unaligned(),
            e_entry: (p.add(24) as *const usize).read_unaligned(),
            e_phoff: (p.add(32) as *const usize).read_unaligned(),
            e_phnum: (p.add(56) as *const u16).read_unaligned(),
        }
    }
}

/// The program headers at `at`, `n` of them.
///
/// # Safety
///
/// `at` must point at `n` loaded program headers (what `AT_PHDR` and
/// `AT_PHNUM` describe), which stay mapped.
pub unsafe fn phdrs(at: usize, n: usize) -> &'static [Phdr] {
    // SAFETY: as the caller promises; `Phdr` is `Elf64_Phdr`, 8-aligned
    // as the table is.
    unsafe { core::slice::from_raw_parts(at as *const Phdr, n) }
}

/// The load bias of the object whose program headers are `table`, loaded
/// at `at`: from `PT_PHDR` (the table's own link-time address) when there
/// is one, else 0 (an `ET_EXEC` program is where it was linked).
pub fn bias(table: &[Phdr], at: usize) -> usize {
    table
        .iter()
        .find(|p| p.p_type == PT_PHDR)
        .map_or(0, |p| at.wrapping_sub(p.p_vaddr as usize))
}

/// Where the object's ELF header is loaded: the start of the segment
/// loading file offset 0.
pub fn header_address(table: &[Phdr], bias: usize) -> Option<usize> {
    table
        .iter()
        .find(|p| p.p_type == PT_LOAD && p.p_offset == 0)
        .map(|p| bias.wrapping_add(p.p_vaddr as usize))
}

/// Whether `addr` lies in an executable `PT_LOAD` segment.
pub fn executable(table: &[Phdr], bias: usize, addr: usize) -> bool {
    table.iter().any(|p| {
        let start = bias.wrapping_add(p.p_vaddr as usize);
        p.p_type == PT_LOAD
            && p.p_flags & PF_X != 0
            && addr >= start
            && addr - start < p.p_memsz as usize
    })
}

/// The loaded range `[start, end)` the `PT_LOAD` segments cover.
pub fn extent(table: &[Phdr], bias: usize) -> (usize, usize) {
    let loads = table.iter().filter(|p| p.p_type == PT_LOAD);
    let start = loads.clone().map(|p| p.p_vaddr as usize).min().unwrap_or(0);
    let end = loads
        .map(|p| (p.p_vaddr + p.p_memsz) as usize)
        .max()
        .unwrap_or(0);
    (bias.wrapping_add(start), bias.wrapping_add(end))
}

/// Counts failed checks and prints each as `ok: …` or `FAIL: …`.
#[derive(Default)]
pub struct Checks {
    pub failed: u32,
}

impl Checks {
    pub fn check(&mut self, what: &str, ok: bool) {
        if ok {
            crate::println!("ok: {what}");
        } else {
            crate::println!("FAIL: {what}");
            self.failed += 1;
        }
    }
}
