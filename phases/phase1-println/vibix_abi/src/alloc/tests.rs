//! The allocator's bookkeeping, over memory from the test's own allocator
//! (so Miri checks every access the heap makes).

use super::*;
use std::vec::Vec;

/// A fake kernel: a contiguous arena for `grow` (like the break), the
/// host allocator for `map`.
struct FakeOs {
    arena: NonNull<u8>,
    arena_len: usize,
    used: usize,
    /// Refuse to grow (a break that cannot move).
    no_grow: bool,
    /// Offset the break by this much first (an unaligned program end).
    first_skew: usize,
    maps: Vec<(*mut u8, Layout)>,
    grows: usize,
}

const ARENA: usize = 2 << 20;

impl FakeOs {
    fn new() -> FakeOs {
        let layout = Layout::from_size_align(ARENA, PAGE_SIZE).unwrap();
        // SAFETY: the layout has a nonzero size.
        let arena = NonNull::new(unsafe { std::alloc::alloc(layout) }).unwrap();
        FakeOs {
            arena,
            arena_len: ARENA,
            used: 0,
            no_grow: false,
            first_skew: 0,
            maps: Vec::new(),
            grows: 0,
        }
    }
}

impl Drop for FakeOs {
    fn drop(&mut self) {
        for (p, layout) in self.maps.drain(..) {
            // SAFETY: allocated in `map` with this layout, not freed yet.
            unsafe { std::alloc::dealloc(p, layout) };
        }
        let layout = Layout::from_size_align(self.arena_len, PAGE_SIZE).unwrap();
        // SAFETY: allocated in `new` with this layout.
        unsafe { std::alloc::dealloc(self.arena.as_ptr(), layout) };
    }
}

impl Os for FakeOs {
    fn grow(&mut self, len: usize) -> Option<NonNull<u8>> {
        if self.no_grow {
            return None;
        }
        if self.grows == 0 {
            self.used = self.first_skew;
        }
        if self.used + len > self.arena_len {
            return None;
        }
        // SAFETY: in bounds of the arena.
        let p = unsafe { self.arena.add(self.used) };
        self.used += len;
        self.grows += 1;
        Some(p)
    }

    fn map(&mut self, len: usize, align: usize) -> Option<NonNull<u8>> {
        // A kernel with 64 MiB to give.
        if len > 64 << 20 {
            return None;
        }
        let layout = Layout::from_size_align(len, align).ok()?;
        // SAFETY: nonzero size.
        let p = NonNull::new(unsafe { std::alloc::alloc_zeroed(layout) })?;
        self.maps.push((p.as_ptr(), layout));
        Some(p)
    }

