//! The x86_64 relocations a dynamic linker applies, each as the psABI
//! writes it: `B` is the object's load bias, `A` the addend, `P` the
//! address of the field (`B + r_offset`), `S` the symbol's value where it
//! is defined (an address; for a TLS symbol, its offset in its object's
//! TLS block). The image is the object in memory, writable; every field is
//! checked to lie inside it, and every value to fit its field.
//!
//! | type | field | value |
//! |---|---|---|
//! | `NONE` | — | nothing |
//! | `64` | 64 bits | `S + A` |
//! | `PC32` | 32 bits, signed | `S + A - P` |
//! | `COPY` | `st_size` bytes | the symbol's bytes, copied from its definition |
//! | `GLOB_DAT`, `JUMP_SLOT` | 64 bits | `S` |
//! | `RELATIVE` | 64 bits | `B + A` |
//! | `DTPMOD64` | 64 bits | the defining object's TLS module id |
//! | `DTPOFF64` | 64 bits | `S + A` (offset in the module's block) |
//! | `TPOFF64` | 64 bits | `S + A + T` (`T`: the block's offset from the thread pointer, negative) |
//!
//! `DT_RELR` packs `RELATIVE` relocations with no addend field (the word in
//! place is the addend): an even entry is an address to relocate, an odd
//! one a bitmap of the 63 words after the last one relocated.

use vibix_uapi::elf::*;

use crate::Error;
use crate::dynamic::{RELA_SIZE, RELR_SIZE, Table};
use crate::image::{Image, checked_span};

/// What the dynamic linker found for a relocation's symbol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Definition<'d> {
    /// `S`: the run-time address of the definition, or for a TLS symbol its
    /// offset in the defining object's TLS block.
    pub value: u64,
    /// The defining object's TLS module id (`DTPMOD64`).
    pub tls_module: u64,
    /// Where the defining object's TLS block starts, relative to the
    /// thread pointer (`TPOFF64`; negative: x86_64's TLS is below it).
    pub tls_offset: i64,
    /// The definition's bytes (`st_size` of them), for `COPY`.
    pub bytes: &'d [u8],
}

/// A relocation entry, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reloc {
    pub offset: u64,
    pub r_type: u32,
    pub sym: u32,
    pub addend: i64,
}

impl Reloc {
    /// Decodes an `Elf64_Rela`.
    pub fn from_rela(r: &Rela) -> Reloc {
        Reloc {
            offset: r.r_offset,
            r_type: r.r_info as u32,
            sym: (r.r_info >> 32) as u32,
            addend: r.r_addend,
        }
    }
}

/// The object being relocated: its image (byte 0 at link-time address
/// `vaddr`) and its load bias `B`.
pub struct Target<'m> {
    pub image: &'m mut [u8],
    pub vaddr: u64,
    pub bias: u64,
}

