//! The few ELF facts user space reads at run time (Linux's
//! `<uapi/linux/elf.h>`): a program header, as the auxiliary vector's
//! `AT_PHDR` shows the running program's, the segment types of the
//! loaded segments, of the interpreter's path, of the dynamic section, of
//! the thread-local storage template, of the unwind tables' index and of
//! the part made read-only after relocation; the
//! object types and segment flags; and what a dynamic linker reads (the
//! dynamic section's tags and flags, symbol table entries, relocation
//! entries and types: Linux's `<elf.h>` and the x86_64 psABI). (The
//! kernel's loader parses whole files with a crate of its own.)

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
/// The part of a writable segment that only relocation writes
/// (`.got`, `.data.rel.ro`): read-only once the dynamic linker is done.
pub const PT_GNU_RELRO: u32 = 0x6474_e552;

/// `e_type`: linked for its addresses.
pub const ET_EXEC: u16 = 2;
/// `e_type`: position independent (a PIE, a shared object, a dynamic
/// linker), loaded at a bias.
pub const ET_DYN: u16 = 3;

/// `p_flags`: executable, writable, readable.
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;

/// Dynamic section tags (`d_tag` of an `Elf64_Dyn`, Linux's `<elf.h>`):
/// the end; the names of needed libraries, the object's own name and its
/// search paths (string-table offsets); the string and symbol tables and
/// their sizes; the hash tables; the relocation tables (`Elf64_Rela`:
/// address, size in bytes, entry size; the PLT's, `DT_JMPREL`, with its
/// size and its format `DT_PLTREL`; the relative-only `DT_RELR`); the
/// initialisation and termination functions and arrays; flags.
pub const DT_NULL: usize = 0;
pub const DT_NEEDED: usize = 1;
pub const DT_PLTRELSZ: usize = 2;
pub const DT_PLTGOT: usize = 3;
pub const DT_HASH: usize = 4;
pub const DT_STRTAB: usize = 5;
pub const DT_SYMTAB: usize = 6;
pub const DT_RELA: usize = 7;
pub const DT_RELASZ: usize = 8;
pub const DT_RELAENT: usize = 9;
pub const DT_STRSZ: usize = 10;
pub const DT_SYMENT: usize = 11;
pub const DT_INIT: usize = 12;
pub const DT_FINI: usize = 13;
pub const DT_SONAME: usize = 14;
pub const DT_RPATH: usize = 15;
pub const DT_REL: usize = 17;
pub const DT_PLTREL: usize = 20;
pub const DT_TEXTREL: usize = 22;
pub const DT_JMPREL: usize = 23;
pub const DT_BIND_NOW: usize = 24;
pub const DT_INIT_ARRAY: usize = 25;
pub const DT_FINI_ARRAY: usize = 26;
pub const DT_INIT_ARRAYSZ: usize = 27;
pub const DT_FINI_ARRAYSZ: usize = 28;
pub const DT_RUNPATH: usize = 29;
pub const DT_FLAGS: usize = 30;
pub const DT_PREINIT_ARRAY: usize = 32;
pub const DT_PREINIT_ARRAYSZ: usize = 33;
pub const DT_RELRSZ: usize = 35;
pub const DT_RELR: usize = 36;
pub const DT_RELRENT: usize = 37;
pub const DT_GNU_HASH: usize = 0x6fff_fef5;
pub const DT_FLAGS_1: usize = 0x6fff_fffb;

/// `DT_FLAGS` bits: `$ORIGIN` in paths, text relocations, bind now, static
/// TLS only.
pub const DF_ORIGIN: u64 = 0x1;
pub const DF_TEXTREL: u64 = 0x4;
pub const DF_BIND_NOW: u64 = 0x8;
pub const DF_STATIC_TLS: u64 = 0x10;
/// `DT_FLAGS_1` bits: bind now, a position-independent executable.
pub const DF_1_NOW: u64 = 0x1;
pub const DF_1_PIE: u64 = 0x0800_0000;

/// Relocation types (`ELF64_R_TYPE` of `r_info`), the x86_64 psABI's: none;
/// `S + A` in 64 bits; `S + A - P` in 32; copy the symbol's bytes; a GOT
/// entry; a PLT slot; `B + A`; the TLS module id, the offset in the
/// module's block, the offset from the thread pointer.
pub const R_X86_64_NONE: u32 = 0;
pub const R_X86_64_64: u32 = 1;
pub const R_X86_64_PC32: u32 = 2;
pub const R_X86_64_COPY: u32 = 5;
pub const R_X86_64_GLOB_DAT: u32 = 6;
pub const R_X86_64_JUMP_SLOT: u32 = 7;
pub const R_X86_64_RELATIVE: u32 = 8;
pub const R_X86_64_DTPMOD64: u32 = 16;
pub const R_X86_64_DTPOFF64: u32 = 17;
pub const R_X86_64_TPOFF64: u32 = 18;

/// Symbol bindings (`st_info >> 4`): local, global, weak.
pub const STB_LOCAL: u8 = 0;
pub const STB_GLOBAL: u8 = 1;
pub const STB_WEAK: u8 = 2;
/// Symbol types (`st_info & 0xf`): none, data, code, section, file, TLS.
pub const STT_NOTYPE: u8 = 0;
pub const STT_OBJECT: u8 = 1;
pub const STT_FUNC: u8 = 2;
pub const STT_SECTION: u8 = 3;
pub const STT_FILE: u8 = 4;
pub const STT_TLS: u8 = 6;
/// `st_shndx` of an undefined symbol.
pub const SHN_UNDEF: u16 = 0;

/// `Elf64_Dyn`: one dynamic section entry.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dyn {
    pub d_tag: i64,
    pub d_val: u64,
}

/// `Elf64_Sym`: one symbol table entry.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sym {
    pub st_name: u32,
    pub st_info: u8,
    pub st_other: u8,
    pub st_shndx: u16,
    pub st_value: u64,
    pub st_size: u64,
}

/// `Elf64_Rela`: one relocation with an addend; `r_info` is the symbol's
/// index (high 32 bits) and the type (low 32).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rela {
    pub r_offset: u64,
    pub r_info: u64,
    pub r_addend: i64,
}

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

/// The stack segment's flags (`PT_GNU_STACK`): without it, glibc makes
/// the stack executable for the object; with `PF_R | PF_W`, it does not.
pub const PT_GNU_STACK: u32 = 0x6474_e551;

/// `e_ident`: the magic bytes, and the class, data encoding and version
/// of an x86_64 object (64-bit, little-endian, the current version); the
/// index of each byte.
pub const ELFMAG: [u8; 4] = *b"\x7fELF";
pub const EI_CLASS: usize = 4;
pub const EI_DATA: usize = 5;
pub const EI_VERSION: usize = 6;
pub const ELFCLASS64: u8 = 2;
pub const ELFDATA2LSB: u8 = 1;
pub const EV_CURRENT: u8 = 1;
/// `e_machine`: x86_64, and AArch64 (an object for another machine).
pub const EM_X86_64: u16 = 62;
pub const EM_AARCH64: u16 = 183;

/// `Elf64_Ehdr`: the ELF header, at the start of every object.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ehdr {
    pub e_ident: [u8; 16],
    pub e_type: u16,
    pub e_machine: u16,
    pub e_version: u32,
    pub e_entry: u64,
    pub e_phoff: u64,
    pub e_shoff: u64,
    pub e_flags: u32,
    pub e_ehsize: u16,
    pub e_phentsize: u16,
    pub e_phnum: u16,
    pub e_shentsize: u16,
    pub e_shnum: u16,
    pub e_shstrndx: u16,
}
