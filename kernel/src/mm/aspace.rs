//! A process's user address space: its page-table root and its map of
//! areas (`kcore::vma`). Anonymous memory is demand-zero: an area is only
//! bookkeeping until a page is first touched (by the program, through a
//! page fault, or by the kernel, through `populate`).

use crate::mm::paging;
use crate::mm::{frame, phys_to_virt};
use kcore::errno::{Errno, KResult};
use kcore::layout::{PAGE_SIZE, page_floor};
use kcore::vma::{PROT_EXEC, PROT_READ, PROT_WRITE, VmaMap};
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
        Ok(AddressSpace { root: paging::new_root(kernel_root)?, areas: VmaMap::new(), brk_start: 0, brk: 0 })
    }

    pub fn activate(&self) {
        paging::activate(self.root);
    }

    /// Adds a demand-zero area `[start, start + len)`.
    pub fn map_anonymous(&mut self, start: u64, len: u64, prot: u32) -> KResult<()> {
        self.areas.insert(start, start + len, prot)
    }

    /// Removes `[start, start + len)` and frees its pages.
    pub fn unmap(&mut self, start: u64, len: u64) -> KResult<()> {
        for area in self.areas.remove(start, start + len)? {
            for page in (area.start..area.end).step_by(PAGE_SIZE as usize) {
                paging::unmap(self.root, page);
            }
        }
        Ok(())
    }

    /// Changes the protection of `[start, start + len)`.
    pub fn protect(&mut self, start: u64, len: u64, prot: u32) -> KResult<()> {
        let flags = paging::flags_for(prot);
        for area in self.areas.protect(start, start + len, prot)? {
            for page in (area.start..area.end).step_by(PAGE_SIZE as usize) {
                paging::protect(self.root, page, flags);
            }
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
        match paging::translate(self.root, page) {
            Some((_, flags)) if flags.contains(F::PRESENT) => Ok(()),
            Some(_) => Err(Errno::EFAULT), // OWNED but not present: PROT_NONE
            None => {
                let frame = frame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
                paging::map(self.root, page, frame, paging::flags_for(area.prot)).inspect_err(|_| frame::free(frame))
            }
        }
    }
    // ANCHOR_END: fault_in

    /// Checks that `[addr, addr + len)` may be accessed and faults it in.
    pub fn prepare(&mut self, addr: u64, len: u64, access: Access) -> KResult<()> {
        kcore::uaccess::check_user_range(addr, len)?;
        for page in kcore::uaccess::pages(addr, len) {
            self.fault_in(page, access)?;
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
            let frame = match paging::translate(self.root, page) {
                Some((frame, _)) => frame,
                None => {
                    let area = *self.areas.find(at).ok_or(Errno::EFAULT)?;
                    let frame = frame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
                    paging::map(self.root, page, frame, paging::flags_for(area.prot))
                        .inspect_err(|_| frame::free(frame))?;
                    frame
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
    /// A copy of this address space for `fork`: same areas, same break,
    /// and a fresh copy of every page that exists (no copy-on-write yet).
    pub fn duplicate(&self) -> KResult<AddressSpace> {
        let mut copy = AddressSpace::new(crate::boot::boot_pml4_phys())?;
        copy.areas = self.areas.clone();
        copy.brk_start = self.brk_start;
        copy.brk = self.brk;
        for area in self.areas.iter() {
            for page in (area.start..area.end).step_by(PAGE_SIZE as usize) {
                let Some((frame, flags)) = paging::translate(self.root, page) else { continue };
                let new = frame::alloc().ok_or(Errno::ENOMEM)?;
                // SAFETY: both frames are mapped by the physmap; `new` is ours
                // alone, `frame` belongs to this address space and is only read.
                unsafe {
                    core::ptr::copy_nonoverlapping(
                        phys_to_virt(frame) as *const u8,
                        phys_to_virt(new) as *mut u8,
                        PAGE_SIZE as usize,
                    );
                }
                paging::map(copy.root, page, new, flags).inspect_err(|_| frame::free(new))?;
            }
        }
        Ok(copy)
    }
}

impl Drop for AddressSpace {
    fn drop(&mut self) {
        if paging::active_root() == self.root {
            // Never free the tables the CPU is using.
            paging::activate(crate::boot::boot_pml4_phys());
        }
        paging::destroy(self.root);
    }
}
