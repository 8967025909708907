//! `dl-pie`: a position-independent program (ELF type DYN). The kernel
//! loads it at an address of its choosing (vibix: `PIE_BASE`); it checks
//! what the auxiliary vector says about it against where it really is,
//! and that its own relocations were applied (a pointer stored in a
//! static reads back right).

#![no_std]
#![no_main]

use pirt::elf::{self, Checks, ET_DYN};
use pirt::println;
use pirt::start::Start;
use vibix_uapi::auxv::*;

pirt::entry!(main);

/// A pointer in the program's data: right only once relocated.
static GREETING: &str = "relocated";

fn main(start: &Start) -> i32 {
    let aux = |key| start.stack.getauxval(key).unwrap_or(0);
    println!("dl-pie: running");
    let mut c = Checks::default();
    // SAFETY: the program's ELF header is loaded at its base.
    let header = unsafe { elf::header(start.base) };
    c.check(
        "the program is position independent (ET_DYN)",
        header.e_type == ET_DYN,
    );
    c.check(
        "its load address is page aligned and not 0",
        start.base.is_multiple_of(4096) && start.base != 0,
    );
    c.check(
        "AT_ENTRY is this program's _start",
        aux(AT_ENTRY) == (pirt::start::_start as *const ()).addr(),
    );
    c.check(
        "AT_PHDR is its load address plus e_phoff",
        aux(AT_PHDR) == start.base + header.e_phoff,
    );
    c.check(
        "AT_PHNUM is its e_phnum",
        aux(AT_PHNUM) == usize::from(header.e_phnum),
    );
    c.check(
        "a pointer stored in a static was relocated",
        GREETING.len() == 9 && GREETING.starts_with("reloc"),
    );
    match aux(AT_BASE) {
        0 => println!("dl-pie: no interpreter (AT_BASE is 0)"),
        base => {
            println!("dl-pie: started through an interpreter");
            c.check("AT_BASE is not inside this program", base != start.base);
        }
    }
    let argc = start.stack.argc;
    println!("dl-pie: {argc} argument(s)");
    if c.failed == 0 { 0 } else { 1 }
}
