//! The few ELF facts user space reads at run time (Linux's
//! `<uapi/linux/elf.h>`): a program header, as the auxiliary vector's
//! `AT_PHDR` shows the running program's, and the segment types of the
//! loaded segments, of the thread-local storage template and of the unwind
//! tables' index. (The kernel's loader parses whole files with a crate of
//! its own.)

#![allow(missing_docs)]

/// A loaded segment: `p_memsz` bytes at `p_vaddr` (plus the load bias).
pub const PT_LOAD: u32 = 1;
/// The program headers themselves: with `AT_PHDR`, where the program was
/// loaded (its `p_vaddr` against the address the kernel reports).
pub const PT_PHDR: u32 = 6;
/// The thread-local storage template.
pub const PT_TLS: u32 = 7;
/// The unwind tables' index (`.eh_frame_hdr`), which an unwinder reads to
/// find the frame description of a return address.
pub const PT_GNU_EH_FRAME: u32 = 0x6474_e550;

/// `Elf64_Phdr`: one program header.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Phdr {
    pub p_type: u32,
    pub p_flags: u32,
    pub p_offset: u64,
    pub p_vaddr: u64,
    pub p_paddr: u64,
    pub p_filesz: u64,
    pub p_memsz: u64,
    pub p_align: u64,
}
