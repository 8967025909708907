//! The symbol table and its two hash tables. An object's `DT_SYMTAB` has no
//! length of its own: the hash tables bound it. SysV `DT_HASH` is
//! `nbucket`, `nchain` (the number of symbols), the buckets and one chain
//! link per symbol, keyed by the ELF hash of the name. GNU `DT_GNU_HASH`
//! (what GCC's linkers emit by default; LLD emits both with
//! `--hash-style=both`) covers only the defined symbols from `symoffset`
//! on, sorted by bucket, keyed by the DJB hash (`h * 33 + c`), with a Bloom
//! filter that answers most misses with one word and a chain of hashes
//! whose low bit ends each bucket. [`Symbols::new`] checks both tables'
//! extents; both lookups give the same answers.

use vibix_uapi::elf::{SHN_UNDEF, STB_LOCAL, Sym};

use crate::Error;
use crate::dynamic::{Dynamic, SYM_SIZE};
use crate::image::Image;

// ANCHOR: hashes
/// The SysV ELF hash of a name (`DT_HASH`).
pub fn elf_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    for &c in name {
        h = (h << 4).wrapping_add(c as u32);
        let g = h & 0xf000_0000;
        h ^= g >> 24;
        h &= !g;
    }
    h
}

/// The GNU hash of a name (`DT_GNU_HASH`): Bernstein's, from 5381.
pub fn gnu_hash(name: &[u8]) -> u32 {
    name.iter()
        .fold(5381u32, |h, &c| h.wrapping_mul(33).wrapping_add(c as u32))
}
// ANCHOR_END: hashes

/// The SysV table: bucket count, chain count, and where each array starts.
#[derive(Clone, Copy, Debug)]
struct SysvHash {
    nbucket: u32,
    nchain: u32,
    buckets: u64,
    chains: u64,
}

/// The GNU table's header and arrays.
#[derive(Clone, Copy, Debug)]
struct GnuHash {
    nbuckets: u32,
    symoffset: u32,
    bloom_size: u32,
    bloom_shift: u32,
    bloom: u64,
    buckets: u64,
    chains: u64,
    /// One past the last symbol it covers.
    end: u32,
}

/// An object's symbols, with the tables to find them by name.
#[derive(Clone, Copy, Debug)]
pub struct Symbols<'i> {
    image: Image<'i>,
    dynamic: Dynamic,
    symtab: u64,
    /// Number of symbols, from the hash tables.
    count: u32,
    sysv: Option<SysvHash>,
    gnu: Option<GnuHash>,
}

