//! Tests for file data as pages: reads and writes at any offset against a
//! plain byte vector, holes, cutting and growing, running out of memory,
//! and a file far bigger than the kernel heap once capped file data at.

use alloc::vec;
use alloc::vec::Vec;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicUsize, Ordering};

use super::pages::{FileData, HEAP_PAGES, OutOfMemory, PAGE, PageSource};
use super::*;
use crate::test_util::Rng;

fn contents(data: &FileData) -> Vec<u8> {
    data.bytes().unwrap().into_owned()
}

#[test]
fn writes_reads_and_cuts_agree_with_a_byte_vector() {
    let mut rng = Rng::new(7);
    // Fewer rounds under Miri, which runs this a thousand times slower.
    let rounds = if cfg!(miri) { 3 } else { 40 };
    for round in 0..rounds {
        // Half the files start packed (as the initramfs brings them).
        let start: Vec<u8> = (0..rng.below(3 * PAGE)).map(|i| i as u8).collect();
        let (mut model, mut data) = if round % 2 == 0 {
            (start.clone(), FileData::from(start))
        } else {
            (Vec::new(), FileData::new())
        };
        for _ in 0..30 {
            let at = rng.below(6 * PAGE);
            match rng.below(3) {
                0 => {
                    let bytes: Vec<u8> = (0..rng.below(2 * PAGE + 3))
                        .map(|_| rng.next_u64() as u8 | 1)
                        .collect();
                    data.write(at, &bytes, &HEAP_PAGES).unwrap();
                    if !bytes.is_empty() {
                        if model.len() < at + bytes.len() {
                            model.resize(at + bytes.len(), 0);
                        }
                        model[at..at + bytes.len()].copy_from_slice(&bytes);
                    }
                }
                1 => {
                    data.set_len(at, &HEAP_PAGES).unwrap();
                    model.resize(at, 0);
                }
                _ => {
                    let mut buf = vec![0xee; rng.below(2 * PAGE)];
                    let n = data.read(at as u64, &mut buf);
                    let want = &model[at.min(model.len())..][..n];
                    assert_eq!(n, buf.len().min(model.len().saturating_sub(at)));
                    assert_eq!(&buf[..n], want);
                }
            }
            assert_eq!(data.len(), model.len());
        }
        assert_eq!(contents(&data), model);
    }
}

#[test]
fn holes_hold_no_memory_and_read_as_zeros() {
    let mut data = FileData::new();
    data.write(10 * PAGE + 5, b"end", &HEAP_PAGES).unwrap();
    assert_eq!(data.len(), 10 * PAGE + 8);
    assert_eq!(data.pages_held(), 1);
    let mut buf = [0xff; 2 * PAGE];
    assert_eq!(data.read(PAGE as u64 - 3, &mut buf), 2 * PAGE);
    assert!(buf.iter().all(|&b| b == 0));
    // Growing leaves a hole too.
    data.set_len(100 * PAGE, &HEAP_PAGES).unwrap();
    assert_eq!(data.pages_held(), 1);
    assert_eq!(data.read(99 * PAGE as u64, &mut buf), PAGE);
    assert!(buf[..PAGE].iter().all(|&b| b == 0));
}

#[test]
fn cut_bytes_read_as_zeros_when_the_file_grows_again() {
    let mut data = FileData::from(vec![7; PAGE + 100]);
    data.set_len(PAGE + 10, &HEAP_PAGES).unwrap();
    data.set_len(PAGE + 100, &HEAP_PAGES).unwrap();
    let bytes = contents(&data);
    assert!(bytes[..PAGE + 10].iter().all(|&b| b == 7));
    assert!(bytes[PAGE + 10..].iter().all(|&b| b == 0));
    // The same through a write past the end.
    data.set_len(5, &HEAP_PAGES).unwrap();
    data.write(PAGE - 1, b"x", &HEAP_PAGES).unwrap();
    let bytes = contents(&data);
    assert_eq!(&bytes[..5], &[7; 5]);
    assert!(bytes[5..PAGE - 1].iter().all(|&b| b == 0));
    assert_eq!(bytes[PAGE - 1], b'x');
}

#[test]
fn a_packed_file_stays_in_one_block_until_changed() {
    let mut data = FileData::from(b"#!program".to_vec());
    assert_eq!(data.contiguous(), Some(&b"#!program"[..]));
    data.write(0, b"\x7f", &HEAP_PAGES).unwrap();
    assert_eq!(data.contiguous(), None);
    assert_eq!(&*data.bytes().unwrap(), b"\x7f!program");
    assert_eq!(data, FileData::from(b"\x7f!program".to_vec()));
}

