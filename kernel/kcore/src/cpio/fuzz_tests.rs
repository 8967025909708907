//! Seeded fuzzing of the cpio reader: a bounded `cargo fuzz` that runs as
//! an ordinary test.
//!
//! Valid archives are mutated (bit flips, header fields set to boundary hex
//! values, truncation, extension, splicing two archives) for a fixed number
//! of rounds from a fixed seed. The reader must never panic or loop, and
//! every entry it returns must lie inside the archive: the name and the data
//! are slices of the input, in order, not overlapping, and a name is never
//! empty of meaning (no NUL, no leading `/` or `./`, never the trailer). A
//! failure names the seed and the round. Under Miri far fewer rounds run.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::build::{archive, push};
use super::*;
use crate::test_util::Rng;

/// The fixed seed; a failure message names it with the round.
const SEED: u64 = 0xc910_f022_5eed;

/// How many mutated archives the test reads: a debug-build host run takes
/// a few seconds; Miri is about a thousand times slower.
const ROUNDS: u64 = if cfg!(miri) { 100 } else { 200_000 };

/// The archives mutations start from.
fn corpus() -> Vec<Vec<u8>> {
    let small = archive(&[
        (".", S_IFDIR | 0o755, b""),
        ("./bin", S_IFDIR | 0o755, b""),
        ("./bin/init", S_IFREG | 0o755, b"\x7fELF\x02\x01\x01"),
        ("./etc/motd", S_IFREG | 0o644, b"hello\n"),
        ("./bin/sh", S_IFLNK | 0o777, b"init"),
    ]);
    // Every padding amount, and zero padding after the trailer.
    let mut padded = Vec::new();
    for (i, name) in ["a", "bc", "def", "ghij", "klmno"].iter().enumerate() {
        push(&mut padded, name, S_IFREG | 0o600, &b"0123456789"[..i * 2]);
    }
    super::build::finish(&mut padded);
    padded.extend_from_slice(&[0; 64]);
    [small, padded].into()
}

/// The offsets of the headers in a valid archive.
fn headers(archive: &[u8]) -> Vec<usize> {
    (0..archive.len().saturating_sub(6))
        .filter(|&i| i % 4 == 0 && &archive[i..i + 6] == b"070701")
        .collect()
}

// ANCHOR: mutate
/// One to four mutations of `base` (`other` is spliced from).
/// `starts` are the offsets of `base`'s headers.
fn mutate(rng: &mut Rng, base: &[u8], starts: &[usize], other: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(7) {
            0 | 1 if !b.is_empty() => {
                let at = rng.below(b.len());
                b[at] = match rng.below(4) {
                    0 => 0,
                    1 => b'0',
                    2 => rng.next_u64() as u8,
                    _ => b[at] ^ (1 << rng.below(8)),
                };
            }
            // Set one of a header's thirteen fields to a boundary value.
            2 | 3 => {
                let header = starts[rng.below(starts.len())];
                let at = header + 6 + 8 * rng.below(13);
                if at + 8 > b.len() {
                    continue;
                }
                let old = str::from_utf8(&b[at..at + 8])
                    .ok()
                    .and_then(|s| u32::from_str_radix(s, 16).ok())
                    .unwrap_or(0);
                let rest = (b.len() - at) as u32;
                let value = [
                    0,
                    1,
                    3,
                    4,
                    0x7fff_ffff,
                    u32::MAX,
                    old.wrapping_add(1),
                    old.wrapping_sub(1),
                    rest,
                    rest + 1,
                ][rng.below(10)];
                let text = match rng.below(8) {
                    0 => String::from("0000000g"),
                    1 => format!("{value:08X}"),
                    _ => format!("{value:08x}"),
                };
                b[at..at + 8].copy_from_slice(text.as_bytes());
            }
            4 => b.truncate(rng.below(b.len() + 1)),
            5 => {
                let n = 1 + rng.below(0x100);
                b.extend((0..n).map(|_| rng.next_u64() as u8));
            }
            // Splice a piece of the other archive in (often a whole header).
            _ if !other.is_empty() && !b.is_empty() => {
                let from = rng.below(other.len());
                let len = 1 + rng.below((other.len() - from).min(130));
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
/// Reads `input` to the end and checks what came out. Returns how many
/// entries were read, and whether the archive was accepted whole.
fn check_entries(input: &[u8]) -> Result<(usize, bool), String> {
    let range = input.as_ptr_range();
    // Where `s` starts in `input`, if it is a slice of it. An empty slice
    // may point anywhere (the root's name `""` is a constant).
    let offset = |s: &[u8]| {
        let r = s.as_ptr_range();
        let inside = range.start <= r.start && r.end <= range.end;
        inside.then(|| r.start as usize - range.start as usize)
    };
    let mut it = entries(input);
    let mut count = 0;
    // Where the previous entry ended (as an offset in `input`).
    let mut last_end = 0;
    let mut whole = true;
    for item in it.by_ref() {
        let Ok(e) = item else {
            whole = false;
            break;
        };
        count += 1;
        if count > input.len() / 112 {
            return Err(format!("{count} entries from {} bytes", input.len()));
        }
        // Each part comes after a 110-byte header, and after the part before.
        for (i, part) in [e.name.as_bytes(), e.data].into_iter().enumerate() {
            if part.is_empty() {
                continue;
            }
            let Some(at) = offset(part) else {
                return Err(format!("entry {count} points outside the archive"));
            };
            if at < last_end + if i == 0 { 110 } else { 0 } {
                return Err(format!("entry {count} overlaps what came before"));
            }
            last_end = at + part.len();
        }
        let n = e.name;
        if n.contains('\0') || n.starts_with('/') || n.starts_with("./") || n == "." || n == TRAILER
        {
            return Err(format!("entry {count} has the name {n:?}"));
        }
    }
    if it.next().is_some() {
        return Err(String::from("entries after the end"));
    }
    Ok((count, whole))
}
// ANCHOR_END: invariants

#[test]
fn fuzz_entries() {
    let corpus = corpus();
    let starts: Vec<Vec<usize>> = corpus.iter().map(|a| headers(a)).collect();
    for a in &corpus {
        assert!(check_entries(a).unwrap().1);
    }
    let (mut whole, mut entries_read) = (0, 0);
    for round in 0..ROUNDS {
        let mut rng = Rng::new(SEED ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let which = rng.below(corpus.len());
        let other = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, &corpus[which], &starts[which], other);
        match std::panic::catch_unwind(|| check_entries(&input)) {
            Ok(Ok((count, ok))) => {
                entries_read += count;
                whole += usize::from(ok);
            }
            Ok(Err(broken)) => {
                panic!("seed {SEED:#x}, round {round}: {broken}\ninput: {input:02x?}")
            }
            Err(_) => {
                panic!("the reader panicked: seed {SEED:#x}, round {round}\ninput: {input:02x?}")
            }
        }
    }
    // The mutations must not all stop at the first header.
    assert!(
        whole as u64 > ROUNDS / 20,
        "only {whole} of {ROUNDS} read whole"
    );
    assert!(
        entries_read as u64 > ROUNDS,
        "only {entries_read} entries read"
    );
}
