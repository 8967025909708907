//! Where a position-independent object (`ET_DYN`) is loaded.
//!
//! An `ET_DYN` object's addresses are relative: the kernel picks a *load
//! bias* and adds it to every address in the plan. Linux places a PIE
//! program at `ELF_ET_DYN_BASE`, two thirds of the way up the user half
//! (`0x5555_5555_4000` once rounded to a page, plus a random offset when
//! address-space randomisation is on), and the interpreter where `mmap`
//! would put a mapping of its size. vibix does the same without the random
//! part: a PIE program's lowest page is at [`PIE_BASE`], far above where
//! `ET_EXEC` programs are linked (4 MiB) and far below the `mmap` area
//! (which starts at `USER_MMAP_TOP` and grows down), so the program's break
//! has room to grow above it; the interpreter goes to the top of the free
//! `mmap` area, like any mapping.

use super::{ElfError, Kind, LoadPlan, SEGMENTS_END, end_page};
use crate::layout::{USER_MIN, page_floor};

/// Where a PIE program's lowest page is loaded: Linux's `ELF_ET_DYN_BASE`
/// on x86_64 (2/3 of `2^47 - 4096`, rounded down to a page), without the
/// random offset.
pub const PIE_BASE: u64 = page_floor((((1u64 << 47) - 4096) / 3) * 2);
const _: () = assert!(PIE_BASE == 0x5555_5555_4000);
const _: () = assert!(PIE_BASE < crate::layout::USER_MMAP_TOP);

impl LoadPlan {
    /// The first page the object occupies (link-time address) and the
    /// length of the range up to its end.
    pub fn span(&self) -> (u64, u64) {
        let first = self
            .segments
            .iter()
            .map(|s| page_floor(s.vaddr))
            .min()
            .unwrap_or(0);
        (first, self.end - first)
    }

    /// The bias that puts the object's first page at `base`.
    pub fn bias_for(&self, base: u64) -> u64 {
        base.wrapping_sub(self.span().0)
    }

    // ANCHOR: placed
    /// The plan with `bias` added to every address, checked against user
    /// memory. An `ET_EXEC` plan only takes a bias of 0.
    pub fn placed(&self, bias: u64) -> Result<LoadPlan, ElfError> {
        if self.kind == Kind::Exec {
            return if bias == 0 {
                Ok(self.clone())
            } else {
                Err(ElfError::PlacementOutsideUser)
            };
        }
        let mut placed = self.clone();
        for s in &mut placed.segments {
            // The bias is added modulo 2^64 (it is "negative" when the
            // object is linked above its load address); what counts is
            // that the result lies in user memory.
            let start = s.vaddr.wrapping_add(bias);
            match start.checked_add(s.memsz) {
                Some(end) if start >= USER_MIN && end <= SEGMENTS_END => {
                    s.vaddr = start;
                }
                _ => return Err(ElfError::PlacementOutsideUser),
            }
        }
        // Both lie inside segments, which now lie in user memory.
        placed.entry = self.entry.wrapping_add(bias);
        if self.phdr_vaddr != 0 {
            placed.phdr_vaddr = self.phdr_vaddr.wrapping_add(bias);
        }
        placed.end = placed.segments.iter().map(end_page).max().unwrap_or(0);
        Ok(placed)
    }
    // ANCHOR_END: placed
}

#[cfg(test)]
mod tests {
    use super::super::test_image::*;
    use super::super::{Kind, plan};
    use super::*;

    /// A PIE: `typical()` linked at 0 instead of `TEXT`.
    fn pie() -> LoadPlan {
        plan(&Image::typical_pie().build()).unwrap()
    }

    #[test]
    fn pie_base_is_linux_value() {
        assert_eq!(PIE_BASE, 0x5555_5555_4000);
    }

    #[test]
    fn a_pie_moves_as_a_whole() {
        let p = pie();
        assert_eq!(p.kind, Kind::Dyn);
        assert_eq!(p.span(), (0, 0x2000));
        let bias = p.bias_for(PIE_BASE);
        assert_eq!(bias, PIE_BASE);
        let q = p.placed(bias).unwrap();
        assert_eq!(q.segments[0].vaddr, PIE_BASE);
        assert_eq!(q.segments[1].vaddr, PIE_BASE + (DATA - TEXT));
        assert_eq!(q.entry, PIE_BASE + 0x100);
        assert_eq!(q.phdr_vaddr, PIE_BASE + 64);
        assert_eq!(q.end, PIE_BASE + 0x2000);
        // Offsets in the file do not move.
        assert_eq!(q.segments[1].offset, p.segments[1].offset);
    }

    #[test]
    fn first_page_not_at_zero() {
        // An object linked at 0x10_0000: its first page still lands on the base.
        let p = pie().placed(0x10_0000).unwrap();
        let mut q = p.clone();
        q.kind = Kind::Dyn;
        let base = 0x7000_0000_0000;
        let r = q.placed(q.bias_for(base)).unwrap();
        assert_eq!(r.span(), (base, 0x2000));
        // A bias below the link address (it wraps as an unsigned number).
        let low = q.placed(q.bias_for(USER_MIN)).unwrap();
        assert_eq!(low.segments[0].vaddr, USER_MIN);
    }

    #[test]
    fn placements_outside_user_memory_fail() {
        let p = pie();
        for base in [0, USER_MIN - 0x1000, SEGMENTS_END - 0x1000, !0xfff] {
            assert_eq!(
                p.placed(p.bias_for(base)),
                Err(ElfError::PlacementOutsideUser),
                "{base:#x}"
            );
        }
        assert!(p.placed(p.bias_for(SEGMENTS_END - 0x2000)).is_ok());
    }

    #[test]
    fn exec_only_at_its_addresses() {
        let p = plan(&Image::typical().build()).unwrap();
        assert_eq!(p.kind, Kind::Exec);
        assert_eq!(p.placed(0).unwrap(), p);
        assert_eq!(p.placed(0x1000), Err(ElfError::PlacementOutsideUser));
    }
}
