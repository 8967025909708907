//! The dynamic section (`PT_DYNAMIC`, `_DYNAMIC`): the `(d_tag, d_val)`
//! pairs through which an object tells the dynamic linker where its string
//! and symbol tables, hash tables and relocation tables are, which
//! libraries it needs, where to look for them, what to run at start and
//! exit, and its flags. [`Dynamic::parse`] reads it from the loaded image
//! and checks every table against the image, so that what it returns can be
//! used without further checks on their extents.

use vibix_uapi::elf::*;

use crate::Error;
use crate::image::Image;

/// Size of an `Elf64_Dyn`, `Elf64_Sym`, `Elf64_Rela`, and a `DT_RELR` word.
pub const DYN_SIZE: u64 = size_of::<Dyn>() as u64;
pub const SYM_SIZE: u64 = size_of::<Sym>() as u64;
pub const RELA_SIZE: u64 = size_of::<Rela>() as u64;
pub const RELR_SIZE: u64 = 8;

/// A table: link-time address and size in bytes (both 0 when absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub addr: u64,
    pub size: u64,
}

impl Table {
    /// Whether the object has the table.
    pub fn is_present(&self) -> bool {
        self.size != 0
    }
}

// ANCHOR: dynamic
/// What an object's dynamic section says, checked against its image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dynamic {
    /// Where the section itself is, up to and including its `DT_NULL`.
    pub section: Table,
    /// `DT_STRTAB`/`DT_STRSZ`.
    pub strtab: Table,
    /// `DT_SYMTAB` (its length comes from a hash table).
    pub symtab: Option<u64>,
    /// `DT_HASH`, `DT_GNU_HASH`.
    pub hash: Option<u64>,
    pub gnu_hash: Option<u64>,
    /// `DT_RELA`/`DT_RELASZ`, `DT_JMPREL`/`DT_PLTRELSZ` (the PLT's
    /// relocations, `Elf64_Rela` too), `DT_RELR`/`DT_RELRSZ`.
    pub rela: Table,
    pub jmprel: Table,
    pub relr: Table,
    /// `DT_INIT`, `DT_FINI` (single functions, before and after the arrays).
    pub init: Option<u64>,
    pub fini: Option<u64>,
    /// `DT_PREINIT_ARRAY`, `DT_INIT_ARRAY`, `DT_FINI_ARRAY` with their sizes.
    pub preinit_array: Table,
    pub init_array: Table,
    pub fini_array: Table,
    /// String-table offsets of `DT_SONAME`, `DT_RUNPATH`, `DT_RPATH`.
    pub soname: Option<u64>,
    pub runpath: Option<u64>,
    pub rpath: Option<u64>,
    /// `DT_FLAGS`, `DT_FLAGS_1` (0 when absent).
    pub flags: u64,
    pub flags_1: u64,
    /// How many `DT_NEEDED` entries.
    pub needed_count: usize,
}
// ANCHOR_END: dynamic

/// One entry of the section: tag and value.
fn entry(image: &Image<'_>, addr: u64) -> Result<(u64, u64), Error> {
    Ok((
        image.u64(addr, "dynamic section")?,
        image.u64(addr + 8, "dynamic section")?,
    ))
}

