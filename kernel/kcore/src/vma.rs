//! The map of a process's user address space: which ranges are mapped
//! ("virtual memory areas") and with which protection. It is bookkeeping
//! only; the kernel keeps page tables in step with it. `mmap`, `munmap`,
//! `mprotect` and `brk` are range operations on this map.
//!
//! An area is private memory, or a window onto a shared region
//! ([`crate::shared`]); cutting an area keeps each piece's window right.

use crate::errno::Errno;
use crate::layout::PAGE_SIZE;
use crate::shared::RegionId;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

/// Linux `PROT_*` bits.
pub const PROT_READ: u32 = 1;
pub const PROT_WRITE: u32 = 2;
pub const PROT_EXEC: u32 = 4;

// ANCHOR: vma
/// One mapped range `[start, end)`, page aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vma {
    pub start: u64,
    pub end: u64,
    pub prot: u32,
    /// `None`: private memory. Otherwise the shared region the range shows.
    pub shared: Option<Window>,
}

/// Which part of a shared region an area shows: page `first_page` of
/// `region` is at the area's start, the next page after it, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub region: RegionId,
    pub first_page: u64,
}
// ANCHOR_END: vma

impl Vma {
    /// For a shared area, the region and the region's page at `addr`
    /// (which must lie in the area).
    pub fn shared_page(&self, addr: u64) -> Option<(RegionId, u64)> {
        debug_assert!(self.start <= addr && addr < self.end);
        self.shared
            .map(|w| (w.region, w.first_page + (addr - self.start) / PAGE_SIZE))
    }

