//! Seeded fuzzing of [`plan`]: a bounded `cargo fuzz` that runs as an
//! ordinary test.
//!
//! Valid images are mutated (bit flips, bytes and header fields set to
//! boundary values, truncation, extension, splicing two images) for a fixed
//! number of rounds from a fixed seed. `plan` must never panic, and every
//! plan it accepts must keep the promises the loader relies on, checked here
//! independently of how `plan` checks them: segments inside the file and
//! below the stack, no page shared, no W+X, the entry in an executable
//! segment, and so on. A failure names the seed and round, which replay it
//! alone (`replay`). Under Miri far fewer rounds run.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::test_image::*;
use super::*;
use crate::layout::{USER_END, is_page_aligned};
use crate::test_util::Rng;

/// The fixed seed; a failure message names it with the round.
const SEED: u64 = 0x0e1f_f022_5eed;

// ANCHOR: rounds
/// How many mutated images one test feeds `plan`: a debug-build host run
/// takes a few seconds; Miri is about a thousand times slower.
const ROUNDS: u64 = if cfg!(miri) { 100 } else { 200_000 };
// ANCHOR_END: rounds

/// The images mutations start from.
fn corpus() -> Vec<Vec<u8>> {
    let typical = Image::typical();
    // Without the TLS and stack headers, and with the entry at the very
    // start of the text.
    let mut plain = Image::typical();
    plain.phdrs.truncate(3);
    plain.phdrs[0].filesz = 3 * 56;
    plain.phdrs[0].memsz = 3 * 56;
    plain.entry = TEXT;
    // Three loadable segments, the last one a page-aligned bss of its own.
    let mut three = Image::typical();
    three
        .phdrs
        .push(Phdr::load(R | W, 0x220, 0x50_0220, 0, 0x3000));
    three.phdrs[0].filesz = 6 * 56;
    three.phdrs[0].memsz = 6 * 56;
    three.file_len = 0x240;
    [typical, plain, three].iter().map(Image::build).collect()
}

/// Offsets and sizes of the header fields `plan` reads.
const HEADER_FIELDS: [(usize, usize); 12] = [
    (4, 1),  // EI_CLASS
    (5, 1),  // EI_DATA
    (6, 1),  // EI_VERSION
    (16, 2), // e_type
    (18, 2), // e_machine
    (20, 4), // e_version
    (24, 8), // e_entry
    (32, 8), // e_phoff
    (40, 8), // e_shoff
    (54, 2), // e_phentsize
    (56, 2), // e_phnum
    (60, 2), // e_shnum
];

/// Offsets and sizes of a program header's fields.
const PHDR_FIELDS: [(usize, usize); 7] =
    [(0, 4), (4, 4), (8, 8), (16, 8), (32, 8), (40, 8), (48, 8)];

/// A value at the edge of something `plan` checks, or next to the old one.
fn edge_value(rng: &mut Rng, old: u64) -> u64 {
    let edges = [
        0,
        1,
        2,
        3,
        7,
        56,
        0x1000 - 1,
        0x1000,
        0x1001,
        USER_MIN - 1,
        USER_MIN,
        SEGMENTS_END,
        USER_END - 0x1000,
        USER_END,
        0xffff_8000_0000_0000,
        u64::MAX,
        u64::MAX - 0xfff,
        1 << 63,
        u64::from(abi::PT_LOAD),
        u64::from(abi::PT_TLS),
        u64::from(abi::PT_INTERP),
        u64::from(abi::PF_R | abi::PF_W | abi::PF_X),
    ];
    match rng.below(4) {
        0 => old.wrapping_add(1),
        1 => old.wrapping_sub(1),
        2 => old ^ (1 << rng.below(64)),
        _ => edges[rng.below(edges.len())],
    }
}

fn read(bytes: &[u8], at: usize, size: usize) -> u64 {
    let mut v = [0u8; 8];
    v[..size].copy_from_slice(&bytes[at..at + size]);
    u64::from_le_bytes(v)
}

fn write(bytes: &mut [u8], at: usize, size: usize, value: u64) {
    bytes[at..at + size].copy_from_slice(&value.to_le_bytes()[..size]);
}