#[test]
fn every_change_gives_the_bytes_a_new_version() {
    let mut data = FileData::from(b"\x7fELF".to_vec());
    let other = FileData::from(b"\x7fELF".to_vec());
    let first = data.version();
    assert_ne!(
        first,
        other.version(),
        "another file never shares a version"
    );
    let copy = data.clone();
    assert_eq!(copy.version(), first, "a copy holds the same bytes");
    let mut seen = vec![first, other.version()];
    let mut changed = |data: &FileData, what: &str| {
        assert!(!seen.contains(&data.version()), "{what}: a new version");
        seen.push(data.version());
    };
    data.write(1, b"E", &HEAP_PAGES).unwrap();
    changed(&data, "a write of the same byte");
    data.set_len(2, &HEAP_PAGES).unwrap();
    changed(&data, "a cut");
    data.set_len(9000, &HEAP_PAGES).unwrap();
    changed(&data, "a hole added");
    let now = data.version();
    data.write(5, b"", &HEAP_PAGES).unwrap();
    data.set_len(9000, &HEAP_PAGES).unwrap();
    let mut buf = [0; 4];
    data.read(0, &mut buf);
    assert_eq!(data.version(), now, "no change, no new version");
    assert_eq!(copy.version(), first, "the copy is not changed");
    assert_eq!(FileData::new().version(), 0);
}

/// Pages still to give (a budget for one test), and pages given out and
/// not yet returned.
static BUDGET: AtomicUsize = AtomicUsize::new(0);
static OUT: AtomicUsize = AtomicUsize::new(0);

fn budget_alloc() -> Option<NonNull<u8>> {
    BUDGET
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .ok()?;
    OUT.fetch_add(1, Ordering::SeqCst);
    (HEAP_PAGES.alloc)()
}

/// # Safety
///
/// As [`PageSource::free`].
unsafe fn budget_free(page: NonNull<u8>) {
    OUT.fetch_sub(1, Ordering::SeqCst);
    BUDGET.fetch_add(1, Ordering::SeqCst);
    // SAFETY: the page came from `HEAP_PAGES.alloc` (the caller's promise).
    unsafe { (HEAP_PAGES.free)(page) }
}

static BUDGETED: PageSource = PageSource {
    alloc: budget_alloc,
    free: budget_free,
};

#[test]
fn running_out_of_pages_is_enospc_and_changes_nothing() {
    BUDGET.store(3, Ordering::SeqCst);
    let mut tree = Tree::new();
    tree.set_page_source(&BUDGETED);
    let f = tree
        .create(ROOT, b"f", NodeKind::File(FileData::new()), 0o644)
        .unwrap();
    assert_eq!(tree.write_at(f, 0, &[1; 2 * PAGE]), Ok(2 * PAGE));
    // Two pages more do not fit in the one left: nothing is written.
    assert_eq!(
        tree.write_at(f, PAGE as u64, &[2; 3 * PAGE]),
        Err(Errno::ENOSPC)
    );
    assert_eq!(tree.node(f).size(), 2 * PAGE as u64);
    assert_eq!(tree.used_bytes(), 2 * PAGE);
    let mut buf = [0; 2 * PAGE];
    tree.read_at(f, 0, &mut buf).unwrap();
    assert!(buf.iter().all(|&b| b == 1));
    assert_eq!(
        OUT.load(Ordering::SeqCst),
        2,
        "the pages tried were given back"
    );
    // A write needing the one page left works.
    assert_eq!(tree.write_at(f, 2 * PAGE as u64, b"x"), Ok(1));
    assert_eq!(FileData::new().write(0, b"y", &BUDGETED), Err(OutOfMemory));
    // Removing the file gives every page back.
    tree.unlink_at(ROOT, b"f").unwrap();
    assert_eq!(OUT.load(Ordering::SeqCst), 0);
}

#[test]
fn a_256_mib_file_fits_the_capacity_of_a_1_gib_machine() {
    // Under Miri, which runs this a thousand times slower, the same
    // quarter of a machine 1024 times smaller: 256 KiB of a 1 MiB one.
    let (ram, mib) = if cfg!(miri) {
        (1 << 20, 1 << 10)
    } else {
        (1 << 30, 1 << 20)
    };
    let mut tree = Tree::new();
    tree.set_capacity(capacity_for_ram(ram));
    let f = tree
        .create(ROOT, b"big", NodeKind::File(FileData::new()), 0o644)
        .unwrap();
    let mut chunk = vec![0; mib];
    for i in 0..256 {
        chunk.fill(i as u8);
        assert_eq!(
            tree.write_at(f, (i * mib) as u64, &chunk),
            Ok(mib),
            "MiB {i}"
        );
    }
    assert_eq!(tree.node(f).size(), 256 * mib as u64);
    let mut buf = [0; 8];
    for i in [0, 63, 64, 200, 255] {
        tree.read_at(f, (i * mib + mib / 2) as u64, &mut buf)
            .unwrap();
        assert_eq!(buf, [i as u8; 8]);
    }
    tree.unlink_at(ROOT, b"big").unwrap();
    assert_eq!(tree.used_bytes(), 0);
}