impl Dynamic {
    /// Reads the dynamic section of `size` bytes at link-time address `addr`
    /// (the `PT_DYNAMIC` segment's `p_vaddr` and `p_memsz`).
    pub fn parse(image: &Image<'_>, addr: u64, size: u64) -> Result<Dynamic, Error> {
        if !size.is_multiple_of(DYN_SIZE) {
            return Err(Error::BadTableSize {
                what: "dynamic section",
                size,
            });
        }
        image.check(addr, size, "dynamic section")?;
        let mut d = Dynamic::default();
        let (mut strsz, mut syment, mut relaent, mut relrent) = (None, None, None, None);
        let mut pltrel = None;
        let mut end = None;
        for i in 0..size / DYN_SIZE {
            let at = addr + i * DYN_SIZE;
            let (tag, val) = entry(image, at)?;
            let tag = tag as usize;
            match tag {
                DT_NULL => {
                    end = Some(at + DYN_SIZE);
                    break;
                }
                DT_NEEDED => d.needed_count += 1,
                DT_STRTAB => d.strtab.addr = val,
                DT_STRSZ => strsz = Some(val),
                DT_SYMTAB => d.symtab = Some(val),
                DT_SYMENT => syment = Some(val),
                DT_HASH => d.hash = Some(val),
                DT_GNU_HASH => d.gnu_hash = Some(val),
                DT_RELA => d.rela.addr = val,
                DT_RELASZ => d.rela.size = val,
                DT_RELAENT => relaent = Some(val),
                DT_JMPREL => d.jmprel.addr = val,
                DT_PLTRELSZ => d.jmprel.size = val,
                DT_PLTREL => pltrel = Some(val),
                DT_RELR => d.relr.addr = val,
                DT_RELRSZ => d.relr.size = val,
                DT_RELRENT => relrent = Some(val),
                DT_REL => return Err(Error::Unsupported("DT_REL relocation table")),
                DT_INIT => d.init = Some(val),
                DT_FINI => d.fini = Some(val),
                DT_PREINIT_ARRAY => d.preinit_array.addr = val,
                DT_PREINIT_ARRAYSZ => d.preinit_array.size = val,
                DT_INIT_ARRAY => d.init_array.addr = val,
                DT_INIT_ARRAYSZ => d.init_array.size = val,
                DT_FINI_ARRAY => d.fini_array.addr = val,
                DT_FINI_ARRAYSZ => d.fini_array.size = val,
                DT_SONAME => d.soname = Some(val),
                DT_RUNPATH => d.runpath = Some(val),
                DT_RPATH => d.rpath = Some(val),
                DT_FLAGS => d.flags = val,
                DT_FLAGS_1 => d.flags_1 = val,
                _ => {}
            }
        }
        let end = end.ok_or(Error::Unterminated("dynamic section (no DT_NULL)"))?;
        d.section = Table {
            addr,
            size: end - addr,
        };

        // The string table, which every name below lies in.
        if d.strtab.addr != 0 || strsz.is_some() {
            d.strtab.size = strsz.ok_or(Error::Missing("DT_STRSZ"))?;
            if d.strtab.addr == 0 {
                return Err(Error::Missing("DT_STRTAB"));
            }
            image.check(d.strtab.addr, d.strtab.size, "DT_STRTAB")?;
        }
        // The symbol table: its entries are read one by one through the
        // hash tables' bounds (`symbols`), but its format is checked here.
        if d.symtab.is_some() {
            if !d.strtab.is_present() {
                return Err(Error::Missing("DT_STRTAB (for DT_SYMTAB)"));
            }
            if d.hash.is_none() && d.gnu_hash.is_none() {
                return Err(Error::Missing("DT_HASH or DT_GNU_HASH (for DT_SYMTAB)"));
            }
        }
        entry_size(syment, SYM_SIZE, "DT_SYMENT")?;
        entry_size(relaent, RELA_SIZE, "DT_RELAENT")?;
        entry_size(relrent, RELR_SIZE, "DT_RELRENT")?;
        if d.jmprel.is_present() && pltrel != Some(DT_RELA as u64) {
            return Err(Error::Unsupported("DT_PLTREL (x86_64 uses DT_RELA)"));
        }
        table(image, d.rela, RELA_SIZE, "DT_RELA")?;
        table(image, d.jmprel, RELA_SIZE, "DT_JMPREL")?;
        table(image, d.relr, RELR_SIZE, "DT_RELR")?;
        table(image, d.preinit_array, 8, "DT_PREINIT_ARRAY")?;
        table(image, d.init_array, 8, "DT_INIT_ARRAY")?;
        table(image, d.fini_array, 8, "DT_FINI_ARRAY")?;
        // Every name: inside the string table, NUL-terminated.
        for off in [d.soname, d.runpath, d.rpath].into_iter().flatten() {
            d.string(image, off)?;
        }
        for i in 0..d.needed_count {
            d.needed(image, i)?;
        }
        Ok(d)
    }