    /// The part of this area from `addr` on (inside the area).
    fn tail_from(&self, addr: u64) -> Vma {
        Vma {
            start: addr,
            shared: self.shared.map(|w| Window {
                first_page: w.first_page + (addr - self.start) / PAGE_SIZE,
                ..w
            }),
            ..*self
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct VmaMap {
    /// Keyed by start address; ranges never overlap.
    areas: BTreeMap<u64, Vma>,
}

fn aligned(start: u64, end: u64) -> bool {
    start.is_multiple_of(PAGE_SIZE) && end.is_multiple_of(PAGE_SIZE) && start < end
}

impl VmaMap {
    pub fn new() -> VmaMap {
        VmaMap::default()
    }

    /// The area containing `addr`, if any.
    pub fn find(&self, addr: u64) -> Option<&Vma> {
        self.areas
            .range(..=addr)
            .next_back()
            .map(|(_, v)| v)
            .filter(|v| addr < v.end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Vma> {
        self.areas.values()
    }

    /// Whether no area intersects `[start, end)`.
    pub fn is_free(&self, start: u64, end: u64) -> bool {
        self.overlapping(start, end).next().is_none()
    }

    /// Whether `[start, end)` holds private memory only: no shared area
    /// intersects it (`fork` may then share its page table whole).
    pub fn private_only(&self, start: u64, end: u64) -> bool {
        self.overlapping(start, end).all(|v| v.shared.is_none())
    }

    fn overlapping(&self, start: u64, end: u64) -> impl Iterator<Item = &Vma> {
        let first = self.find(start).map_or(start, |v| v.start);
        self.areas
            .range(first..end)
            .map(|(_, v)| v)
            .filter(move |v| v.end > start)
    }

    /// Adds private `[start, end)`; it must not overlap an existing area.
    pub fn insert(&mut self, start: u64, end: u64, prot: u32) -> Result<(), Errno> {
        self.insert_area(Vma {
            start,
            end,
            prot,
            shared: None,
        })
    }

    /// Adds `[start, end)` showing shared region `region` from its first
    /// page on; it must not overlap an existing area.
    pub fn insert_shared(
        &mut self,
        start: u64,
        end: u64,
        prot: u32,
        region: RegionId,
    ) -> Result<(), Errno> {
        let shared = Some(Window {
            region,
            first_page: 0,
        });
        self.insert_area(Vma {
            start,
            end,
            prot,
            shared,
        })
    }

    fn insert_area(&mut self, vma: Vma) -> Result<(), Errno> {
        if !aligned(vma.start, vma.end) {
            return Err(Errno::EINVAL);
        }
        if !self.is_free(vma.start, vma.end) {
            return Err(Errno::EEXIST);
        }
        self.areas.insert(vma.start, vma);
        Ok(())
    }

    /// The shared regions some area shows.
    pub fn regions(&self) -> BTreeSet<RegionId> {
        self.areas
            .values()
            .filter_map(|v| v.shared.map(|w| w.region))
            .collect()
    }

    /// Whether some area still shows part of `region`.
    pub fn shows(&self, region: RegionId) -> bool {
        self.areas
            .values()
            .any(|v| v.shared.is_some_and(|w| w.region == region))
    }

    /// Cuts areas at `addr` so that no area straddles it.
    fn split_at(&mut self, addr: u64) {
        if let Some(v) = self.find(addr).copied()
            && v.start < addr
        {
            self.areas.insert(v.start, Vma { end: addr, ..v });
            self.areas.insert(addr, v.tail_from(addr));
        }
    }

    /// Removes everything in `[start, end)` and returns the removed pieces
    /// (so the caller can free their pages). Unmapped holes are fine, as in Linux.
    pub fn remove(&mut self, start: u64, end: u64) -> Result<Vec<Vma>, Errno> {
        if !aligned(start, end) {
            return Err(Errno::EINVAL);
        }
        self.split_at(start);
        self.split_at(end);
        let keys: Vec<u64> = self.areas.range(start..end).map(|(&k, _)| k).collect();
        Ok(keys
            .into_iter()
            .filter_map(|k| self.areas.remove(&k))
            .collect())
    }

    /// Changes the protection of `[start, end)`, which must be fully mapped
    /// (`ENOMEM` otherwise, as Linux says). Returns the changed pieces.
    pub fn protect(&mut self, start: u64, end: u64, prot: u32) -> Result<Vec<Vma>, Errno> {
        if !aligned(start, end) {
            return Err(Errno::EINVAL);
        }
        let mut at = start;
        for v in self.overlapping(start, end) {
            if v.start > at {
                return Err(Errno::ENOMEM);
            }
            at = v.end;
        }
        if at < end {
            return Err(Errno::ENOMEM);
        }
        self.split_at(start);
        self.split_at(end);
        let mut changed = Vec::new();
        for v in self.areas.range_mut(start..end).map(|(_, v)| v) {
            v.prot = prot;
            changed.push(*v);
        }
        Ok(changed)
    }

    /// The highest page-aligned `start` with `[start, start + len)` free and
    /// inside `[floor, ceiling)`: where `mmap` puts a mapping without a hint.
    pub fn find_free(&self, len: u64, floor: u64, ceiling: u64) -> Option<u64> {
        if len == 0 || !len.is_multiple_of(PAGE_SIZE) {
            return None;
        }
        let mut top = ceiling;
        for v in self.areas.range(..ceiling).map(|(_, v)| v).rev() {
            if v.end <= top {
                if let Some(start) = top.checked_sub(len)
                    && start >= v.end
                    && start >= floor
                {
                    return Some(start);
                }
                top = v.start;
            } else {
                top = top.min(v.start);
            }
        }
        top.checked_sub(len).filter(|&s| s >= floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: u64 = PAGE_SIZE;
    const RW: u32 = PROT_READ | PROT_WRITE;

    fn ranges(m: &VmaMap) -> Vec<(u64, u64, u32)> {
        m.iter().map(|v| (v.start / P, v.end / P, v.prot)).collect()
    }

    #[test]
    fn insert_rejects_overlap_and_misalignment() {
        let mut m = VmaMap::new();
        m.insert(10 * P, 20 * P, RW).unwrap();
        assert_eq!(m.insert(15 * P, 25 * P, RW), Err(Errno::EEXIST));
        assert_eq!(m.insert(5 * P, 11 * P, RW), Err(Errno::EEXIST));
        assert_eq!(m.insert(P + 1, 2 * P, RW), Err(Errno::EINVAL));
        assert_eq!(m.insert(2 * P, 2 * P, RW), Err(Errno::EINVAL));
        m.insert(20 * P, 21 * P, RW).unwrap();
        assert_eq!(ranges(&m), [(10, 20, RW), (20, 21, RW)]);
    }

    #[test]
    fn find_respects_half_open_ranges() {
        let mut m = VmaMap::new();
        m.insert(10 * P, 20 * P, RW).unwrap();
        assert!(m.find(10 * P - 1).is_none());
        assert_eq!(m.find(10 * P).unwrap().start, 10 * P);
        assert_eq!(m.find(20 * P - 1).unwrap().start, 10 * P);
        assert!(m.find(20 * P).is_none());
    }

    #[test]
    fn remove_splits_and_reports_pieces() {
        let mut m = VmaMap::new();
        m.insert(10 * P, 20 * P, RW).unwrap();
        m.insert(30 * P, 40 * P, PROT_READ).unwrap();
        let removed = m.remove(15 * P, 35 * P).unwrap();
        let removed: Vec<_> = removed.iter().map(|v| (v.start / P, v.end / P)).collect();
        assert_eq!(removed, [(15, 20), (30, 35)]);
        assert_eq!(ranges(&m), [(10, 15, RW), (35, 40, PROT_READ)]);
        assert_eq!(m.remove(P, P + 7), Err(Errno::EINVAL));
        assert!(m.remove(100 * P, 101 * P).unwrap().is_empty());
    }

    #[test]
    fn protect_needs_full_coverage() {
        let mut m = VmaMap::new();
        m.insert(10 * P, 20 * P, RW).unwrap();
        m.insert(21 * P, 30 * P, RW).unwrap();
        assert_eq!(m.protect(15 * P, 25 * P, PROT_READ), Err(Errno::ENOMEM));
        assert_eq!(
            ranges(&m),
            [(10, 20, RW), (21, 30, RW)],
            "a failed mprotect changes nothing"
        );
        let changed = m.protect(12 * P, 14 * P, PROT_READ).unwrap();
        assert_eq!(changed.len(), 1);
        assert_eq!(
            ranges(&m),
            [
                (10, 12, RW),
                (12, 14, PROT_READ),
                (14, 20, RW),
                (21, 30, RW)
            ]
        );
    }

    /// (start page, end page, (region, first page) if shared)
    type Piece = (u64, u64, Option<(RegionId, u64)>);

    fn windows(m: &VmaMap) -> Vec<Piece> {
        m.iter()
            .map(|v| {
                (
                    v.start / P,
                    v.end / P,
                    v.shared.map(|w| (w.region, w.first_page)),
                )
            })
            .collect()
    }

    #[test]
    fn cutting_a_shared_area_keeps_each_piece_on_its_pages() {
        let mut m = VmaMap::new();
        m.insert_shared(10 * P, 20 * P, RW, 7).unwrap();
        m.insert(20 * P, 30 * P, RW).unwrap();
        assert_eq!(
            m.find(13 * P).unwrap().shared_page(13 * P + 5),
            Some((7, 3))
        );
        m.protect(12 * P, 14 * P, PROT_READ).unwrap();
        let removed = m.remove(15 * P, 16 * P).unwrap();
        assert_eq!(removed[0].shared_page(15 * P), Some((7, 5)));
        assert_eq!(
            windows(&m),
            [
                (10, 12, Some((7, 0))),
                (12, 14, Some((7, 2))),
                (14, 15, Some((7, 4))),
                (16, 20, Some((7, 6))),
                (20, 30, None)
            ]
        );
        assert_eq!(m.find(19 * P).unwrap().shared_page(19 * P), Some((7, 9)));
        assert_eq!(m.find(25 * P).unwrap().shared_page(25 * P), None);
    }

    #[test]
    fn knows_which_regions_it_shows() {
        let mut m = VmaMap::new();
        m.insert_shared(10 * P, 12 * P, RW, 1).unwrap();
        m.insert_shared(20 * P, 22 * P, RW, 2).unwrap();
        m.insert(30 * P, 32 * P, RW).unwrap();
        assert_eq!(m.regions().into_iter().collect::<Vec<_>>(), [1, 2]);
        m.remove(10 * P, 11 * P).unwrap();
        assert!(m.shows(1), "half of region 1 is still mapped");
        m.remove(11 * P, 12 * P).unwrap();
        assert!(!m.shows(1));
        assert!(m.shows(2));
        assert_eq!(m.regions().into_iter().collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn find_free_goes_top_down_and_skips_areas() {
        let mut m = VmaMap::new();
        let (floor, ceiling) = (16 * P, 100 * P);
        assert_eq!(m.find_free(4 * P, floor, ceiling), Some(96 * P));
        m.insert(96 * P, 100 * P, RW).unwrap();
        m.insert(90 * P, 95 * P, RW).unwrap();
        assert_eq!(
            m.find_free(P, floor, ceiling),
            Some(95 * P),
            "a one-page hole fits one page"
        );
        assert_eq!(m.find_free(2 * P, floor, ceiling), Some(88 * P));
        assert_eq!(m.find_free(100 * P, floor, ceiling), None);
        assert_eq!(m.find_free(0, floor, ceiling), None);
        assert_eq!(m.find_free(P + 1, floor, ceiling), None);
        // Areas above the ceiling do not matter.
        m.insert(200 * P, 300 * P, RW).unwrap();
        assert_eq!(m.find_free(2 * P, floor, ceiling), Some(88 * P));
    }

    #[test]
    fn private_only_sees_any_shared_area_in_the_range() {
        let mut m = VmaMap::new();
        m.insert(10 * P, 20 * P, RW).unwrap();
        m.insert_shared(20 * P, 22 * P, RW, 3).unwrap();
        m.insert(30 * P, 40 * P, RW).unwrap();
        assert!(m.private_only(0, 20 * P));
        assert!(m.private_only(22 * P, 64 * P));
        assert!(m.private_only(100 * P, 200 * P), "no area at all");
        assert!(
            !m.private_only(0, 21 * P),
            "overlaps the shared area's start"
        );
        assert!(!m.private_only(21 * P, 30 * P), "starts inside it");
        assert!(!m.private_only(0, 512 * P), "contains it");
    }
}
