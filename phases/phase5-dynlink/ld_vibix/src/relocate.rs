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

// ANCHOR: supported
/// Every relocation type [`Target::apply`] applies, written once: the
/// runner's relocation audit fails a phase's build when an object it
/// installs contains any other (a unit test checks this list against
/// `apply`, type by type). `DT_RELR` is `RELATIVE`, packed.
pub const SUPPORTED: &[u32] = &[
    R_X86_64_NONE,
    R_X86_64_64,
    R_X86_64_PC32,
    R_X86_64_COPY,
    R_X86_64_GLOB_DAT,
    R_X86_64_JUMP_SLOT,
    R_X86_64_RELATIVE,
    R_X86_64_DTPMOD64,
    R_X86_64_DTPOFF64,
    R_X86_64_TPOFF64,
];
// ANCHOR_END: supported

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
            let at = entry_at(table, i, RELA_SIZE, "DT_RELA")?;
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
            let at = entry_at(table, i, RELR_SIZE, "DT_RELR")?;
            let entry = Image::new(self.image, self.vaddr).u64(at, "DT_RELR")?;
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

/// The address of entry `i` of `table`, if it does not wrap around.
fn entry_at(table: Table, i: u64, size: u64, what: &'static str) -> Result<u64, Error> {
    table.addr.checked_add(i * size).ok_or(Error::OutOfObject {
        what,
        addr: table.addr,
        len: table.size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The load bias of the test objects, and where a symbol is defined.
    const B: u64 = 0x7f00_0000_0000;
    const S: u64 = 0x7e00_1234_5000;

    fn reloc(offset: u64, r_type: u32, sym: u32, addend: i64) -> Reloc {
        let rela = Rela {
            r_offset: offset,
            r_info: ((sym as u64) << 32) | r_type as u64,
            r_addend: addend,
        };
        Reloc::from_rela(&rela)
    }

    /// Applies `r` to a 64-byte image of 0xaa bytes, symbol 3 defined as
    /// `def`; returns the image.
    fn apply(r: Reloc, def: Definition<'_>) -> Result<Vec<u8>, Error> {
        let mut image = vec![0xaa; 64];
        let mut t = Target {
            image: &mut image,
            vaddr: 0,
            bias: B,
        };
        t.apply(&r, &mut |i| {
            if i == 3 {
                Ok(def)
            } else {
                Err(Error::Undefined(i))
            }
        })?;
        Ok(image)
    }

    fn word(image: &[u8], at: usize) -> u64 {
        u64::from_le_bytes(image[at..at + 8].try_into().unwrap())
    }

    fn at(value: u64) -> Definition<'static> {
        Definition {
            value,
            ..Definition::default()
        }
    }

    #[test]
    fn relative_is_b_plus_a() {
        let img = apply(reloc(8, R_X86_64_RELATIVE, 0, 0x1230), at(0)).unwrap();
        assert_eq!(word(&img, 8), B + 0x1230);
        // Only the field changes.
        assert!(img[..8].iter().chain(&img[16..]).all(|&b| b == 0xaa));
    }

    #[test]
    fn sixty_four_is_s_plus_a() {
        let img = apply(reloc(16, R_X86_64_64, 3, -8), at(S)).unwrap();
        assert_eq!(word(&img, 16), S - 8);
    }

    #[test]
    fn pc32_is_s_plus_a_minus_p() {
        // A symbol 0x100 bytes after the field, addend -4 (a call's).
        let p = B + 20;
        let img = apply(reloc(20, R_X86_64_PC32, 3, -4), at(p + 0x100)).unwrap();
        let v = i32::from_le_bytes(img[20..24].try_into().unwrap());
        assert_eq!(v as i64, (p + 0x100) as i64 - 4 - p as i64);
        assert_eq!(&img[24..28], &[0xaa; 4]);
        // And backwards.
        let img = apply(reloc(20, R_X86_64_PC32, 3, 0), at(p - 0x10)).unwrap();
        assert_eq!(i32::from_le_bytes(img[20..24].try_into().unwrap()), -0x10);
        // Further than 2 GiB away does not fit.
        assert_eq!(
            apply(reloc(20, R_X86_64_PC32, 3, 0), at(p + (1 << 31))),
            Err(Error::Overflow {
                r_type: R_X86_64_PC32,
                offset: 20
            })
        );
        assert!(apply(reloc(20, R_X86_64_PC32, 3, 0), at(p + (1 << 31) - 1)).is_ok());
    }

    #[test]
    fn glob_dat_and_jump_slot_are_s() {
        for t in [R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT] {
            let img = apply(reloc(0, t, 3, 0), at(S)).unwrap();
            assert_eq!(word(&img, 0), S);
        }
    }

    #[test]
    fn copy_copies_the_definitions_bytes() {
        let bytes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        let def = Definition {
            value: S,
            bytes: &bytes,
            ..Definition::default()
        };
        let img = apply(reloc(32, R_X86_64_COPY, 3, 0), def).unwrap();
        assert_eq!(&img[32..44], &bytes);
        assert_eq!(img[44], 0xaa);
        // A definition larger than the room left in the object.
        assert!(matches!(
            apply(reloc(60, R_X86_64_COPY, 3, 0), def),
            Err(Error::OutOfObject { .. })
        ));
    }

    #[test]
    fn tls_module_offset_and_thread_pointer_offset() {
        // The defining object is module 2; its block starts 0x40 bytes
        // below the thread pointer; the variable is at 0x18 in the block.
        let def = Definition {
            value: 0x18,
            tls_module: 2,
            tls_offset: -0x40,
            bytes: &[],
        };
        let img = apply(reloc(0, R_X86_64_DTPMOD64, 3, 0), def).unwrap();
        assert_eq!(word(&img, 0), 2);
        let img = apply(reloc(0, R_X86_64_DTPOFF64, 3, 4), def).unwrap();
        assert_eq!(word(&img, 0), 0x18 + 4);
        let img = apply(reloc(0, R_X86_64_TPOFF64, 3, 4), def).unwrap();
        assert_eq!(word(&img, 0) as i64, -0x40 + 0x18 + 4);
    }

    #[test]
    fn unknown_types_targets_outside_and_undefined_symbols_fail() {
        assert_eq!(
            apply(reloc(0, 37, 0, 0), at(0)),
            Err(Error::UnknownRelocation {
                r_type: 37,
                offset: 0
            })
        );
        // R_X86_64_GOTPCREL (9) is a static linker's type: never dynamic.
        assert!(matches!(
            apply(reloc(0, 9, 3, 0), at(S)),
            Err(Error::UnknownRelocation { r_type: 9, .. })
        ));
        for (off, t) in [
            (57, R_X86_64_RELATIVE),
            (61, R_X86_64_PC32),
            (u64::MAX - 3, R_X86_64_64),
        ] {
            assert!(
                matches!(
                    apply(reloc(off, t, 3, 0), at(B)),
                    Err(Error::OutOfObject { .. })
                ),
                "{off:#x}"
            );
        }
        assert_eq!(
            apply(reloc(0, R_X86_64_64, 4, 0), at(S)),
            Err(Error::Undefined(4))
        );
        assert_eq!(
            apply(reloc(0, R_X86_64_NONE, 4, 0), at(S)).unwrap(),
            vec![0xaa; 64]
        );
    }

    #[test]
    fn supported_lists_exactly_the_types_apply_applies() {
        // Every listed type is applied: the 64-byte image changes or, for
        // `NONE`, stays as it was; a symbol-based type asks for symbol 3.
        let bytes = [1u8; 8];
        let def = Definition {
            value: B + 0x10,
            tls_module: 1,
            tls_offset: -0x40,
            bytes: &bytes,
        };
        for &t in SUPPORTED {
            let img = apply(reloc(0, t, 3, 0), def);
            let img = img.unwrap_or_else(|e| panic!("type {t} is listed but refused: {e}"));
            assert_eq!(img == vec![0xaa; 64], t == R_X86_64_NONE, "type {t}");
        }
        // Every other type (all of x86_64's numbers and beyond) is refused
        // with the error that names it.
        for t in (0..256).filter(|t| !SUPPORTED.contains(t)) {
            assert_eq!(
                apply(reloc(0, t, 3, 0), def),
                Err(Error::UnknownRelocation {
                    r_type: t,
                    offset: 0
                }),
                "type {t} is applied but not listed"
            );
        }
    }

    #[test]
    fn a_rela_table_in_the_image_is_applied_in_order() {
        // Two entries at 64, fields at 0 and 8.
        let mut image = vec![0u8; 64 + 48];
        let put = |img: &mut Vec<u8>, at: usize, v: u64| {
            img[at..at + 8].copy_from_slice(&v.to_le_bytes())
        };
        put(&mut image, 64, 0);
        put(&mut image, 72, R_X86_64_RELATIVE as u64);
        put(&mut image, 80, 0x40);
        put(&mut image, 88, 8);
        put(&mut image, 96, (3 << 32) | R_X86_64_64 as u64);
        put(&mut image, 104, 1);
        let mut t = Target {
            image: &mut image,
            vaddr: 0,
            bias: B,
        };
        let table = Table { addr: 64, size: 48 };
        t.apply_rela_table(table, &mut |_| Ok(at(S))).unwrap();
        assert_eq!(word(&image, 0), B + 0x40);
        assert_eq!(word(&image, 8), S + 1);
    }

    #[test]
    fn relr_adds_the_bias_to_each_word_it_names() {
        // Words at 0x10 (an address entry), then a bitmap naming the words
        // 1 and 3 after it (0x20, 0x30), then a second bitmap naming bit 0
        // of the next 63 (0x18 + 63 * 8). The table sits at 0x300.
        let mut image = vec![0u8; 0x400];
        for w in 0..0x60 {
            image[w * 8..w * 8 + 8].copy_from_slice(&(0x1000 + w as u64).to_le_bytes());
        }
        let entries = [0x10u64, (0b1010 << 1) | 1, 0b11];
        for (i, e) in entries.iter().enumerate() {
            image[0x300 + i * 8..0x308 + i * 8].copy_from_slice(&e.to_le_bytes());
        }
        let before = image.clone();
        let mut t = Target {
            image: &mut image,
            vaddr: 0,
            bias: B,
        };
        t.apply_relr(Table {
            addr: 0x300,
            size: 24,
        })
        .unwrap();
        let relocated: Vec<usize> = (0..0x60)
            .filter(|&w| word(&image, w * 8) != word(&before, w * 8))
            .collect();
        assert_eq!(
            relocated,
            [0x10 / 8, 0x20 / 8, 0x30 / 8, (0x18 + 63 * 8) / 8]
        );
        for w in relocated {
            assert_eq!(word(&image, w * 8), B + word(&before, w * 8));
        }
        // A bitmap first has no base.
        let mut t = Target {
            image: &mut image,
            vaddr: 0,
            bias: B,
        };
        assert_eq!(
            t.apply_relr(Table {
                addr: 0x308,
                size: 8
            }),
            Err(Error::BadRelr)
        );
        // An address outside the object.
        image[0x300..0x308].copy_from_slice(&0x4000u64.to_le_bytes());
        let mut t = Target {
            image: &mut image,
            vaddr: 0,
            bias: B,
        };
        assert!(matches!(
            t.apply_relr(Table {
                addr: 0x300,
                size: 8
            }),
            Err(Error::OutOfObject { .. })
        ));
    }
}
