//! The few ELF facts user space reads at run time (Linux's
//! `<uapi/linux/elf.h>`): a program header, as the auxiliary vector's
//! `AT_PHDR` shows the running program's, the segment types of the
//! loaded segments, of the interpreter's path, of the dynamic section, of
//! the thread-local storage template and of the unwind tables' index; the
//! object types and segment flags; and what a self-relocating object reads
//! in its dynamic section. (The kernel's loader parses whole files with a
//! crate of its own.)

#![allow(missing_docs)]

/// A loaded segment: `p_memsz` bytes at `p_vaddr` (plus the load bias).
pub const PT_LOAD: u32 = 1;
/// The dynamic section (`_DYNAMIC`): `(d_tag, d_val)` pairs.
pub const PT_DYNAMIC: u32 = 2;
/// The program interpreter's path, NUL-terminated.
pub const PT_INTERP: u32 = 3;
/// The program headers themselves: with `AT_PHDR`, where the program was
/// loaded (its `p_vaddr` against the address the kernel reports).
pub const PT_PHDR: u32 = 6;
/// The thread-local storage template.
pub const PT_TLS: u32 = 7;
/// The unwind tables' index (`.eh_frame_hdr`), which an unwinder reads to
/// find the frame description of a return address.
pub const PT_GNU_EH_FRAME: u32 = 0x6474_e550;

/// `e_type`: linked for its addresses.
pub const ET_EXEC: u16 = 2;
/// `e_type`: position independent (a PIE, a shared object, a dynamic
/// linker), loaded at a bias.
pub const ET_DYN: u16 = 3;

/// `p_flags`: executable, writable, readable.
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;

/// Dynamic section tags: the end, the `Elf64_Rela` table (address, size in
/// bytes, entry size), and the other relocation table formats.
pub const DT_NULL: usize = 0;
pub const DT_RELA: usize = 7;
pub const DT_RELASZ: usize = 8;
pub const DT_RELAENT: usize = 9;
pub const DT_REL: usize = 17;
pub const DT_RELR: usize = 36;

/// `R_X86_64_RELATIVE`: the word at the offset becomes the load bias plus
/// the addend.
pub const R_X86_64_RELATIVE: u32 = 8;

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
