//! Hostile objects: images full of random bytes with a random dynamic
//! section (known tags, values small, aligned, or at the ends of the
//! address space) and hash tables with plausible headers over random
//! contents. Every function of the crate must either reject them with an
//! [`Error`] or work on them; none may panic, loop forever or read outside
//! the image (which Miri checks when it runs this).

use vibix_uapi::elf::*;

use crate::Error;
use crate::dynamic::Dynamic;
use crate::image::Image;
use crate::relocate::{Definition, Target};
use crate::symbols::Symbols;

/// xorshift64*: reproducible random numbers without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SIZE: usize = 1024;
const DYN_AT: usize = 0x40;

const TAGS: &[usize] = &[
    DT_NEEDED,
    DT_PLTRELSZ,
    DT_HASH,
    DT_STRTAB,
    DT_SYMTAB,
    DT_RELA,
    DT_RELASZ,
    DT_RELAENT,
    DT_STRSZ,
    DT_SYMENT,
    DT_INIT,
    DT_FINI,
    DT_SONAME,
    DT_RPATH,
    DT_PLTREL,
    DT_JMPREL,
    DT_INIT_ARRAY,
    DT_FINI_ARRAY,
    DT_INIT_ARRAYSZ,
    DT_FINI_ARRAYSZ,
    DT_RUNPATH,
    DT_FLAGS,
    DT_RELRSZ,
    DT_RELR,
    DT_RELRENT,
    DT_GNU_HASH,
    DT_FLAGS_1,
];

fn value(rng: &mut Rng) -> u64 {
    match rng.below(6) {
        0 => rng.below(SIZE as u64 + 64),
        1 | 2 => rng.below(SIZE as u64 / 8) * 8,
        3 => [u64::MAX, u64::MAX - 7, 1 << 63, 1 << 32][rng.below(4) as usize],
        4 => [24, 8, 7, 0][rng.below(4) as usize],
        _ => rng.next(),
    }
}

fn put32(image: &mut [u8], at: usize, v: u32) {
    if at + 4 <= image.len() {
        image[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
}

/// One hostile object, put through everything; returns how far it got:
/// 0 rejected by `Dynamic::parse`, 1 parsed, 2 with a symbol table too.
fn one(rng: &mut Rng) -> usize {
    let mut image: Vec<u8> = (0..SIZE).map(|_| rng.next() as u8).collect();
    // Usually a plausible skeleton (string table, symbol table, hash
    // tables where they fit), then random entries.
    let mut entries: Vec<(usize, u64)> = Vec::new();
    if rng.below(4) != 0 {
        entries.push((DT_STRTAB, 0x200 + rng.below(32) * 8));
        entries.push((DT_STRSZ, rng.below(0x100)));
        entries.push((DT_SYMTAB, 0x300 + rng.below(8) * 8));
        for tag in [DT_HASH, DT_GNU_HASH] {
            if rng.below(3) != 0 {
                entries.push((tag, 0x3a0 + rng.below(40) * 8));
            }
        }
    }
    let extras = if entries.is_empty() { 12 } else { 4 };
    for _ in 0..rng.below(extras) {
        let tag = TAGS[rng.below(TAGS.len() as u64) as usize];
        let v = if tag == DT_PLTREL && rng.below(2) == 0 {
            DT_RELA as u64
        } else {
            value(rng)
        };
        entries.push((tag, v));
    }
    let n = entries.len();
    let mut at = DYN_AT;
    for (tag, v) in entries {
        if (tag == DT_HASH || tag == DT_GNU_HASH) && v.saturating_add(64) <= SIZE as u64 {
            // A plausible header over random contents: few symbols, small
            // bucket values, chains that end.
            let h = v as usize;
            put32(&mut image, h, 1 + rng.below(4) as u32);
            put32(&mut image, h + 4, rng.below(8) as u32);
            if tag == DT_GNU_HASH {
                put32(&mut image, h + 8, 1);
                put32(&mut image, h + 12, rng.below(40) as u32);
                for w in 0..8 {
                    put32(&mut image, h + 24 + 4 * w, rng.below(8) as u32);
                }
            }
        }
        image[at..at + 8].copy_from_slice(&(tag as u64).to_le_bytes());
        image[at + 8..at + 16].copy_from_slice(&v.to_le_bytes());
        at += 16;
    }
    // Usually terminated; sometimes not.
    if rng.below(8) != 0 {
        image[at..at + 16].fill(0);
    }
    let size = if rng.below(16) == 0 {
        value(rng)
    } else {
        (n as u64 + 1) * 16
    };

    let snapshot = image.clone();
    let img = Image::new(&snapshot, 0);
    let Ok(d) = Dynamic::parse(&img, DYN_AT as u64, size) else {
        return 0;
    };
    for i in 0..d.needed_count {
        assert!(d.needed(&img, i).is_ok(), "parse checked every DT_NEEDED");
    }
    let _ = d.runpath(&img);
    let _ = Dynamic::array_entry(&img, d.init_array, 0);
    let copy_from = [0x5a_u8; 16];
    let mut resolve = |i: u32| -> Result<Definition<'_>, Error> {
        let bytes = &copy_from[..(i as usize % 17).min(16)];
        Ok(Definition {
            value: i as u64 * 8,
            tls_module: 1,
            tls_offset: -64,
            bytes,
        })
    };
    let mut reached = 1;
    if let Ok(s) = Symbols::new(img, &d) {
        reached = 2;
        for name in [&b"a"[..], b"", b"hostile", &snapshot[..3]] {
            let _ = s.lookup_sysv(name);
            let _ = s.lookup_gnu(name);
            let _ = s.lookup(name);
        }
        for i in 0..s.len().min(64) {
            if let Ok(sym) = s.get(i) {
                let _ = s.name(&sym);
            }
        }
    }
    let mut t = Target {
        image: &mut image,
        vaddr: 0,
        bias: 0x5555_0000_0000,
    };
    let _ = t.apply_rela_table(d.rela, &mut resolve);
    let _ = t.apply_rela_table(d.jmprel, &mut resolve);
    let _ = t.apply_relr(d.relr);
    reached
}

#[test]
fn hostile_objects_never_panic() {
    let rounds = if cfg!(miri) { 200 } else { 50_000 };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut reached = [0usize; 3];
    for _ in 0..rounds {
        reached[one(&mut rng)] += 1;
    }
    // The objects reach every stage, not just the first check (Miri's
    // few rounds may not).
    if !cfg!(miri) {
        assert!(reached[1] > 0 && reached[2] > 0, "{reached:?}");
    }
    eprintln!("hostile objects: {reached:?} (rejected, parsed, with symbols)");
}