impl<'i> Symbols<'i> {
    /// The symbol table of the object whose dynamic section is `dynamic`,
    /// its hash tables checked against the image.
    pub fn new(image: Image<'i>, dynamic: &Dynamic) -> Result<Symbols<'i>, Error> {
        let symtab = dynamic.symtab.ok_or(Error::Missing("DT_SYMTAB"))?;
        let sysv = dynamic.hash.map(|at| sysv(&image, at)).transpose()?;
        let gnu = dynamic.gnu_hash.map(|at| gnu(&image, at)).transpose()?;
        let count = match (sysv, gnu) {
            (Some(s), Some(g)) if g.end > s.nchain => {
                return Err(Error::BadHash(
                    "DT_GNU_HASH covers more symbols than DT_HASH",
                ));
            }
            (Some(s), _) => s.nchain,
            // The GNU table covers only the symbols it hashes, from
            // `symoffset` on: the undefined ones below it (all a program's
            // imports) are counted from the table's extent, up to the
            // string table, where every linker puts `.dynstr` right after
            // `.dynsym`.
            (None, Some(g)) => g.end.max(gnu_only_count(dynamic, symtab)),
            (None, None) => return Err(Error::Missing("DT_HASH or DT_GNU_HASH")),
        };
        image.check(symtab, count as u64 * SYM_SIZE, "DT_SYMTAB")?;
        Ok(Symbols {
            image,
            dynamic: *dynamic,
            symtab,
            count,
            sysv,
            gnu,
        })
    }

    /// How many symbols the table has (index 0 is the null symbol).
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether the table has no symbols at all.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Symbol `index`.
    pub fn get(&self, index: u32) -> Result<Sym, Error> {
        if index >= self.count {
            return Err(Error::BadSymbolIndex(index));
        }
        let b = self
            .image
            .read(self.symtab + index as u64 * SYM_SIZE, SYM_SIZE, "symbol")?;
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]));
        Ok(Sym {
            st_name: u32::from_le_bytes(b[0..4].try_into().unwrap_or([0; 4])),
            st_info: b[4],
            st_other: b[5],
            st_shndx: u16::from_le_bytes([b[6], b[7]]),
            st_value: word(8),
            st_size: word(16),
        })
    }

    /// A symbol's name.
    pub fn name(&self, sym: &Sym) -> Result<&'i [u8], Error> {
        self.dynamic.string(&self.image, sym.st_name as u64)
    }

    /// Whether symbol `index` is called `name` and defined here for other
    /// objects (not undefined, not local).
    fn defines(&self, index: u32, name: &[u8]) -> Result<Option<Sym>, Error> {
        let sym = self.get(index)?;
        let ok = sym.st_shndx != SHN_UNDEF && sym.st_info >> 4 != STB_LOCAL;
        Ok((ok && self.name(&sym)? == name).then_some(sym))
    }

    // ANCHOR: lookup
    /// The symbol this object defines as `name`: through the GNU table if
    /// it has one, the SysV table otherwise.
    pub fn lookup(&self, name: &[u8]) -> Result<Option<(u32, Sym)>, Error> {
        if self.gnu.is_some() {
            self.lookup_gnu(name)
        } else {
            self.lookup_sysv(name)
        }
    }

    /// Lookup through `DT_HASH`: the bucket of the name's hash, then its
    /// chain (at most `nchain` links, so a looping chain ends).
    pub fn lookup_sysv(&self, name: &[u8]) -> Result<Option<(u32, Sym)>, Error> {
        let t = self.sysv.ok_or(Error::Missing("DT_HASH"))?;
        let word = |at: u64| self.image.u32(at, "DT_HASH");
        let mut i = word(t.buckets + (elf_hash(name) % t.nbucket) as u64 * 4)?;
        for _ in 0..t.nchain {
            if i == 0 {
                return Ok(None);
            }
            if i >= t.nchain {
                return Err(Error::BadHash("DT_HASH link past nchain"));
            }
            if let Some(sym) = self.defines(i, name)? {
                return Ok(Some((i, sym)));
            }
            i = word(t.chains + i as u64 * 4)?;
        }
        Err(Error::BadHash("DT_HASH chain loops"))
    }

    /// Lookup through `DT_GNU_HASH`: the Bloom filter's two bits, then the
    /// bucket's run of symbols, comparing hashes before names.
    pub fn lookup_gnu(&self, name: &[u8]) -> Result<Option<(u32, Sym)>, Error> {
        let t = self.gnu.ok_or(Error::Missing("DT_GNU_HASH"))?;
        let h = gnu_hash(name);
        let word = self.image.u64(
            t.bloom + ((h / 64) % t.bloom_size) as u64 * 8,
            "DT_GNU_HASH",
        )?;
        let mask = (1u64 << (h % 64)) | (1u64 << ((h >> t.bloom_shift) % 64));
        if word & mask != mask {
            return Ok(None);
        }
        let mut i = self
            .image
            .u32(t.buckets + (h % t.nbuckets) as u64 * 4, "DT_GNU_HASH")?;
        if i == 0 {
            return Ok(None);
        }
        while i < t.end {
            let h2 = self
                .image
                .u32(t.chains + (i - t.symoffset) as u64 * 4, "DT_GNU_HASH")?;
            if h | 1 == h2 | 1
                && let Some(sym) = self.defines(i, name)?
            {
                return Ok(Some((i, sym)));
            }
            if h2 & 1 != 0 {
                break;
            }
            i += 1;
        }
        Ok(None)
    }
    // ANCHOR_END: lookup
}

/// Reads and checks the SysV table's header and arrays.
fn sysv(image: &Image<'_>, at: u64) -> Result<SysvHash, Error> {
    let nbucket = image.u32(at, "DT_HASH")?;
    let nchain = image.u32(at + 4, "DT_HASH")?;
    if nbucket == 0 {
        return Err(Error::BadHash("DT_HASH has no buckets"));
    }
    let buckets = at + 8;
    let chains = buckets + nbucket as u64 * 4;
    image.check(buckets, (nbucket as u64 + nchain as u64) * 4, "DT_HASH")?;
    Ok(SysvHash {
        nbucket,
        nchain,
        buckets,
        chains,
    })
}

