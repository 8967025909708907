//! The physical frame allocator. Free RAM (from the boot memory map, minus
//! the kernel image, the initramfs and the first MiB) is handed out by a bump
//! pointer region by region; freed frames go on a free list threaded through
//! the frames themselves, and are reused first.

use crate::boot::pvh::{MAX_RAM_RANGES, Range};
use crate::mm::{PHYSMAP_SIZE, phys_to_virt};
use kcore::layout::PAGE_SIZE;
use spin::Mutex;

struct Frames {
    regions: [Range; MAX_RAM_RANGES * 2],
    count: usize,
    /// Index of the region the bump pointer is in, and the pointer.
    current: usize,
    next: u64,
    /// Physical address of the first free-listed frame (0: empty).
    free_list: u64,
    free_frames: u64,
}

static FRAMES: Mutex<Frames> = Mutex::new(Frames {
    regions: [Range { start: 0, end: 0 }; MAX_RAM_RANGES * 2],
    count: 0,
    current: 0,
    next: 0,
    free_list: 0,
    free_frames: 0,
});

/// Takes the usable parts of `ram`: above 1 MiB, inside the physmap, and
/// outside every `reserved` range.
pub fn init(ram: &[Range], reserved: &[Range]) {
    // Cutting works left to right, so the reserved ranges must be sorted.
    let mut sorted = [Range { start: 0, end: 0 }; 4];
    let sorted = &mut sorted[..reserved.len()];
    sorted.copy_from_slice(reserved);
    sorted.sort_unstable_by_key(|r| r.start);
    let mut f = FRAMES.lock();
    for r in ram {
        let mut pieces = [Range {
            start: r.start.max(0x10_0000).next_multiple_of(PAGE_SIZE),
            end: r.end.min(PHYSMAP_SIZE) & !(PAGE_SIZE - 1),
        }];
        // A reserved range cuts the piece in two: the part below it is kept,
        // and cutting continues with the part above it.
        for res in sorted.iter() {
            let p = pieces[0];
            if res.end <= p.start || res.start >= p.end {
                continue;
            }
            let low = Range {
                start: p.start,
                end: res.start & !(PAGE_SIZE - 1),
            };
            if low.start < low.end && f.count < f.regions.len() {
                let i = f.count;
                f.regions[i] = low;
                f.count += 1;
            }
            pieces[0] = Range {
                start: res.end.next_multiple_of(PAGE_SIZE).max(p.start),
                end: p.end,
            };
        }
        if pieces[0].start < pieces[0].end && f.count < f.regions.len() {
            let i = f.count;
            f.regions[i] = pieces[0];
            f.count += 1;
        }
    }
    f.current = 0;
    f.next = f.regions[0].start;
    let total = f.regions[..f.count]
        .iter()
        .map(|r| (r.end - r.start) / PAGE_SIZE)
        .sum();
    f.free_frames = total;
    TOTAL.store(total, core::sync::atomic::Ordering::Relaxed);
}

/// A frame, not zeroed, or `None` when memory is exhausted.
pub fn alloc() -> Option<u64> {
    // Out of frames: the program-file cache gives back the pages only it
    // holds (`mm::page_cache`).
    take().or_else(|| {
        if super::page_cache::shrink() > 0 {
            take()
        } else {
            None
        }
    })
}

/// A frame from the free list, else one never used.
fn take() -> Option<u64> {
    let mut f = FRAMES.lock();
    if f.free_list != 0 {
        let frame = f.free_list;
        // SAFETY: a free-listed frame holds the address of the next one in its
        // first word, and nobody else owns it.
        f.free_list = unsafe { *(phys_to_virt(frame) as *const u64) };
        f.free_frames -= 1;
        return Some(frame);
    }
    bump(&mut f, 1)
}

/// `pages` physically contiguous frames (used once, for the kernel heap).
pub fn alloc_contiguous(pages: u64) -> Option<u64> {
    bump(&mut FRAMES.lock(), pages)
}

fn bump(f: &mut Frames, pages: u64) -> Option<u64> {
    while f.current < f.count {
        let region = f.regions[f.current];
        if f.next + pages * PAGE_SIZE <= region.end {
            let frame = f.next;
            f.next += pages * PAGE_SIZE;
            f.free_frames -= pages;
            return Some(frame);
        }
        // What is left of this region is too small; it stays unused for a
        // contiguous request only if another region can serve it.
        if pages == 1 {
            f.current += 1;
            f.next = f.regions.get(f.current).map_or(0, |r| r.start);
        } else {
            return (f.current + 1..f.count).find_map(|i| {
                let r = f.regions[i];
                (r.start + pages * PAGE_SIZE <= r.end).then(|| {
                    f.regions[i].start += pages * PAGE_SIZE;
                    f.free_frames -= pages;
                    r.start
                })
            });
        }
    }
    None
}

/// A zero-filled frame.
pub fn alloc_zeroed() -> Option<u64> {
    let frame = alloc()?;
    // SAFETY: we own the frame just allocated; the physmap maps it.
    unsafe { core::ptr::write_bytes(phys_to_virt(frame) as *mut u8, 0, PAGE_SIZE as usize) };
    Some(frame)
}

/// Returns `frame` to the allocator.
pub fn free(frame: u64) {
    let mut f = FRAMES.lock();
    // SAFETY: the caller gives up the frame; we store the list link in it.
    unsafe { *(phys_to_virt(frame) as *mut u64) = f.free_list };
    f.free_list = frame;
    f.free_frames += 1;
}

/// The end of the highest frame the allocator manages (what per-frame
/// tables must cover).
pub fn end_of_ram() -> u64 {
    let f = FRAMES.lock();
    f.regions[..f.count]
        .iter()
        .map(|r| r.end)
        .max()
        .unwrap_or(0)
}

static TOTAL: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);

/// How many frames the allocator managed at boot.
pub fn total_frames() -> u64 {
    TOTAL.load(core::sync::atomic::Ordering::Relaxed)
}

/// How many frames are free right now.
pub fn free_frames() -> u64 {
    FRAMES.lock().free_frames
}
