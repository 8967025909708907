//! Shared anonymous memory (`mmap(MAP_SHARED | MAP_ANONYMOUS)`): the
//! bookkeeping of the regions whose frames several address spaces map.
//!
//! A region is created by `mmap`, owns its frames (filled in on first touch,
//! one per page) and counts its *holders*: the address spaces with at least
//! one area that maps part of it. `fork` adds a holder; an address space that
//! unmaps its last piece of the region, or goes away (exit, exec), releases
//! it. When the last holder releases it, the region's frames come back to be
//! freed. Frames are plain numbers here; the kernel allocates and frees them.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// Names a region; never reused while the kernel runs.
pub type RegionId = u64;

/// One region: its length in pages, the frames of the pages touched so far
/// (by page index), and how many address spaces hold it.
#[derive(Debug)]
struct Region {
    pages: u64,
    frames: BTreeMap<u64, u64>,
    holders: u32,
}

/// Every live region.
#[derive(Debug, Default)]
pub struct SharedRegions {
    next_id: RegionId,
    regions: BTreeMap<RegionId, Region>,
}

impl SharedRegions {
    pub const fn new() -> SharedRegions {
        SharedRegions {
            next_id: 1,
            regions: BTreeMap::new(),
        }
    }

    /// A new region of `pages` pages, held by the address space that maps it.
    pub fn create(&mut self, pages: u64) -> RegionId {
        let id = self.next_id;
        self.next_id += 1;
        self.regions.insert(
            id,
            Region {
                pages,
                frames: BTreeMap::new(),
                holders: 1,
            },
        );
        id
    }

    /// One more address space maps part of region `id` (a forked child).
    pub fn hold(&mut self, id: RegionId) {
        self.region(id).holders += 1;
    }

    /// An address space no longer maps any of region `id`. Returns the frames
    /// to free: all of the region's when it was the last holder, else none.
    pub fn release(&mut self, id: RegionId) -> Vec<u64> {
        let region = self.region(id);
        region.holders -= 1;
        if region.holders > 0 {
            return Vec::new();
        }
        let region = self.regions.remove(&id).expect("the region was just found");
        region.frames.into_values().collect()
    }

    /// The frame of page `page` of region `id`: the one already there, or
    /// else one from `alloc` (a zeroed frame), which the region then owns.
    /// `None` if `alloc` has none to give.
    pub fn frame(
        &mut self,
        id: RegionId,
        page: u64,
        alloc: impl FnOnce() -> Option<u64>,
    ) -> Option<u64> {
        let region = self.region(id);
        assert!(
            page < region.pages,
            "page {page} is outside region {id} of {} pages",
            region.pages
        );
        if let Some(&frame) = region.frames.get(&page) {
            return Some(frame);
        }
        let frame = alloc()?;
        region.frames.insert(page, frame);
        Some(frame)
    }

    /// How many regions are alive (for tests and reports).
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    fn region(&mut self, id: RegionId) -> &mut Region {
        self.regions
            .get_mut(&id)
            .unwrap_or_else(|| panic!("no shared region {id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_made_once_and_shared() {
        let mut r = SharedRegions::new();
        let id = r.create(4);
        assert_eq!(r.frame(id, 2, || Some(0x5000)), Some(0x5000));
        // The second touch finds the frame: the allocator is not asked.
        assert_eq!(r.frame(id, 2, || panic!("allocated twice")), Some(0x5000));
        assert_eq!(r.frame(id, 3, || None), None, "out of frames");
        assert_eq!(r.frame(id, 3, || Some(0x9000)), Some(0x9000));
    }

    #[test]
    fn frames_come_back_with_the_last_holder() {
        let mut r = SharedRegions::new();
        let id = r.create(8);
        r.frame(id, 0, || Some(0x1000));
        r.frame(id, 7, || Some(0x2000));
        r.hold(id); // fork
        r.hold(id); // fork again
        assert!(r.release(id).is_empty());
        assert!(r.release(id).is_empty());
        assert_eq!(r.len(), 1);
        let mut freed = r.release(id);
        freed.sort_unstable();
        assert_eq!(freed, [0x1000, 0x2000]);
        assert!(r.is_empty());
    }

    #[test]
    fn regions_are_independent_and_ids_not_reused() {
        let mut r = SharedRegions::new();
        let a = r.create(1);
        let b = r.create(1);
        assert_ne!(a, b);
        r.frame(a, 0, || Some(0xa000));
        r.frame(b, 0, || Some(0xb000));
        assert_eq!(r.release(a), [0xa000]);
        let c = r.create(1);
        assert!(c != a && c != b, "a freed id is not handed out again");
        assert_eq!(r.frame(b, 0, || None), Some(0xb000));
        assert_eq!(r.release(b), [0xb000]);
        assert!(r.release(c).is_empty(), "an untouched region owns no frame");
    }

    #[test]
    #[should_panic(expected = "outside region")]
    fn a_page_past_the_end_is_a_kernel_bug() {
        let mut r = SharedRegions::new();
        let id = r.create(2);
        r.frame(id, 2, || Some(0x1000));
    }
}
