//! A process's user address space: its page-table root and its map of
//! areas (`kcore::vma`). Anonymous memory is demand-zero: an area is only
//! bookkeeping until a page is first touched (by the program, through a
//! page fault, or by the kernel, through `populate`).
//!
//! A shared area (`MAP_SHARED | MAP_ANONYMOUS`) is a window onto a shared
//! region (`mm::shared`): its page-table entries map the region's frames,
//! which this address space never frees itself; it lets go of the region
//! when it unmaps the last of it, or dies.

use crate::mm::{cow, frame, page_cache, paging, phys_to_virt, shared};
use alloc::collections::BTreeSet;
use kcore::errno::{Errno, KResult};
use kcore::layout::{PAGE_SIZE, page_floor};
use kcore::shared::RegionId;
use kcore::vma::{PROT_EXEC, PROT_READ, PROT_WRITE, Vma, VmaMap};
use x86_64::structures::paging::PageTableFlags as F;

/// What the kernel or program wants to do with a page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    Read,
    Write,
    Exec,
}

impl Access {
    fn allowed_by(self, prot: u32) -> bool {
        prot & match self {
            Access::Read => PROT_READ,
            Access::Write => PROT_WRITE,
            Access::Exec => PROT_EXEC,
        } != 0
    }
}

pub struct AddressSpace {
    root: u64,
    pub areas: VmaMap,
    /// The program break: `[brk_start, brk)` is the heap `brk` grows.
    pub brk_start: u64,
    pub brk: u64,
}

impl AddressSpace {
    /// An empty user half over the kernel's half.
    pub fn new(kernel_root: u64) -> KResult<AddressSpace> {
        Ok(AddressSpace {
            root: paging::new_root(kernel_root)?,
            areas: VmaMap::new(),
            brk_start: 0,
            brk: 0,
        })
    }

    /// Makes this the address space the CPU translates with. Switching
    /// between two threads of one process keeps the tables and the TLB:
    /// loading CR3 flushes every translation (under emulation, every
    /// translated-code lookup too), for nothing when it does not change.
    pub fn activate(&self) {
        if paging::active_root() != self.root {
            paging::activate(self.root);
        }
    }

    /// Adds a demand-zero area `[start, start + len)`.
    pub fn map_anonymous(&mut self, start: u64, len: u64, prot: u32) -> KResult<()> {
        self.areas.insert(start, start + len, prot)
    }

    /// Maps `pages`, frames of the program-file cache (`mm::page_cache`,
    /// which counted these mappings), at consecutive pages from `start`,
    /// inside the areas: read-only whatever an area allows, so a write
    /// copies a page first, as after a fork. On failure the counts of the
    /// frames not mapped are given back.
    pub fn map_cached(&mut self, start: u64, pages: page_cache::Counted) -> KResult<()> {
        for (page, frame) in (start..).step_by(PAGE_SIZE as usize).zip(pages) {
            let mapped = self
                .areas
                .find(page)
                .map(|area| paging::flags_for(area.prot) - F::WRITABLE)
                .ok_or(Errno::EFAULT)
                .and_then(|flags| {
                    paging::own(self.root, page)?;
                    paging::map(self.root, page, frame, flags)
                });
            mapped.inspect_err(|_| cow::release(frame))?;
        }
        Ok(())
    }

    // ANCHOR: map_shared
    /// Adds a demand-zero area `[start, start + len)` whose pages are shared
    /// with the children this address space forks, and theirs.
    pub fn map_shared(&mut self, start: u64, len: u64, prot: u32) -> KResult<()> {
        let region = shared::create(len / PAGE_SIZE);
        self.areas
            .insert_shared(start, start + len, prot, region)
            .inspect_err(|_| shared::release(region))
    }
    // ANCHOR_END: map_shared

    // ANCHOR: unmap
    /// Removes `[start, start + len)`: frees its private pages, and lets go
    /// of each shared region no area shows any more.
    pub fn unmap(&mut self, start: u64, len: u64) -> KResult<()> {
        let removed = self.areas.remove(start, start + len)?;
        for area in &removed {
            // Shared frames belong to their region: only private ones are freed.
            paging::unmap_range(self.root, area.start, area.end, area.shared.is_none());
        }
        let regions: BTreeSet<RegionId> = removed
            .iter()
            .filter_map(|a| a.shared.map(|w| w.region))
            .collect();
        for region in regions {
            if !self.areas.shows(region) {
                shared::release(region);
            }
        }
        Ok(())
    }
    // ANCHOR_END: unmap

