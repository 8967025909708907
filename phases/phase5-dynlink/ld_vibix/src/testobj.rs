//! Test objects built by hand: an image with a dynamic section, a string
//! table, a symbol table and both hash tables, laid out as a linker would
//! (the GNU table's symbols sorted by bucket after the undefined ones).
//! The unit tests of every module read these; the host-tool tests
//! (`tests/`) check the same code against real shared objects.

use vibix_uapi::elf::*;

use crate::symbols::{elf_hash, gnu_hash};

/// Where the dynamic section starts, and room for its entries.
pub const DYN_AT: u64 = 0x100;
const DYN_ROOM: u64 = 48 * 16;

/// A hand-built object.
pub struct TestObj {
    pub image: Vec<u8>,
    /// The dynamic entries, written at `DYN_AT` by [`TestObj::finish`].
    pub dynamic: Vec<(usize, u64)>,
    /// Symbol names in table order (index 0 is the null symbol).
    pub names: Vec<String>,
}

impl TestObj {
    /// An image of `size` zero bytes with nothing in it yet.
    pub fn empty(size: usize) -> TestObj {
        TestObj {
            image: vec![0; size],
            dynamic: Vec::new(),
            names: vec![String::new()],
        }
    }

    /// Appends `bytes` at the end of the image, 8-aligned; returns where.
    pub fn push(&mut self, bytes: &[u8]) -> u64 {
        while !self.image.len().is_multiple_of(8) {
            self.image.push(0);
        }
        let at = self.image.len() as u64;
        self.image.extend_from_slice(bytes);
        at
    }

    /// An object defining `defined` (data symbols at 0x1000 + 16 * i, of 8
    /// bytes) and referring to `undefined`, with `DT_HASH`, and with
    /// `DT_GNU_HASH` of `nbuckets` buckets when it is not 0.
    pub fn with_symbols(defined: &[&str], undefined: &[&str], nbuckets: u32) -> TestObj {
        let mut o = TestObj::empty((DYN_AT + DYN_ROOM) as usize);
        // Order: null, undefined, then defined sorted by GNU bucket.
        let mut defs: Vec<&str> = defined.to_vec();
        if nbuckets != 0 {
            defs.sort_by_key(|n| gnu_hash(n.as_bytes()) % nbuckets);
        }
        let mut strtab = vec![0u8];
        let mut symtab = vec![0u8; 24];
        let mut add = |name: &str, defined: bool, value: u64, o: &mut TestObj| {
            let st_name = strtab.len() as u32;
            strtab.extend_from_slice(name.as_bytes());
            strtab.push(0);
            symtab.extend_from_slice(&st_name.to_le_bytes());
            symtab.push((STB_GLOBAL << 4) | STT_OBJECT);
            symtab.push(0);
            symtab.extend_from_slice(&(if defined { 7u16 } else { SHN_UNDEF }).to_le_bytes());
            symtab.extend_from_slice(&value.to_le_bytes());
            symtab.extend_from_slice(&(if defined { 8u64 } else { 0 }).to_le_bytes());
            o.names.push(name.to_string());
        };
        for u in undefined {
            add(u, false, 0, &mut o);
        }
        for (i, d) in defs.iter().enumerate() {
            add(d, true, 0x1000 + 16 * i as u64, &mut o);
        }
        let count = o.names.len() as u32;
        let symoffset = 1 + undefined.len() as u32;

        // SysV: 3 buckets, chains prepended.
        let nbucket = 3u32;
        let mut buckets = vec![0u32; nbucket as usize];
        let mut chains = vec![0u32; count as usize];
        for i in 1..count {
            let b = (elf_hash(o.names[i as usize].as_bytes()) % nbucket) as usize;
            chains[i as usize] = buckets[b];
            buckets[b] = i;
        }
        let mut hash = Vec::new();
        for w in [nbucket, count].iter().chain(&buckets).chain(&chains) {
            hash.extend_from_slice(&w.to_le_bytes());
        }

        let strtab_at = o.push(&strtab);
        let symtab_at = o.push(&symtab);
        let hash_at = o.push(&hash);
        o.dynamic.extend([
            (DT_STRTAB, strtab_at),
            (DT_STRSZ, strtab.len() as u64),
            (DT_SYMTAB, symtab_at),
            (DT_SYMENT, 24),
            (DT_HASH, hash_at),
        ]);
        if nbuckets != 0 {
            let (bloom_size, shift) = (2u32, 6u32);
            let mut bloom = vec![0u64; bloom_size as usize];
            let mut gbuckets = vec![0u32; nbuckets as usize];
            let mut gchains = Vec::new();
            for i in symoffset..count {
                let h = gnu_hash(o.names[i as usize].as_bytes());
                bloom[((h / 64) % bloom_size) as usize] |=
                    (1 << (h % 64)) | (1 << ((h >> shift) % 64));
                let b = (h % nbuckets) as usize;
                if gbuckets[b] == 0 {
                    gbuckets[b] = i;
                }
                let last_of_bucket = i + 1 == count
                    || gnu_hash(o.names[i as usize + 1].as_bytes()) % nbuckets != b as u32;
                gchains.push((h & !1) | last_of_bucket as u32);
            }
            let mut g = Vec::new();
            for w in [nbuckets, symoffset, bloom_size, shift] {
                g.extend_from_slice(&w.to_le_bytes());
            }
            for w in bloom {
                g.extend_from_slice(&w.to_le_bytes());
            }
            for w in gbuckets.iter().chain(&gchains) {
                g.extend_from_slice(&w.to_le_bytes());
            }
            let g_at = o.push(&g);
            o.dynamic.push((DT_GNU_HASH, g_at));
        }
        o
    }

    /// Writes the dynamic entries and `DT_NULL` at `DYN_AT`; returns the
    /// section's address and size (with two spare entries, as linkers
    /// leave).
    pub fn finish(&mut self) -> (u64, u64) {
        let mut at = DYN_AT as usize;
        for &(tag, val) in self.dynamic.iter().chain([(DT_NULL, 0)].iter()) {
            self.image[at..at + 8].copy_from_slice(&(tag as u64).to_le_bytes());
            self.image[at + 8..at + 16].copy_from_slice(&val.to_le_bytes());
            at += 16;
        }
        (DYN_AT, (self.dynamic.len() as u64 + 3) * 16)
    }
}