// ANCHOR: mutate
/// One to four mutations of `base` (`other` is spliced from).
fn mutate(rng: &mut Rng, base: &[u8], other: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(8) {
            // Flip a bit, or set a byte to 0, 0xff or anything.
            0 | 1 if !b.is_empty() => {
                let at = rng.below(b.len());
                b[at] = match rng.below(4) {
                    0 => 0,
                    1 => 0xff,
                    2 => rng.next_u64() as u8,
                    _ => b[at] ^ (1 << rng.below(8)),
                };
            }
            // Overwrite an ELF header field.
            2 if b.len() >= 64 => {
                let (at, size) = HEADER_FIELDS[rng.below(HEADER_FIELDS.len())];
                let value = edge_value(rng, read(&b, at, size));
                write(&mut b, at, size, value);
            }
            // Overwrite a field of one of the (original) program headers.
            3 | 4 if b.len() >= 64 + 56 => {
                let phnum = ((b.len() - 64) / 56).min(6);
                let (field, size) = PHDR_FIELDS[rng.below(PHDR_FIELDS.len())];
                let at = 64 + 56 * rng.below(phnum) + field;
                let value = edge_value(rng, read(&b, at, size));
                write(&mut b, at, size, value);
            }
            // Cut the image short.
            5 => b.truncate(rng.below(b.len() + 1)),
            // Grow it (zeros or noise).
            6 => {
                let n = 1 + rng.below(0x200);
                let noise = rng.below(2) == 0;
                b.extend((0..n).map(|_| if noise { rng.next_u64() as u8 } else { 0 }));
            }
            // Splice a piece of the other image in, at any offset.
            _ if !other.is_empty() && !b.is_empty() => {
                let from = rng.below(other.len());
                let len = 1 + rng.below((other.len() - from).min(112));
                let to = rng.below(b.len());
                let end = (to + len).min(b.len());
                b[to..end].copy_from_slice(&other[from..from + (end - to)]);
            }
            _ => {}
        }
    }
    b
}
// ANCHOR_END: mutate

// ANCHOR: invariants
/// What an accepted plan promises, checked from the raw bytes.
fn check_plan(image: &[u8], plan: &LoadPlan) -> Result<(), String> {
    let ensure = |ok: bool, what: &str| if ok { Ok(()) } else { Err(String::from(what)) };
    // A position-independent object is checked where a PIE would load.
    let placed;
    let plan = if plan.kind == Kind::Dyn {
        match plan.placed(plan.bias_for(super::placement::PIE_BASE)) {
            Ok(p) => {
                placed = p;
                &placed
            }
            // Refused there (exec fails with ENOMEM): only if it is too big.
            Err(_) => {
                return ensure(
                    plan.span().1 > SEGMENTS_END - super::placement::PIE_BASE,
                    "an ET_DYN plan that fits was not placed at PIE_BASE",
                );
            }
        }
    } else {
        plan
    };
    ensure(
        image.get(..4) == Some(&b"\x7fELF"[..]),
        "accepted without the ELF magic",
    )?;
    ensure(
        image[4] == 2 && image[5] == 1,
        "accepted a non-ELF64-LE class or byte order",
    )?;
    ensure(
        matches!(read(image, 16, 2), 2 | 3) && read(image, 18, 2) == 62,
        "accepted a non-x86_64 or non-ET_EXEC/ET_DYN object",
    )?;
    ensure(
        plan.phentsize == 56 && u64::from(plan.phnum) == read(image, 56, 2),
        "phentsize/phnum",
    )?;
    ensure(!plan.segments.is_empty(), "no segments")?;
    for s in &plan.segments {
        let file_end = s.offset.checked_add(s.filesz);
        ensure(
            file_end.is_some_and(|e| e <= image.len() as u64),
            "segment bytes outside the file",
        )?;
        ensure(
            s.filesz <= s.memsz && s.memsz > 0,
            "filesz > memsz or empty segment",
        )?;
        let mem_end = s.vaddr.checked_add(s.memsz);
        ensure(
            s.vaddr >= USER_MIN && mem_end.is_some_and(|e| e <= SEGMENTS_END),
            "segment outside user memory",
        )?;
        ensure(!(s.perms.write && s.perms.exec), "W+X segment")?;
        ensure(
            s.vaddr % PAGE_SIZE == s.offset % PAGE_SIZE,
            "vaddr and offset disagree in the page",
        )?;
        ensure(
            is_page_aligned(plan.end) && plan.end >= mem_end.unwrap_or(u64::MAX),
            "end below a segment",
        )?;
    }
    // Pairwise, the pages the segments cover are disjoint.
    let pages = |s: &Segment| (s.vaddr / PAGE_SIZE, (s.vaddr + s.memsz - 1) / PAGE_SIZE);
    for (i, a) in plan.segments.iter().enumerate() {
        for b in &plan.segments[i + 1..] {
            let (a, b) = (pages(a), pages(b));
            ensure(a.1 < b.0 || b.1 < a.0, "two segments share a page")?;
        }
    }
    let entry_ok = plan
        .segments
        .iter()
        .any(|s| s.perms.exec && plan.entry >= s.vaddr && plan.entry - s.vaddr < s.memsz);
    ensure(entry_ok, "entry outside every executable segment")?;
    if plan.phdr_vaddr != 0 {
        let phoff = read(image, 32, 8);
        let table = u64::from(plan.phnum) * 56;
        let loaded = plan.segments.iter().any(|s| {
            phoff >= s.offset
                && phoff + table <= s.offset + s.filesz
                && plan.phdr_vaddr == s.vaddr + (phoff - s.offset)
        });
        ensure(loaded, "AT_PHDR does not point at the loaded table")?;
    }
    if let Some(t) = &plan.tls {
        let end = t.offset.checked_add(t.filesz);
        ensure(
            end.is_some_and(|e| e <= image.len() as u64) && t.filesz <= t.memsz,
            "TLS outside the file",
        )?;
        ensure(
            t.align == 0 || (t.align.is_power_of_two() && t.align <= PAGE_SIZE),
            "TLS alignment",
        )?;
    }
    Ok(())
}
// ANCHOR_END: invariants

