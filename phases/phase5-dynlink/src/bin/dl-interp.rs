//! `dl-interp`: a program interpreter for the kernel's tests. A program
//! whose `PT_INTERP` names it is started through it: the kernel loads both
//! and enters here, with the program's facts in the auxiliary vector. It
//! checks each one against the program's own headers, in memory, prints
//! what it found, and jumps to `AT_ENTRY` with the initial stack as the
//! kernel left it, as a dynamic linker does once it has loaded the
//! libraries (here there is nothing to load: the program is static, or a
//! self-relocating PIE).

#![no_std]
#![no_main]

use pirt::elf::{self, Checks, ET_DYN, ET_EXEC};
use pirt::println;
use pirt::start::Start;
use vibix_uapi::auxv::*;

pirt::entry!(main);

fn main(start: &Start) -> i32 {
    let aux = |key| start.stack.getauxval(key).unwrap_or(0);
    let base = aux(AT_BASE);
    if base == 0 {
        println!("dl-interp: AT_BASE is 0: run as a program, not as an interpreter");
        return 2;
    }
    println!("dl-interp: started as the interpreter");
    let mut c = Checks::default();
    c.check(
        "AT_BASE is the interpreter's load address",
        base == start.base,
    );
    c.check("AT_BASE is page aligned", base.is_multiple_of(4096));
    c.check("AT_PAGESZ is 4096", aux(AT_PAGESZ) == 4096);
    c.check("AT_PHENT is 56", aux(AT_PHENT) == 56);
    let (phdr, phnum, entry) = (aux(AT_PHDR), aux(AT_PHNUM), aux(AT_ENTRY));
    c.check(
        "AT_ENTRY is not the interpreter's entry",
        entry != (pirt::start::_start as *const ()).addr(),
    );
    c.check("AT_PHDR and AT_PHNUM are set", phdr != 0 && phnum != 0);
    if c.failed != 0 {
        return 1;
    }
    // SAFETY: AT_PHDR/AT_PHNUM describe the program's loaded table.
    let table = unsafe { elf::phdrs(phdr, phnum) };
    let bias = elf::bias(table, phdr);
    let Some(at) = elf::header_address(table, bias) else {
        c.check("the program loads its ELF header", false);
        return 1;
    };
    // SAFETY: a segment loads file offset 0, the header, at `at`.
    let header = unsafe { elf::header(at) };
    let kind = match header.e_type {
        ET_EXEC => "ET_EXEC",
        ET_DYN => "ET_DYN",
        _ => "another type",
    };
    println!("dl-interp: the program is {kind}");
    c.check(
        "AT_PHDR is the program's ELF header plus its e_phoff",
        at + header.e_phoff == phdr,
    );
    c.check(
        "AT_PHNUM is the program's e_phnum",
        usize::from(header.e_phnum) == phnum,
    );
    c.check(
        "AT_ENTRY is the program's e_entry plus its load bias",
        header.e_entry.wrapping_add(bias) == entry,
    );
    c.check(
        "AT_ENTRY lies in an executable segment of the program",
        elf::executable(table, bias, entry),
    );
    if header.e_type == ET_DYN {
        c.check(
            "the program's load bias is page aligned",
            bias.is_multiple_of(4096) && bias != 0,
        );
    }
    // SAFETY: the interpreter's own header, at its load address.
    let own = unsafe { elf::header(base) };
    // SAFETY: its program headers are loaded with it.
    let own_table = unsafe { elf::phdrs(base + own.e_phoff, usize::from(own.e_phnum)) };
    let (a, b) = (elf::extent(table, bias), elf::extent(own_table, base));
    c.check(
        "the program and the interpreter do not overlap",
        a.1 <= b.0 || b.1 <= a.0,
    );
    let execfn = aux(AT_EXECFN) as *const core::ffi::c_char;
    let argv0 = start.stack.args().next();
    // SAFETY: AT_EXECFN points at a NUL-terminated string on the stack.
    let execfn = (!execfn.is_null()).then(|| unsafe { core::ffi::CStr::from_ptr(execfn) });
    c.check(
        "AT_EXECFN is the path execve was given (here argv[0])",
        execfn.is_some() && execfn == argv0,
    );
    let random = aux(AT_RANDOM) as *const [u8; 16];
    // SAFETY: AT_RANDOM points at 16 bytes on the stack.
    c.check(
        "AT_RANDOM points at 16 bytes, not all zero",
        !random.is_null() && unsafe { *random } != [0; 16],
    );
    if c.failed != 0 {
        return 1;
    }
    println!("dl-interp: jumping to AT_ENTRY");
    // SAFETY: `entry` is the program's entry point and `sp` the initial
    // stack as the kernel built it; the program starts as if the kernel had
    // entered it (rdx 0: no function for atexit, as the ABI says).
    unsafe {
        core::arch::asm!(
            "mov rsp, {sp}",
            "xor edx, edx",
            "xor ebp, ebp",
            "jmp {entry}",
            sp = in(reg) start.sp,
            entry = in(reg) entry,
            options(noreturn),
        )
    }
}