    /// The string at offset `off` of the string table.
    pub fn string<'i>(&self, image: &Image<'i>, off: u64) -> Result<&'i [u8], Error> {
        if off >= self.strtab.size {
            return Err(Error::OutOfObject {
                what: "string table offset",
                addr: self.strtab.addr.wrapping_add(off),
                len: 1,
            });
        }
        image.c_str(
            self.strtab.addr + off,
            self.strtab.addr + self.strtab.size,
            "string",
        )
    }

    /// The name of the `index`-th needed library (`DT_NEEDED`, in order).
    pub fn needed<'i>(&self, image: &Image<'i>, index: usize) -> Result<&'i [u8], Error> {
        let mut seen = 0;
        for i in 0..self.section.size / DYN_SIZE {
            let (tag, val) = entry(image, self.section.addr + i * DYN_SIZE)?;
            if tag as usize == DT_NEEDED {
                if seen == index {
                    return self.string(image, val);
                }
                seen += 1;
            }
        }
        Err(Error::Missing("DT_NEEDED"))
    }

    /// `DT_RUNPATH`, the colon-separated directories searched for this
    /// object's needed libraries.
    pub fn runpath<'i>(&self, image: &Image<'i>) -> Option<&'i [u8]> {
        self.runpath.and_then(|off| self.string(image, off).ok())
    }

    /// Whether the object asks for every symbol to be bound at load time
    /// (`DF_BIND_NOW`, `DF_1_NOW`): `ld-vibix` always does.
    pub fn bind_now(&self) -> bool {
        self.flags & DF_BIND_NOW != 0 || self.flags_1 & DF_1_NOW != 0
    }

    /// The `index`-th pointer of an init or fini array, as linked (the load
    /// bias is added by whoever calls it; `DT_RELATIVE` relocations of the
    /// array may have done so already in memory).
    pub fn array_entry(image: &Image<'_>, array: Table, index: u64) -> Result<u64, Error> {
        if index >= array.size / 8 {
            return Err(Error::OutOfObject {
                what: "array index",
                addr: array.addr.wrapping_add(index.wrapping_mul(8)),
                len: 8,
            });
        }
        image.u64(array.addr + index * 8, "array")
    }
}

/// A declared entry size must be the format's.
fn entry_size(declared: Option<u64>, want: u64, what: &'static str) -> Result<(), Error> {
    match declared {
        Some(size) if size != want => Err(Error::BadEntrySize { what, size }),
        _ => Ok(()),
    }
}