/// Runs round `round`: the same input every time for the same round.
fn one_round(corpus: &[Vec<u8>], round: u64) -> (Vec<u8>, Result<LoadPlan, ElfError>) {
    let mut rng = Rng::new(SEED ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let base = &corpus[rng.below(corpus.len())];
    let other = &corpus[rng.below(corpus.len())];
    let input = mutate(&mut rng, base, other);
    let result = plan(&input);
    (input, result)
}

/// Replays one round, for a failure found by `fuzz_plan`.
fn replay(round: u64) {
    let corpus = corpus();
    let (input, result) = one_round(&corpus, round);
    if let Ok(plan) = &result
        && let Err(broken) = check_plan(&input, plan)
    {
        panic!("seed {SEED:#x}, round {round}: {broken}\ninput: {input:02x?}\nplan: {plan:?}");
    }
}

#[test]
fn fuzz_plan() {
    let corpus = corpus();
    for image in &corpus {
        check_plan(image, &plan(image).expect("the corpus is valid")).unwrap();
    }
    let mut accepted = 0;
    let mut seen = BTreeSet::new();
    for round in 0..ROUNDS {
        let outcome = std::panic::catch_unwind(|| one_round(&corpus, round));
        let Ok((input, result)) = outcome else {
            panic!("plan panicked: seed {SEED:#x}, round {round} (replay({round}) repeats it)");
        };
        match result {
            Ok(plan) => {
                if let Err(broken) = check_plan(&input, &plan) {
                    panic!(
                        "seed {SEED:#x}, round {round}: {broken}\ninput: {input:02x?}\nplan: {plan:?}"
                    );
                }
                accepted += 1;
            }
            Err(e) => {
                seen.insert(format!("{e:?}"));
            }
        }
    }
    // The mutations must reach past the first checks: some inputs pass, and
    // on the host every reason to refuse comes up.
    assert!(
        accepted > ROUNDS / 100,
        "only {accepted} of {ROUNDS} accepted"
    );
    if !cfg!(miri) {
        // Every reason but `PlacementOutsideUser`, which only `placed` gives.
        assert_eq!(seen.len(), 19, "reasons seen: {seen:?}");
    }
}

#[test]
fn replay_repeats_a_round() {
    let corpus = corpus();
    let (a, ra) = one_round(&corpus, 12345);
    let (b, rb) = one_round(&corpus, 12345);
    assert_eq!((a, ra), (b, rb));
    replay(12345);
}