/// Reads and checks the GNU table, finding how many symbols it covers: the
/// highest bucket start, then its chain to the entry with the low bit set.
/// How many symbols fit between `DT_SYMTAB` and `DT_STRTAB` (0 if the
/// string table is not after the symbol table).
fn gnu_only_count(dynamic: &Dynamic, symtab: u64) -> u32 {
    let strtab = dynamic.strtab.addr;
    if strtab <= symtab {
        return 0;
    }
    u32::try_from((strtab - symtab) / SYM_SIZE).unwrap_or(u32::MAX)
}

fn gnu(image: &Image<'_>, at: u64) -> Result<GnuHash, Error> {
    let w = |i: u64| image.u32(at + i * 4, "DT_GNU_HASH");
    let (nbuckets, symoffset, bloom_size, bloom_shift) = (w(0)?, w(1)?, w(2)?, w(3)?);
    if nbuckets == 0 || !bloom_size.is_power_of_two() || bloom_shift >= 32 {
        return Err(Error::BadHash("DT_GNU_HASH header"));
    }
    let bloom = at + 16;
    let buckets = bloom + bloom_size as u64 * 8;
    let chains = buckets + nbuckets as u64 * 4;
    image.check(
        bloom,
        bloom_size as u64 * 8 + nbuckets as u64 * 4,
        "DT_GNU_HASH",
    )?;
    let mut last = 0;
    for b in 0..nbuckets as u64 {
        let i = image.u32(buckets + b * 4, "DT_GNU_HASH")?;
        if i != 0 && i < symoffset {
            return Err(Error::BadHash("DT_GNU_HASH bucket below symoffset"));
        }
        last = last.max(i);
    }
    let end = if last == 0 {
        symoffset
    } else {
        let mut i = last;
        loop {
            let h = image.u32(chains + (i - symoffset) as u64 * 4, "DT_GNU_HASH")?;
            i = i
                .checked_add(1)
                .ok_or(Error::BadHash("DT_GNU_HASH chain"))?;
            if h & 1 != 0 {
                break i;
            }
        }
    };
    Ok(GnuHash {
        nbuckets,
        symoffset,
        bloom_size,
        bloom_shift,
        bloom,
        buckets,
        chains,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testobj::TestObj;

    fn symbols(o: &mut TestObj) -> Symbols<'_> {
        let (at, size) = o.finish();
        let img = Image::new(&o.image, 0);
        let d = Dynamic::parse(&img, at, size).unwrap();
        Symbols::new(img, &d).unwrap()
    }

    /// The defined, non-local symbol called `name`, by reading every entry.
    fn linear(s: &Symbols<'_>, name: &[u8]) -> Option<(u32, Sym)> {
        (1..s.len()).find_map(|i| s.defines(i, name).unwrap().map(|sym| (i, sym)))
    }

    #[test]
    fn hashes_of_known_names() {
        // Values from the System V ABI's and GNU's definitions, worked by
        // hand: "" hashes to 0 and 5381; "a" to 0x61 and 5381 * 33 + 0x61.
        assert_eq!(elf_hash(b""), 0);
        assert_eq!(elf_hash(b"a"), 0x61);
        assert_eq!(elf_hash(b"ab"), (0x61 << 4) + 0x62);
        assert_eq!(gnu_hash(b""), 5381);
        assert_eq!(gnu_hash(b"a"), 5381 * 33 + 0x61);
        // The high nibble folds back in once the hash reaches 28 bits.
        let long = b"abcdefghij";
        let mut h: u32 = 0;
        for &c in long {
            h = (h << 4) + c as u32;
            let g = h & 0xf000_0000;
            if g != 0 {
                h ^= g >> 24;
            }
            h &= !g;
        }
        assert_eq!(elf_hash(long), h);
    }

    #[test]
    fn both_tables_give_the_linear_scans_answers() {
        // Fewer under Miri, which is slow at the linear scans.
        let n = if cfg!(miri) { 12 } else { 40 };
        let defined: Vec<String> = (0..n).map(|i| format!("sym{i}")).collect();
        let d: Vec<&str> = defined.iter().map(String::as_str).collect();
        for nbuckets in [1, 3, 8] {
            let mut o = TestObj::with_symbols(&d, &["malloc", "sym_undefined"], nbuckets);
            let s = symbols(&mut o);
            assert_eq!(s.len(), n + 3);
            let probes = d
                .iter()
                .copied()
                .chain(["malloc", "sym_undefined", "sym99", "", "sym"]);
            for name in probes {
                let want = linear(&s, name.as_bytes());
                assert_eq!(s.lookup_sysv(name.as_bytes()), Ok(want), "{name}");
                assert_eq!(s.lookup_gnu(name.as_bytes()), Ok(want), "{name}");
                assert_eq!(s.lookup(name.as_bytes()), Ok(want), "{name}");
                assert_eq!(want.is_some(), d.contains(&name), "{name}");
            }
        }
    }

    #[test]
    fn the_bloom_filter_alone_can_answer_no() {
        let mut o = TestObj::with_symbols(&["x"], &[], 1);
        assert!(symbols(&mut o).lookup_gnu(b"x").unwrap().is_some());
        // Clear the filter: now even "x" is rejected before its bucket is read.
        let g = o
            .dynamic
            .iter()
            .find(|e| e.0 == vibix_uapi::elf::DT_GNU_HASH);
        let bloom = g.unwrap().1 as usize + 16;
        o.image[bloom..bloom + 16].fill(0);
        let s = symbols(&mut o);
        assert_eq!(s.lookup_gnu(b"x"), Ok(None));
        assert!(s.lookup_sysv(b"x").unwrap().is_some());
    }

    #[test]
    fn rejects_bad_hash_tables() {
        use vibix_uapi::elf::{DT_GNU_HASH, DT_HASH};
        let build = |patch: &dyn Fn(&mut TestObj)| {
            let mut o = TestObj::with_symbols(&["a", "b", "c"], &["u"], 2);
            patch(&mut o);
            let (at, size) = o.finish();
            let img = Image::new(&o.image, 0);
            let d = Dynamic::parse(&img, at, size).unwrap();
            Symbols::new(img, &d).map(|s| (s.lookup_sysv(b"a"), s.lookup_sysv(b"zz")))
        };
        let table = |o: &TestObj, tag| o.dynamic.iter().find(|e| e.0 == tag).unwrap().1 as usize;
        let set = |o: &mut TestObj, at: usize, v: u32| {
            o.image[at..at + 4].copy_from_slice(&v.to_le_bytes())
        };
        // nchain past the image.
        let r = build(&|o| {
            let h = table(o, DT_HASH);
            set(o, h + 4, 1 << 30);
            o.dynamic.retain(|e| e.0 != DT_GNU_HASH);
        });
        assert!(matches!(
            r,
            Err(Error::OutOfObject {
                what: "DT_HASH",
                ..
            })
        ));
        // No buckets.
        let r = build(&|o| set(o, table(o, DT_HASH), 0));
        assert!(matches!(r, Err(Error::BadHash(_))));
        // A GNU bucket pointing below symoffset (at an undefined symbol).
        let r = build(&|o| {
            let g = table(o, DT_GNU_HASH);
            set(o, g + 16 + 2 * 8, 1);
        });
        assert!(matches!(r, Err(Error::BadHash(_))));
        // A GNU bloom size that is not a power of two.
        let r = build(&|o| set(o, table(o, DT_GNU_HASH) + 8, 3));
        assert!(matches!(r, Err(Error::BadHash(_))));
        // A Bloom shift wider than the hash.
        let r = build(&|o| set(o, table(o, DT_GNU_HASH) + 12, 32));
        assert!(matches!(r, Err(Error::BadHash(_))));
        // A SysV chain that loops on itself ends with an error, not a hang.
        let r = build(&|o| {
            let h = table(o, DT_HASH);
            // Every bucket and chain link points at symbol 1 ("u": never a match).
            for i in 0..3 + 5 {
                set(o, h + 8 + 4 * i, 1);
            }
        });
        assert!(matches!(
            r,
            Ok((Err(Error::BadHash(_)), Err(Error::BadHash(_))))
        ));
        // A chain link past nchain.
        let r = build(&|o| {
            let h = table(o, DT_HASH);
            for i in 0..3 {
                set(o, h + 8 + 4 * i, 1);
            }
            set(o, h + 8 + 12 + 4, 99);
        });
        assert!(matches!(r, Ok((Err(Error::BadHash(_)), _))));
    }
}