/// A table: whole entries, inside the image.
fn table(image: &Image<'_>, t: Table, entry: u64, what: &'static str) -> Result<(), Error> {
    if !t.size.is_multiple_of(entry) {
        return Err(Error::BadTableSize { what, size: t.size });
    }
    if t.is_present() {
        image.check(t.addr, t.size, what)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testobj::TestObj;

    /// An object with every kind of entry `parse` reads, and its strings.
    fn full() -> TestObj {
        let mut o = TestObj::with_symbols(&["a", "b"], &["u"], 2);
        let names = o.push(b"libone.so\0libtwo.so\0$ORIGIN/lib\0me.so\0");
        let rela = o.push(&[0; 48]);
        let jmprel = o.push(&[0; 24]);
        let relr = o.push(&[0; 16]);
        let init = o.push(&[0; 16]);
        let fini = o.push(&[0; 8]);
        // The names are put past the string table built by `with_symbols`:
        // make the string table span them.
        let strtab = o.dynamic[0].1;
        o.dynamic[1].1 = names + 38 - strtab;
        let off = |n: u64| names - strtab + n;
        o.dynamic.extend([
            (DT_NEEDED, off(0)),
            (DT_NEEDED, off(10)),
            (DT_RUNPATH, off(20)),
            (DT_SONAME, off(32)),
            (DT_RELA, rela),
            (DT_RELASZ, 48),
            (DT_RELAENT, 24),
            (DT_JMPREL, jmprel),
            (DT_PLTRELSZ, 24),
            (DT_PLTREL, DT_RELA as u64),
            (DT_RELR, relr),
            (DT_RELRSZ, 16),
            (DT_RELRENT, 8),
            (DT_INIT_ARRAY, init),
            (DT_INIT_ARRAYSZ, 16),
            (DT_FINI_ARRAY, fini),
            (DT_FINI_ARRAYSZ, 8),
            (DT_FLAGS, DF_BIND_NOW),
            (DT_FLAGS_1, DF_1_NOW | DF_1_PIE),
            (0x7000_0001, 5), // unknown tags are skipped
        ]);
        o
    }

    #[test]
    fn reads_every_table() {
        let mut o = full();
        let (at, size) = o.finish();
        let img = Image::new(&o.image, 0);
        let d = Dynamic::parse(&img, at, size).unwrap();
        assert_eq!(d.needed_count, 2);
        assert_eq!(d.needed(&img, 0), Ok(&b"libone.so"[..]));
        assert_eq!(d.needed(&img, 1), Ok(&b"libtwo.so"[..]));
        assert_eq!(d.runpath(&img), Some(&b"$ORIGIN/lib"[..]));
        assert_eq!(d.string(&img, d.soname.unwrap()), Ok(&b"me.so"[..]));
        assert_eq!(d.rela.size, 48);
        assert_eq!(d.jmprel.size, 24);
        assert_eq!(d.relr.size, 16);
        assert_eq!(d.init_array.size, 16);
        assert_eq!(d.fini_array.size, 8);
        assert!(d.bind_now());
        assert_eq!(d.flags_1 & DF_1_PIE, DF_1_PIE);
        assert!(d.symtab.is_some() && d.hash.is_some() && d.gnu_hash.is_some());
        // The section ends at its DT_NULL, not at the segment's end.
        assert_eq!(d.section.size, (o.dynamic.len() as u64 + 1) * DYN_SIZE);
        assert_eq!(Dynamic::array_entry(&img, d.init_array, 1), Ok(0));
        assert!(Dynamic::array_entry(&img, d.init_array, 2).is_err());
    }

    /// `full()` with the entry of tag `tag` changed to `val` (or added).
    fn with(tag: usize, val: u64) -> Result<Dynamic, Error> {
        let mut o = full();
        match o.dynamic.iter_mut().find(|e| e.0 == tag) {
            Some(e) => e.1 = val,
            None => o.dynamic.push((tag, val)),
        }
        let (at, size) = o.finish();
        Dynamic::parse(&Image::new(&o.image, 0), at, size)
    }

    #[test]
    fn rejects_malformed_sections() {
        let far = 1 << 40;
        let out =
            |what| move |e: Error| matches!(e, Error::OutOfObject { what: w, .. } if w == what);
        assert!(with(DT_STRTAB, far).is_err_and(out("DT_STRTAB")));
        assert!(with(DT_STRSZ, far).is_err_and(out("DT_STRTAB")));
        assert!(with(DT_RELA, far).is_err_and(out("DT_RELA")));
        assert!(with(DT_JMPREL, u64::MAX - 8).is_err_and(out("DT_JMPREL")));
        assert!(with(DT_RELR, far).is_err_and(out("DT_RELR")));
        assert!(with(DT_INIT_ARRAY, far).is_err_and(out("DT_INIT_ARRAY")));
        assert!(with(DT_NEEDED, far).is_err_and(out("string table offset")));
        assert!(with(DT_RUNPATH, far).is_err_and(out("string table offset")));
        assert_eq!(
            with(DT_RELASZ, 47),
            Err(Error::BadTableSize {
                what: "DT_RELA",
                size: 47
            })
        );
        assert_eq!(
            with(DT_FINI_ARRAYSZ, 4),
            Err(Error::BadTableSize {
                what: "DT_FINI_ARRAY",
                size: 4
            })
        );
        assert_eq!(
            with(DT_RELAENT, 16),
            Err(Error::BadEntrySize {
                what: "DT_RELAENT",
                size: 16
            })
        );
        assert_eq!(
            with(DT_SYMENT, 16),
            Err(Error::BadEntrySize {
                what: "DT_SYMENT",
                size: 16
            })
        );
        assert!(matches!(
            with(DT_PLTREL, DT_REL as u64),
            Err(Error::Unsupported(_))
        ));
        assert!(matches!(with(DT_REL, 0x200), Err(Error::Unsupported(_))));
    }

    #[test]
    fn rejects_bad_framing() {
        let mut o = full();
        let (at, size) = o.finish();
        let img = Image::new(&o.image, 0);
        assert_eq!(
            Dynamic::parse(&img, at, size - 1),
            Err(Error::BadTableSize {
                what: "dynamic section",
                size: size - 1
            })
        );
        // Cut before the DT_NULL: no end.
        let cut = (o.dynamic.len() as u64) * DYN_SIZE;
        assert!(matches!(
            Dynamic::parse(&img, at, cut),
            Err(Error::Unterminated(_))
        ));
        // A section running past the image.
        let len = o.image.len() as u64;
        assert!(matches!(
            Dynamic::parse(&img, len - 16, 32),
            Err(Error::OutOfObject {
                what: "dynamic section",
                ..
            })
        ));
        // A symbol table with no hash table to bound it.
        let mut o = TestObj::with_symbols(&["a"], &[], 0);
        o.dynamic.retain(|e| e.0 != DT_HASH);
        let (at, size) = o.finish();
        assert!(matches!(
            Dynamic::parse(&Image::new(&o.image, 0), at, size),
            Err(Error::Missing(_))
        ));
    }

    #[test]
    fn a_string_must_end_in_its_table() {
        let mut o = full();
        // The string table's last byte is the NUL of "me.so": cut it off.
        o.dynamic[1].1 -= 1;
        let (at, size) = o.finish();
        assert!(matches!(
            Dynamic::parse(&Image::new(&o.image, 0), at, size),
            Err(Error::Unterminated("string"))
        ));
    }
}