    /// Changes the protection of `[start, start + len)`.
    pub fn protect(&mut self, start: u64, len: u64, prot: u32) -> KResult<()> {
        let flags = paging::flags_for(prot);
        for area in self.areas.protect(start, start + len, prot)? {
            paging::protect_range(self.root, area.start, area.end, flags);
        }
        Ok(())
    }

    // ANCHOR: fault_in
    /// Makes the page at `addr` present for `access`, if the areas allow it:
    /// the page-fault path, and the kernel's before touching user memory.
    pub fn fault_in(&mut self, addr: u64, access: Access) -> KResult<()> {
        let area = *self.areas.find(addr).ok_or(Errno::EFAULT)?;
        if !access.allowed_by(area.prot) {
            return Err(Errno::EFAULT);
        }
        let page = page_floor(addr);
        if access == Access::Write {
            // A table shared since a fork is read-only for all its pages.
            paging::own(self.root, page)?;
        }
        match paging::translate(self.root, page) {
            // Present but read-only in a writable area: copy-on-write.
            Some((frame, flags))
                if flags.contains(F::PRESENT)
                    && access == Access::Write
                    && !flags.contains(F::WRITABLE) =>
            {
                self.break_cow(page, frame, flags)
            }
            Some((_, flags)) if flags.contains(F::PRESENT) => Ok(()),
            Some(_) => Err(Errno::EFAULT), // OWNED but not present: PROT_NONE
            None => self.map_new_page(&area, page).map(|_| ()),
        }
    }
    // ANCHOR_END: fault_in

    // ANCHOR: break_cow
    /// Gives this address space a writable page at `page`, which maps
    /// `frame` read-only since a fork: a copy of its own while another
    /// address space still maps the frame, else the frame itself.
    fn break_cow(&mut self, page: u64, frame: u64, flags: F) -> KResult<()> {
        let writable = flags | F::WRITABLE;
        if !cow::is_shared(frame) {
            return paging::remap(self.root, page, frame, writable);
        }
        let new = frame::alloc().ok_or(Errno::ENOMEM)?;
        // SAFETY: both frames are mapped by the physmap; `new` is ours alone,
        // `frame` is only read (the other mappers see it read-only too).
        unsafe {
            core::ptr::copy_nonoverlapping(
                phys_to_virt(frame) as *const u8,
                phys_to_virt(new) as *mut u8,
                PAGE_SIZE as usize,
            );
        }
        paging::remap(self.root, page, new, writable).inspect_err(|_| frame::free(new))?;
        cow::release(frame);
        Ok(())
    }
    // ANCHOR_END: break_cow

    // ANCHOR: map_new_page
    /// Maps the unmapped `page` of `area` and returns its frame: the shared
    /// region's frame for that page, or a fresh zero-filled private one.
    fn map_new_page(&mut self, area: &Vma, page: u64) -> KResult<u64> {
        let flags = paging::flags_for(area.prot);
        if let Some((region, index)) = area.shared_page(page) {
            // The region keeps the frame even if mapping it fails.
            let frame = shared::frame_of(region, index)?;
            return paging::map(self.root, page, frame, flags).map(|()| frame);
        }
        let frame = frame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
        paging::map(self.root, page, frame, flags).inspect_err(|_| frame::free(frame))?;
        Ok(frame)
    }
    // ANCHOR_END: map_new_page

    /// Checks that `[addr, addr + len)` may be accessed and faults it in.
    /// A page the page tables already allow is not looked up in the areas
    /// (the common case, and a tree walk saved on every system call that
    /// copies to or from user memory).
    pub fn prepare(&mut self, addr: u64, len: u64, access: Access) -> KResult<()> {
        kcore::uaccess::check_user_range(addr, len)?;
        for page in kcore::uaccess::pages(addr, len) {
            let ready = match access {
                Access::Read => paging::allows(self.root, page, false),
                Access::Write => paging::allows(self.root, page, true),
                Access::Exec => false,
            };
            if !ready {
                self.fault_in(page, access)?;
            }
        }
        Ok(())
    }

