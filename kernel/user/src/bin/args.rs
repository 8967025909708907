//! `args`: the initial stack the kernel builds for a new program.
//!
//! Prints argc, every argument and every environment variable, in order,
//! then checks the auxiliary vector against facts the program knows about
//! itself: the page size, where its program headers are (the linker records
//! that in the ELF header at `__ehdr_start`), and where `_start` is.
//! It prints only facts, never addresses, so that the output is the same on
//! every run and on every kernel.

#![no_std]
#![no_main]

use vrt::auxv::{AT_ENTRY, AT_PAGESZ, AT_PHDR, AT_PHENT, AT_PHNUM, AT_RANDOM};
use vrt::print::Bytes;
use vrt::{check, check_eq};

vrt::entry!(main);

/// The 64-bit ELF file header (just the fields read here are used).
#[repr(C)]
struct ElfHeader {
    e_ident: [u8; 16],
    e_type: u16,
    e_machine: u16,
    e_version: u32,
    e_entry: u64,
    e_phoff: u64,
    e_shoff: u64,
    e_flags: u32,
    e_ehsize: u16,
    e_phentsize: u16,
    e_phnum: u16,
    e_shentsize: u16,
    e_shnum: u16,
    e_shstrndx: u16,
}

/// A 64-bit ELF program header: one segment.
#[repr(C)]
struct ProgramHeader {
    p_type: u32,
    p_flags: u32,
    p_offset: u64,
    p_vaddr: u64,
    p_paddr: u64,
    p_filesz: u64,
    p_memsz: u64,
    p_align: u64,
}

const PT_LOAD: u32 = 1;
const PT_PHDR: u32 = 6;
const PF_X: u32 = 1;

unsafe extern "C" {
    /// Defined by the linker at the ELF header, which the first loadable
    /// segment maps along with the program headers that follow it.
    static __ehdr_start: ElfHeader;
}

fn main(args: &vrt::Args) -> i32 {
    vrt::println!("argc={}", args.argc());
    for (i, arg) in args.args().enumerate() {
        vrt::println!("argv[{i}]={}", Bytes(arg.to_bytes()));
    }
    for entry in args.env() {
        vrt::println!("env: {}", Bytes(entry.to_bytes()));
    }

    check!(
        args.initial_stack().addr().is_multiple_of(16),
        "the initial stack pointer is 16-byte aligned"
    );
    check_eq!(args.auxv(AT_PAGESZ), Some(4096), "AT_PAGESZ == 4096");
    check_eq!(
        args.auxv(AT_ENTRY),
        Some(vrt::start::entry_point()),
        "AT_ENTRY == address of _start"
    );
    check_program_headers(args);
    check_random(args);

    vrt::check::all_passed();
    0
}

/// AT_PHDR, AT_PHENT and AT_PHNUM must describe this program's own headers.
fn check_program_headers(args: &vrt::Args) {
    // SAFETY: the linker defines `__ehdr_start` at the ELF header, which is
    // part of the first PT_LOAD segment and so mapped and never written.
    let ehdr = unsafe { &__ehdr_start };
    let ehdr_addr = (&raw const __ehdr_start).addr();
    let phdr = ehdr_addr + ehdr.e_phoff as usize;

    check_eq!(args.auxv(AT_PHENT), Some(56), "AT_PHENT == 56");
    check_eq!(
        args.auxv(AT_PHNUM),
        Some(usize::from(ehdr.e_phnum)),
        "AT_PHNUM == the ELF header's e_phnum"
    );
    check_eq!(
        args.auxv(AT_PHDR),
        Some(phdr),
        "AT_PHDR == address of the program headers"
    );

    // Only now that AT_PHDR is known to point at our own headers, read them.
    // SAFETY: the headers follow the ELF header in the same mapped,
    // read-only segment: e_phnum entries of 56 bytes, 8-byte aligned.
    let headers = unsafe {
        core::slice::from_raw_parts(
            core::ptr::with_exposed_provenance::<ProgramHeader>(phdr),
            usize::from(ehdr.e_phnum),
        )
    };
    if let Some(pt_phdr) = headers.iter().find(|h| h.p_type == PT_PHDR) {
        check_eq!(
            pt_phdr.p_vaddr as usize,
            phdr,
            "PT_PHDR found through AT_PHDR describes the headers themselves"
        );
    }
    let entry = vrt::start::entry_point() as u64;
    let code = headers
        .iter()
        .find(|h| h.p_type == PT_LOAD && h.p_vaddr <= entry && entry < h.p_vaddr + h.p_memsz);
    check!(
        code.is_some_and(|h| h.p_flags & PF_X != 0),
        "an executable PT_LOAD found through AT_PHDR contains _start"
    );
}

/// AT_RANDOM must point at 16 bytes, which should not all be zero. (The
/// bytes are never printed: they differ on every run.)
fn check_random(args: &vrt::Args) {
    let Some(random) = args.auxv(AT_RANDOM).filter(|&addr| addr != 0) else {
        vrt::check::fail(format_args!("AT_RANDOM present"), format_args!("missing"));
    };
    // SAFETY: the ABI promises 16 readable bytes at AT_RANDOM, on the
    // initial stack, which nothing writes.
    let bytes = unsafe {
        core::slice::from_raw_parts(core::ptr::with_exposed_provenance::<u8>(random), 16)
    };
    check!(bytes.iter().any(|&b| b != 0), "AT_RANDOM present");
}