    unsafe fn unmap(&mut self, block: NonNull<u8>, len: usize, align: usize) {
        let i = self
            .maps
            .iter()
            .position(|&(p, _)| p == block.as_ptr())
            .expect("unmap of something never mapped");
        let (_, layout) = self.maps.remove(i);
        assert_eq!((layout.size(), layout.align()), (len, align));
        // SAFETY: allocated in `map` with this layout.
        unsafe { std::alloc::dealloc(block.as_ptr(), layout) };
    }
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

fn heap() -> Heap<FakeOs> {
    Heap::new(FakeOs::new())
}

/// The bytes of a `len`-byte block a test writes and reads back: all of
/// them, or under Miri (where every access is slow) a sample that still
/// includes both ends.
fn sample(len: usize) -> impl Iterator<Item = usize> {
    let step = if cfg!(miri) { (len / 32).max(1) } else { 1 };
    (0..len).step_by(step).chain(len.checked_sub(1))
}

/// Fills a block with a pattern derived from `seed`.
fn fill(block: *mut u8, len: usize, seed: u8) {
    for i in sample(len) {
        // SAFETY: the test owns `len` bytes at `block`.
        unsafe { block.add(i).write(seed.wrapping_add(i as u8)) };
    }
}

fn check(block: *mut u8, len: usize, seed: u8) {
    for i in sample(len) {
        // SAFETY: as in `fill`.
        let b = unsafe { block.add(i).read() };
        assert_eq!(b, seed.wrapping_add(i as u8), "byte {i} of a block");
    }
}

#[test]
fn classes_and_large() {
    assert_eq!(kind(layout(1, 1)), Kind::Small(0));
    assert_eq!(kind(layout(16, 8)), Kind::Small(0));
    assert_eq!(kind(layout(17, 8)), Kind::Small(1));
    assert_eq!(kind(layout(8, 64)), Kind::Small(2));
    assert_eq!(kind(layout(MAX_SMALL, 16)), Kind::Small(CLASSES - 1));
    assert_eq!(
        kind(layout(MAX_SMALL + 1, 16)),
        Kind::Large {
            len: MAX_SMALL + PAGE_SIZE,
            align: PAGE_SIZE
        }
    );
    assert_eq!(
        kind(layout(100, 8192)),
        Kind::Large {
            len: PAGE_SIZE,
            align: 8192
        }
    );
}

#[test]
fn freed_blocks_are_reused() {
    let mut h = heap();
    let a = h.alloc(layout(24, 8));
    let b = h.alloc(layout(24, 8));
    assert_ne!(a, b);
    // SAFETY: `a` came from this heap with this layout.
    unsafe { h.dealloc(a, layout(24, 8)) };
    // Any request of the same class gets it back.
    assert_eq!(h.alloc(layout(32, 16)), a);
    assert_eq!(h.stats().grows, 1);
}

#[test]
fn blocks_are_aligned_and_do_not_overlap() {
    let mut h = heap();
    let mut blocks = Vec::new();
    for (i, shift) in (0..=MAX_SHIFT).chain((0..=12).rev()).enumerate() {
        let size = 1usize << shift;
        let align = size.min(PAGE_SIZE);
        let b = h.alloc(layout(size, align));
        assert!(!b.is_null());
        assert_eq!(b.addr() % align, 0, "class {size} not aligned");
        fill(b, size, i as u8);
        blocks.push((b, size, i as u8));
    }
    for &(b, size, seed) in &blocks {
        check(b, size, seed);
    }
    for (b, size, _) in blocks {
        // SAFETY: allocated above with this layout.
        unsafe { h.dealloc(b, layout(size, size.min(PAGE_SIZE))) };
    }
}

#[test]
fn alignment_padding_is_recycled() {
    let mut h = heap();
    let small = h.alloc(layout(16, 16));
    let page = h.alloc(layout(4096, 4096));
    assert_eq!(page.addr() % 4096, 0);
    // The bytes skipped between the two blocks went to the free lists: the
    // next small blocks come from there, not from above the page.
    let next = h.alloc(layout(16, 16));
    assert!(small < next && next < page, "{small:?} {next:?} {page:?}");
    let bigger = h.alloc(layout(2048, 2048));
    assert!(bigger < page);
}

#[test]
fn an_unaligned_break_is_fine() {
    let mut os = FakeOs::new();
    os.first_skew = 5;
    let mut h = Heap::new(os);
    let a = h.alloc(layout(16, 16));
    assert_eq!(a.addr() % 16, 0);
    fill(a, 16, 1);
    check(a, 16, 1);
}

#[test]
fn large_blocks_are_mappings() {
    let mut h = heap();
    let l = layout(MAX_SMALL * 2, 8);
    let big = h.alloc_zeroed(l);
    assert_eq!(big.addr() % PAGE_SIZE, 0);
    assert_eq!(h.os().maps.len(), 1);
    assert_eq!(h.stats().large_bytes, MAX_SMALL * 2);
    // Zeroed without a memset (the fake's mapping is zeroed, as mmap's).
    check_zero(big, l.size());
    // SAFETY: allocated above with this layout.
    unsafe { h.dealloc(big, l) };
    assert!(h.os().maps.is_empty());
    assert_eq!(h.stats().large_blocks, 0);

    let aligned = h.alloc(layout(64, 1 << 16));
    assert_eq!(aligned.addr() % (1 << 16), 0);
    // SAFETY: as above.
    unsafe { h.dealloc(aligned, layout(64, 1 << 16)) };
    assert_eq!(h.stats().grows, 0, "large blocks never touch the heap");
}

fn check_zero(block: *mut u8, len: usize) {
    for i in (0..len).step_by(4093) {
        // SAFETY: the test owns `len` bytes at `block`.
        assert_eq!(unsafe { block.add(i).read() }, 0);
    }
}

#[test]
fn recycled_blocks_are_zeroed_on_request() {
    let mut h = heap();
    let l = layout(64, 8);
    let a = h.alloc(l);
    fill(a, 64, 9);
    // SAFETY: allocated above with this layout.
    unsafe { h.dealloc(a, l) };
    let b = h.alloc_zeroed(l);
    assert_eq!(a, b);
    check_zero(b, 64);
    for i in 0..64 {
        // SAFETY: as above.
        assert_eq!(unsafe { b.add(i).read() }, 0);
    }
}

#[test]
fn realloc_moves_only_across_classes() {
    let mut h = heap();
    let l = layout(20, 4);
    let a = h.alloc(l);
    fill(a, 20, 3);
    // SAFETY: each block below is live and passed with its layout.
    unsafe {
        // 20 -> 30: both class 32.
        let same = h.realloc(a, l, 30);
        assert_eq!(same, a);
        // 30 -> 100: class 128, moved and copied.
        let moved = h.realloc(same, layout(30, 4), 100);
        assert_ne!(moved, a);
        check(moved, 20, 3);
        // Small -> large -> larger, by whole pages.
        let large = h.realloc(moved, layout(100, 4), MAX_SMALL + 1);
        check(large, 20, 3);
        let grown = h.realloc(large, layout(MAX_SMALL + 1, 4), MAX_SMALL + 2);
        assert_eq!(grown, large, "same number of pages");
        let back = h.realloc(grown, layout(MAX_SMALL + 2, 4), 8);
        check(back, 8, 3);
        h.dealloc(back, layout(8, 4));
    }
    assert!(h.os().maps.is_empty());
}

#[test]
fn heap_grows_and_falls_back_to_mappings() {
    let mut h = heap();
    let l = layout(MAX_SMALL, 16);
    // More than one growth step's worth of the largest class.
    let n = GROW_STEP / MAX_SMALL * 3;
    let blocks: Vec<_> = (0..n).map(|_| h.alloc(l)).collect();
    assert!(blocks.iter().all(|b| !b.is_null()));
    assert!(h.stats().grows >= 3);
    assert_eq!(h.os().grows, h.stats().grows, "all from the break");

    let mut os = FakeOs::new();
    os.no_grow = true;
    let mut h = Heap::new(os);
    let a = h.alloc(layout(100, 8));
    assert!(!a.is_null());
    assert_eq!(h.os().maps.len(), 1, "the heap itself came from a mapping");
}

#[test]
fn out_of_memory_is_null() {
    let mut os = FakeOs::new();
    os.no_grow = true;
    let mut h = Heap::new(os);
    // More than the fake kernel has.
    let huge = layout(1 << 30, 8);
    assert!(h.alloc(huge).is_null());
    assert_eq!(h.stats(), Stats::default());
}

#[test]
fn a_mixed_workload_keeps_every_byte() {
    let rounds = if cfg!(miri) { 200 } else { 5000 };
    let alloc = Locked::new(FakeOs::new());
    let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
    let mut seed: u32 = 12345;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        seed >> 8
    };
    for round in 0..rounds {
        let r = next();
        if r % 3 == 0 && !live.is_empty() {
            let (b, l, s) = live.swap_remove(r as usize % live.len());
            check(b, l.size(), s);
            // SAFETY: allocated below with this layout, freed once.
            unsafe { alloc.dealloc(b, l) };
        } else {
            let size = match r % 10 {
                0 => 1 + (r as usize % (MAX_SMALL * 3)),
                _ => 1 + (r as usize % 600),
            };
            let l = layout(size, 1 << (r % 6));
            // SAFETY: nonzero size.
            let b = unsafe { alloc.alloc(l) };
            assert!(!b.is_null());
            assert_eq!(b.addr() % l.align(), 0);
            fill(b, size, round as u8);
            live.push((b, l, round as u8));
        }
    }
    for (b, l, s) in live {
        check(b, l.size(), s);
        // SAFETY: as above.
        unsafe { alloc.dealloc(b, l) };
    }
    alloc.with(|h| assert_eq!(h.stats().large_blocks, 0));
}