    /// Writes `bytes` at user address `addr` through the physmap, whatever
    /// the page protection (the ELF loader fills read-only segments this way).
    /// The range must lie inside areas.
    pub fn populate(&mut self, addr: u64, bytes: &[u8]) -> KResult<()> {
        let mut done = 0usize;
        while done < bytes.len() {
            let at = addr + done as u64;
            let page = page_floor(at);
            paging::own(self.root, page)?;
            let frame = match paging::translate(self.root, page) {
                // Writing through the physmap must not reach a frame another
                // address space still maps: give this one its own copy first.
                Some((frame, flags)) if cow::is_shared(frame) => {
                    self.break_cow(page, frame, flags - F::WRITABLE)?;
                    paging::translate(self.root, page)
                        .map(|(f, _)| f)
                        .ok_or(Errno::EFAULT)?
                }
                Some((frame, _)) => frame,
                None => {
                    let area = *self.areas.find(at).ok_or(Errno::EFAULT)?;
                    self.map_new_page(&area, page)?
                }
            };
            let offset = (at - page) as usize;
            let n = (PAGE_SIZE as usize - offset).min(bytes.len() - done);
            // SAFETY: the frame belongs to this address space and the physmap
            // maps it; [offset, offset + n) lies within the page.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    bytes[done..].as_ptr(),
                    (phys_to_virt(frame) + offset as u64) as *mut u8,
                    n,
                );
            }
            done += n;
        }
        Ok(())
    }
}

impl AddressSpace {
    // ANCHOR: duplicate
    /// A copy of this address space for `fork`: same areas, same break; a
    /// shared area maps the same frames, and private memory is shared
    /// copy-on-write. Where a level-1 table (2 MiB) maps private memory
    /// only, both sides share the table itself, read-only
    /// (`paging::share_tables`), and the first write through it gives the
    /// writer its own copy; elsewhere each private page that exists is
    /// shared: read-only on both sides, counted in `mm::cow`, copied by
    /// whichever side writes it first.
    pub fn duplicate(&mut self) -> KResult<AddressSpace> {
        let mut copy = AddressSpace::new(crate::boot::boot_pml4_phys())?;
        // The copy holds every region it shows from here on; if the copy
        // fails half-way, dropping it lets go of them again.
        for region in self.areas.regions() {
            shared::hold(region);
        }
        copy.areas = self.areas.clone();
        copy.brk_start = self.brk_start;
        copy.brk = self.brk;
        let areas = &self.areas;
        let others = paging::share_tables(self.root, copy.root, |start, end| {
            areas.private_only(start, end)
        })?;
        let mut filler = paging::Filler::new(copy.root);
        for start in others {
            paging::for_each_used(
                self.root,
                start,
                start + paging::TABLE_SPAN,
                |page, entry| {
                    let (frame, flags) = (entry.addr().as_u64(), entry.flags());
                    if areas.find(page).is_some_and(|a| a.shared.is_some()) {
                        return filler.map(page, frame, flags);
                    }
                    let read_only = flags - F::WRITABLE;
                    entry.set_addr(entry.addr(), read_only);
                    cow::share(frame);
                    filler
                        .map(page, frame, read_only)
                        .inspect_err(|_| cow::release(frame))
                },
            )?;
        }
        // This address space is the active one: forget its writable entries.
        x86_64::instructions::tlb::flush_all();
        Ok(copy)
    }
    // ANCHOR_END: duplicate
}

impl Drop for AddressSpace {
    fn drop(&mut self) {
        if paging::active_root() == self.root {
            // Never free the tables the CPU is using.
            paging::activate(crate::boot::boot_pml4_phys());
        }
        // Shared frames belong to their regions: take them out of the page
        // tables before `destroy` frees every frame it finds there.
        for area in self.areas.iter().filter(|a| a.shared.is_some()) {
            paging::unmap_range(self.root, area.start, area.end, false);
        }
        paging::destroy(self.root);
        for region in self.areas.regions() {
            shared::release(region);
        }
    }
}