impl Target<'_> {
    /// The field of `len` bytes at link-time address `offset`.
    fn field(&mut self, offset: u64, len: u64) -> Result<&mut [u8], Error> {
        let r = checked_span(
            self.image.len(),
            self.vaddr,
            offset,
            len,
            "relocation target",
        )?;
        Ok(&mut self.image[r])
    }

    fn put64(&mut self, offset: u64, value: u64) -> Result<(), Error> {
        self.field(offset, 8)?.copy_from_slice(&value.to_le_bytes());
        Ok(())
    }

    // ANCHOR: apply
    /// Applies one relocation; `resolve` finds the definition of the
    /// relocation's symbol (index 0, "no symbol", for the TLS types means
    /// this object's own module and `S = 0`; it is not called for
    /// `RELATIVE` and `NONE`).
    pub fn apply<'d>(
        &mut self,
        r: &Reloc,
        resolve: &mut dyn FnMut(u32) -> Result<Definition<'d>, Error>,
    ) -> Result<(), Error> {
        let a = r.addend as u64;
        let p = self.bias.wrapping_add(r.offset);
        match r.r_type {
            R_X86_64_NONE => Ok(()),
            R_X86_64_RELATIVE => self.put64(r.offset, self.bias.wrapping_add(a)),
            R_X86_64_64 => {
                let s = resolve(r.sym)?.value;
                self.put64(r.offset, s.wrapping_add(a))
            }
            R_X86_64_GLOB_DAT | R_X86_64_JUMP_SLOT => {
                let s = resolve(r.sym)?.value;
                self.put64(r.offset, s)
            }
            R_X86_64_PC32 => {
                let s = resolve(r.sym)?.value;
                let v = s.wrapping_add(a).wrapping_sub(p) as i64;
                let v = i32::try_from(v).map_err(|_| Error::Overflow {
                    r_type: r.r_type,
                    offset: r.offset,
                })?;
                self.field(r.offset, 4)?.copy_from_slice(&v.to_le_bytes());
                Ok(())
            }
            R_X86_64_COPY => {
                let d = resolve(r.sym)?;
                self.field(r.offset, d.bytes.len() as u64)?
                    .copy_from_slice(d.bytes);
                Ok(())
            }
            R_X86_64_DTPMOD64 => {
                let m = resolve(r.sym)?.tls_module;
                self.put64(r.offset, m)
            }
            R_X86_64_DTPOFF64 => {
                let s = resolve(r.sym)?.value;
                self.put64(r.offset, s.wrapping_add(a))
            }
            R_X86_64_TPOFF64 => {
                let d = resolve(r.sym)?;
                let v = d.value.wrapping_add(a).wrapping_add(d.tls_offset as u64);
                self.put64(r.offset, v)
            }
            r_type => Err(Error::UnknownRelocation {
                r_type,
                offset: r.offset,
            }),
        }
    }
    // ANCHOR_END: apply

    /// Applies every entry of an `Elf64_Rela` table (`DT_RELA` or
    /// `DT_JMPREL`) that lies in this same image, in order. Each entry is
    /// read before the image is written, so a table may relocate itself.
    pub fn apply_rela_table<'d>(
        &mut self,
        table: Table,
        resolve: &mut dyn FnMut(u32) -> Result<Definition<'d>, Error>,
    ) -> Result<(), Error> {
        for i in 0..table.size / RELA_SIZE {
            let img = Image::new(self.image, self.vaddr);
            let at = table.addr + i * RELA_SIZE;
            let rela = Rela {
                r_offset: img.u64(at, "DT_RELA")?,
                r_info: img.u64(at + 8, "DT_RELA")?,
                r_addend: img.u64(at + 16, "DT_RELA")? as i64,
            };
            self.apply(&Reloc::from_rela(&rela), resolve)?;
        }
        Ok(())
    }

    // ANCHOR: relr
    /// Applies a `DT_RELR` table in this image: every word it names gets
    /// the load bias added.
    pub fn apply_relr(&mut self, table: Table) -> Result<(), Error> {
        let mut next: Option<u64> = None;
        for i in 0..table.size / RELR_SIZE {
            let entry =
                Image::new(self.image, self.vaddr).u64(table.addr + i * RELR_SIZE, "DT_RELR")?;
            if entry & 1 == 0 {
                self.add_bias(entry)?;
                next = Some(entry.wrapping_add(8));
            } else {
                let base = next.ok_or(Error::BadRelr)?;
                let mut bits = entry >> 1;
                let mut at = base;
                while bits != 0 {
                    if bits & 1 != 0 {
                        self.add_bias(at)?;
                    }
                    bits >>= 1;
                    at = at.wrapping_add(8);
                }
                next = Some(base.wrapping_add(63 * 8));
            }
        }
        Ok(())
    }
    // ANCHOR_END: relr

    fn add_bias(&mut self, offset: u64) -> Result<(), Error> {
        let bias = self.bias;
        let f = self.field(offset, 8)?;
        let v = u64::from_le_bytes(f.try_into().unwrap_or([0; 8]));
        f.copy_from_slice(&v.wrapping_add(bias).to_le_bytes());
        Ok(())
    }
}
