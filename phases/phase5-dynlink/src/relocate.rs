//! Self-relocation: what a static PIE (or a dynamic linker) does first.
//!
//! The kernel loads a position-independent object at an address of its
//! choosing (the *base*) and applies no relocation. Every pointer the
//! linker stored in the object's data (a string slice in a static, a
//! vtable's function pointers) holds a link-time address, valid only if the
//! object had been loaded at 0. The linker leaves one `R_X86_64_RELATIVE`
//! relocation for each: "add the base to the word at this offset". This
//! module applies them, reading `_DYNAMIC` (the object's `PT_DYNAMIC`) to
//! find the table. Until it has run, the code must not read any pointer
//! from memory; this module reads only integers and takes addresses from
//! the registers `_start` gives it.

use vibix_uapi::elf::{
    DT_NULL, DT_REL, DT_RELA, DT_RELAENT, DT_RELASZ, DT_RELR, R_X86_64_RELATIVE,
};

/// `Elf64_Rela`: offset, info, addend.
const RELA_SIZE: usize = 24;

/// Why relocation failed: the object holds something this runtime does
/// not handle (it then exits with status 127, as a dynamic linker does).
#[derive(Clone, Copy)]
pub enum Unsupported {
    /// A relocation table of another kind (`DT_REL`, `DT_RELR`).
    Table,
    /// A relocation of another type than `R_X86_64_RELATIVE`.
    Type,
}

/// Applies the `R_X86_64_RELATIVE` relocations of the object loaded at
/// `base` whose dynamic section is at `dynamic`; returns how many.
///
/// # Safety
///
/// `base` and `dynamic` must be the object's load address and its loaded
/// `_DYNAMIC`, and the relocations' targets must be writable (they are in
/// a static PIE: the linker puts them in its data segments).
pub unsafe fn relocate(base: usize, dynamic: *const [usize; 2]) -> Result<usize, Unsupported> {
    let (mut rela, mut relasz, mut relaent) = (0, 0, RELA_SIZE);
    let mut entry = dynamic;
    loop {
        // SAFETY: the dynamic section ends with DT_NULL; we stop there.
        let [tag, value] = unsafe { entry.read() };
        match tag {
            DT_NULL => break,
            DT_RELA => rela = value,
            DT_RELASZ => relasz = value,
            DT_RELAENT => relaent = value,
            DT_REL | DT_RELR => return Err(Unsupported::Table),
            _ => {}
        }
        // SAFETY: this entry was not the last one.
        entry = unsafe { entry.add(1) };
    }
    if relaent != RELA_SIZE {
        return Err(Unsupported::Table);
    }
    // ANCHOR: apply
    let count = relasz / RELA_SIZE;
    for i in 0..count {
        let at = (base + rela + i * RELA_SIZE) as *const usize;
        // SAFETY: the table lies in the loaded object, `count` entries long.
        let (offset, info, addend) = unsafe { (at.read(), at.add(1).read(), at.add(2).read()) };
        if info & 0xffff_ffff != R_X86_64_RELATIVE as usize {
            return Err(Unsupported::Type);
        }
        // SAFETY: the caller promises the target is in a writable segment
        // of this object.
        unsafe { ((base + offset) as *mut usize).write(base.wrapping_add(addend)) };
    }
    // ANCHOR_END: apply
    Ok(count)
}
