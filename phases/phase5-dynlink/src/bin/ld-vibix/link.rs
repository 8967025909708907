//! Symbol resolution over the global scope and relocation, eager: every
//! relocation of every object is applied before any of their code runs.
//! Lookup goes through the objects in load order (the program, then the
//! libraries breadth-first), and the first definition wins; `COPY`
//! relocations (the program's copies of a library's data) look past the
//! program. Objects are relocated last loaded first, so that a library's
//! data is relocated before the program copies it. The logic is
//! `ld_vibix`'s (`symbols`, `relocate`); this module reads the tables and
//! hands each relocation its definition.

use ld_vibix::Error;
use ld_vibix::dynamic::{RELA_SIZE, Table};
use ld_vibix::relocate::{Definition, Reloc, Target};
use vibix_uapi::elf::{
    R_X86_64_COPY, R_X86_64_NONE, R_X86_64_RELATIVE, Rela, SHN_UNDEF, STB_LOCAL, STB_WEAK, STT_TLS,
};

use crate::object::Object;

/// What went wrong relocating an object: the object's error, the error
/// of another object of the scope (its index) whose tables a lookup read,
/// or the name of a symbol no object defines.
pub enum LinkError {
    Object(Error),
    InScope(usize, Error),
    Undefined(&'static [u8]),
}

impl From<Error> for LinkError {
    fn from(e: Error) -> Self {
        LinkError::Object(e)
    }
}

// ANCHOR: lookup
/// The definition of symbol `index` of `object` in the global `scope`.
///
/// # Safety
///
/// Every object of `scope` must be mapped and readable, and none written
/// while this runs.
unsafe fn resolve(
    object: &Object,
    index: u32,
    r_type: u32,
    scope: &[Object],
) -> Result<Definition<'static>, LinkError> {
    if index == 0 {
        // No symbol: for the TLS types, this object's own module.
        return Ok(Definition {
            value: 0,
            tls_module: object.tls_module,
            tls_offset: object.tls_offset,
            bytes: &[],
        });
    }
    // SAFETY: the caller's contract.
    let symbols = unsafe { object.symbols() }?;
    let sym = symbols.get(index)?;
    let name = symbols.name(&sym)?;
    let found = if sym.st_info >> 4 == STB_LOCAL && sym.st_shndx != SHN_UNDEF {
        Some((object, sym))
    } else {
        let mut found = None;
        for (i, o) in scope.iter().enumerate() {
            if r_type == R_X86_64_COPY && o.is_program {
                continue;
            }
            // SAFETY: the caller's contract.
            let hit = unsafe { o.symbols() }
                .and_then(|symbols| symbols.lookup(name))
                .map_err(|e| LinkError::InScope(i, e))?;
            if let Some((_, s)) = hit {
                found = Some((o, s));
                break;
            }
        }
        found
    };
    let Some((def, s)) = found else {
        if sym.st_info >> 4 == STB_WEAK {
            // An undefined weak symbol is 0.
            return Ok(Definition::default());
        }
        return Err(LinkError::Undefined(name));
    };
    if s.st_info & 0xf == STT_TLS {
        return Ok(Definition {
            value: s.st_value,
            tls_module: def.tls_module,
            tls_offset: def.tls_offset,
            bytes: &[],
        });
    }
    let value = (def.bias as u64).wrapping_add(s.st_value);
    let bytes = if r_type == R_X86_64_COPY {
        // SAFETY: the caller's contract.
        unsafe { def.image() }.read(s.st_value, s.st_size, "COPY source")?
    } else {
        &[]
    };
    Ok(Definition {
        value,
        tls_module: def.tls_module,
        tls_offset: def.tls_offset,
        bytes,
    })
}
// ANCHOR_END: lookup

/// Applies every relocation of `object` (`DT_RELR`, `DT_RELA`, `DT_JMPREL`).
///
/// # Safety
///
/// Every object of `scope` must be mapped, `object`'s relocation targets
/// writable, and nothing else may use the objects meanwhile.
pub unsafe fn relocate(object: &Object, scope: &[Object]) -> Result<(), LinkError> {
    let target = |o: &Object| Target {
        // SAFETY: the caller's contract; the slice lives for one call.
        image: unsafe { o.image_mut() },
        vaddr: o.first,
        bias: o.bias as u64,
    };
    if object.dynamic.relr.is_present() {
        target(object).apply_relr(object.dynamic.relr)?;
    }
    for table in [object.dynamic.rela, object.dynamic.jmprel] {
        // SAFETY: the caller's contract.
        unsafe { apply_table(object, table, scope, &target) }?;
    }
    Ok(())
}

/// Applies an `Elf64_Rela` table: each entry read, its symbol resolved
/// (reading the objects), then written through a fresh writable view.
///
/// # Safety
///
/// As [`relocate`].
unsafe fn apply_table(
    object: &Object,
    table: Table,
    scope: &[Object],
    target: &dyn Fn(&Object) -> Target<'static>,
) -> Result<(), LinkError> {
    for i in 0..table.size / RELA_SIZE {
        let at = table.addr + i * RELA_SIZE;
        // SAFETY: the caller's contract: nothing writes meanwhile.
        let image = unsafe { object.image() };
        let rela = Rela {
            r_offset: image.u64(at, "DT_RELA")?,
            r_info: image.u64(at + 8, "DT_RELA")?,
            r_addend: image.u64(at + 16, "DT_RELA")? as i64,
        };
        let r = Reloc::from_rela(&rela);
        let def = if matches!(r.r_type, R_X86_64_RELATIVE | R_X86_64_NONE) {
            Definition::default()
        } else {
            // SAFETY: the caller's contract.
            unsafe { resolve(object, r.sym, r.r_type, scope) }?
        };
        target(object).apply(&r, &mut |_| Ok(def))?;
    }
    Ok(())
}
