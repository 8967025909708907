//! Page tables, walked by hand. Every address space has its own PML4 whose
//! upper half (slots 256-511) is shared with the kernel's; the lower half
//! maps user pages only. Table frames are reached through the physmap.
//!
//! A user page whose protection is PROT_NONE keeps its frame: the entry is
//! not present but carries `OWNED` (a bit the CPU ignores), so the frame is
//! neither lost nor leaked.

use crate::mm::{cow, frame, phys_to_virt};
use alloc::vec::Vec;
use kcore::errno::Errno;
use kcore::layout::USER_END;
use kcore::vma::{PROT_EXEC, PROT_READ, PROT_WRITE};
use x86_64::structures::paging::page_table::PageTableEntry;
use x86_64::structures::paging::{PageTable, PageTableFlags as F};

/// A non-present entry that still owns its frame (PROT_NONE pages).
pub const OWNED: F = F::BIT_9;

/// A present page the program may not read (`PROT_WRITE` or `PROT_EXEC`
/// without `PROT_READ`: x86 page tables cannot say so, so the CPU ignores
/// this bit; the kernel's own accesses honour it, see [`allows`]).
pub const NOT_READABLE: F = F::BIT_10;

/// The bytes one level-1 table maps.
pub const TABLE_SPAN: u64 = 1 << 21;

/// Flags of intermediate (non-leaf) user entries: the leaf decides.
const TABLE_FLAGS: F = F::PRESENT.union(F::WRITABLE).union(F::USER_ACCESSIBLE);

fn table(phys: u64) -> &'static mut PageTable {
    // SAFETY: `phys` is a page-table frame owned by an address space; the
    // physmap maps it; callers hold the address space exclusively (&mut).
    unsafe { &mut *(phys_to_virt(phys) as *mut PageTable) }
}

/// Leaf flags for a user page with Linux protection `prot`.
pub fn flags_for(prot: u32) -> F {
    if prot & (PROT_READ | PROT_WRITE | PROT_EXEC) == 0 {
        return OWNED;
    }
    let mut f = F::PRESENT | F::USER_ACCESSIBLE;
    if prot & PROT_WRITE != 0 {
        f |= F::WRITABLE;
    }
    if prot & PROT_READ == 0 {
        f |= NOT_READABLE;
    }
    if prot & PROT_EXEC == 0 {
        f |= F::NO_EXECUTE;
    }
    f
}

/// A new PML4 sharing the kernel half of `kernel_root`.
pub fn new_root(kernel_root: u64) -> Result<u64, Errno> {
    let root = frame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
    let (new, kernel) = (table(root), table(kernel_root));
    for i in 256..512 {
        new[i] = kernel[i].clone();
    }
    Ok(root)
}

fn index(vaddr: u64, level: u32) -> usize {
    ((vaddr >> (12 + 9 * (level - 1))) & 0x1ff) as usize
}

/// The table (its frame) of level `level` (3, 2 or 1) on the way to user
/// address `vaddr`, creating the tables on the way if asked. A level-1
/// table shared since a fork is made this address space's own first
/// ([`own_table`]): whoever asks for it may change it.
fn table_at(root: u64, vaddr: u64, level: u32, create: bool) -> Result<Option<u64>, Errno> {
    let mut t = root;
    for above in (level + 1..=4).rev() {
        let e = &mut table(t)[index(vaddr, above)];
        if e.is_unused() {
            if !create {
                return Ok(None);
            }
            let frame = frame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
            e.set_addr(x86_64::PhysAddr::new(frame), TABLE_FLAGS);
        } else if above == 2 && level == 1 {
            own_table(e)?;
        }
        t = e.addr().as_u64();
    }
    Ok(Some(t))
}

/// The level-1 table (its frame) that maps user address `vaddr`,
/// creating the tables on the way if asked.
fn leaf_table(root: u64, vaddr: u64, create: bool) -> Result<Option<u64>, Errno> {
    table_at(root, vaddr, 1, create)
}

// ANCHOR: own_table
/// Makes the level-1 table that the level-2 entry `e` points to writable
/// by this address space alone. A read-only level-2 entry marks a table
/// shared since a fork (see [`share_tables`]); if other address spaces
/// still use it, this one gets a copy whose pages are shared
/// copy-on-write, one page at a time, as a fork without table sharing
/// would have left them; if it is the last user, the entry is just made
/// writable again.
fn own_table(e: &mut PageTableEntry) -> Result<(), Errno> {
    if e.flags().contains(F::WRITABLE) {
        return Ok(());
    }
    let shared = e.addr().as_u64();
    if cow::is_shared(shared) {
        let copy = frame::alloc().ok_or(Errno::ENOMEM)?;
        let (from, to) = (table(shared), table(copy));
        for (src, dst) in from.iter_mut().zip(to.iter_mut()) {
            if !src.is_unused() {
                // The other users reach `src` through read-only level-2
                // entries: taking WRITABLE off it changes nothing for them
                // until the last one owns the table, and then the page's
                // first write finds it shared copy-on-write.
                src.set_flags(src.flags() - F::WRITABLE);
                cow::share(src.addr().as_u64());
            }
            *dst = src.clone();
        }
        cow::release(shared); // one user less; never the last one here
        e.set_addr(x86_64::PhysAddr::new(copy), TABLE_FLAGS);
    } else {
        e.set_flags(TABLE_FLAGS);
    }
    x86_64::instructions::tlb::flush_all();
    Ok(())
}
// ANCHOR_END: own_table

/// Makes the level-1 table mapping `vaddr` this address space's own if it
/// is shared since a fork (before a write to a page it maps, or before
/// writing into its frame through the physmap).
pub fn own(root: u64, vaddr: u64) -> Result<(), Errno> {
    leaf_table(root, vaddr, false).map(|_| ())
}

// ANCHOR: share_tables
/// `fork`'s copy of the level-1 tables of `from` that map only private
/// memory (`private(start, end)` says whether a 2 MiB range is such):
/// each is shared by both address spaces rather than copied, through
/// level-2 entries that are read-only on both sides, and counted in
/// `mm::cow` (a table frame is never a user page, so the counts do not
/// mix). A fork of 512 MiB then copies 256 entries, not 131,072; the
/// first write through such a table, on either side, gives the writer its
/// own copy ([`own_table`]). Returns the start of each 2 MiB range whose
/// table is not shared, for the caller to copy page by page.
pub fn share_tables(
    from: u64,
    to: u64,
    private: impl Fn(u64, u64) -> bool,
) -> Result<Vec<u64>, Errno> {
    let mut others = Vec::new();
    let top = table(from);
    for i4 in 0..256 {
        if top[i4].is_unused() {
            continue;
        }
        let l3 = table(top[i4].addr().as_u64());
        for i3 in 0..512 {
            if l3[i3].is_unused() {
                continue;
            }
            let l2 = table(l3[i3].addr().as_u64());
            let mut dst: Option<u64> = None;
            for (i2, e) in l2.iter_mut().enumerate() {
                if e.is_unused() {
                    continue;
                }
                let start = ((i4 as u64) << 39) | ((i3 as u64) << 30) | ((i2 as u64) << 21);
                if !private(start, start + TABLE_SPAN) {
                    others.push(start);
                    continue;
                }
                let dst_table = match dst {
                    Some(t) => t,
                    None => *dst.insert(table_at(to, start, 2, true)?.expect("created")),
                };
                let read_only = TABLE_FLAGS - F::WRITABLE;
                e.set_flags(read_only);
                cow::share(e.addr().as_u64());
                table(dst_table)[i2].set_addr(e.addr(), read_only);
            }
        }
    }
    Ok(others)
}
// ANCHOR_END: share_tables

/// The level-1 entry for user address `vaddr`, creating tables if asked.
pub fn walk(
    root: u64,
    vaddr: u64,
    create: bool,
) -> Result<Option<&'static mut PageTableEntry>, Errno> {
    Ok(leaf_table(root, vaddr, create)?.map(|t| &mut table(t)[index(vaddr, 1)]))
}

/// Maps many pages into one address space, in increasing order: it walks
/// from the root only when a page lies in another level-1 table (2 MiB)
/// than the page before, so `fork` copies a big address space table by
/// table, not page by page from the root.
pub struct Filler {
    root: u64,
    /// `vaddr >> 21` of the last page, and its level-1 table.
    region: u64,
    leaf: u64,
}

impl Filler {
    pub fn new(root: u64) -> Filler {
        Filler {
            root,
            region: u64::MAX,
            leaf: 0,
        }
    }

    /// [`map`], faster for neighbours.
    pub fn map(&mut self, vaddr: u64, phys: u64, flags: F) -> Result<(), Errno> {
        if vaddr >> 21 != self.region {
            self.leaf = leaf_table(self.root, vaddr, true)?.expect("created");
            self.region = vaddr >> 21;
        }
        let e = &mut table(self.leaf)[index(vaddr, 1)];
        debug_assert!(e.is_unused(), "mapping over a live page at {vaddr:#x}");
        e.set_addr(x86_64::PhysAddr::new(phys), flags);
        Ok(())
    }
}

/// Maps `vaddr` to `phys` (whose ownership passes to the page table).
pub fn map(root: u64, vaddr: u64, phys: u64, flags: F) -> Result<(), Errno> {
    let e = walk(root, vaddr, true)?.expect("walk with create returns an entry");
    debug_assert!(e.is_unused(), "mapping over a live page at {vaddr:#x}");
    e.set_addr(x86_64::PhysAddr::new(phys), flags);
    Ok(())
}

/// Points the mapped page `vaddr` at `phys` with `flags` (a copy-on-write
/// page getting its own frame, or becoming writable again).
pub fn remap(root: u64, vaddr: u64, phys: u64, flags: F) -> Result<(), Errno> {
    let e = walk(root, vaddr, false)?.ok_or(Errno::EFAULT)?;
    e.set_addr(x86_64::PhysAddr::new(phys), flags);
    flush(vaddr);
    Ok(())
}

/// The frame and flags mapped at `vaddr`, present or OWNED. The flags are
/// the leaf entry's: a page whose level-1 table is shared since a fork is
/// read-only whatever they say (see [`own`]).
pub fn translate(root: u64, vaddr: u64) -> Option<(u64, F)> {
    let mut t = root;
    for level in [4, 3, 2] {
        let e = &table(t)[index(vaddr, level)];
        if e.is_unused() {
            return None;
        }
        t = e.addr().as_u64();
    }
    let e = &table(t)[index(vaddr, 1)];
    (!e.is_unused()).then(|| (e.addr().as_u64(), e.flags()))
}

// ANCHOR: allows
/// Whether the page at `vaddr` is mapped so that the program may already
/// read it (`write` false) or write it (`write` true), as its area allows:
/// present and user-accessible at every level, writable at every level for
/// a write (a table shared since a fork is not), readable for a read. Then
/// the kernel may copy to or from it without looking at the areas; when
/// not, the fault path decides (a page to fill in or copy, or `EFAULT`).
pub fn allows(root: u64, vaddr: u64, write: bool) -> bool {
    let mut need = F::PRESENT | F::USER_ACCESSIBLE;
    if write {
        need |= F::WRITABLE;
    }
    let mut t = root;
    for level in [4, 3, 2, 1] {
        let flags = table(t)[index(vaddr, level)].flags();
        if !flags.contains(need) {
            return false;
        }
        if level == 1 {
            return write || !flags.contains(NOT_READABLE);
        }
        t = table(t)[index(vaddr, level)].addr().as_u64();
    }
    unreachable!("the loop returns at level 1")
}
// ANCHOR_END: allows

/// Calls `f` with the address and the leaf entry of every page in
/// `[start, end)` that has one, stopping at the first error. Page tables
/// that do not exist are skipped whole, so a huge, mostly untouched range
/// costs only what is mapped in it. `f` may change the entries: a level-1
/// table shared since a fork is made this address space's own first.
pub fn for_each_used(
    root: u64,
    start: u64,
    end: u64,
    mut f: impl FnMut(u64, &mut PageTableEntry) -> Result<(), Errno>,
) -> Result<(), Errno> {
    fn level_walk(
        phys: u64,
        level: u32,
        base: u64,
        (start, end): (u64, u64),
        f: &mut dyn FnMut(u64, &mut PageTableEntry) -> Result<(), Errno>,
    ) -> Result<(), Errno> {
        // The bytes one entry of this level covers, and the entries that
        // meet [start, end).
        let span = 1u64 << (12 + 9 * (level - 1));
        let first = (start.saturating_sub(base) / span) as usize;
        let last = ((end - 1 - base) / span).min(511) as usize;
        let t = table(phys);
        for i in first..=last {
            let e = &mut t[i];
            if e.is_unused() {
                continue;
            }
            let at = base + i as u64 * span;
            if level == 1 {
                f(at, e)?;
            } else {
                if level == 2 {
                    own_table(e)?;
                }
                level_walk(e.addr().as_u64(), level - 1, at, (start, end), f)?;
            }
        }
        Ok(())
    }
    let end = end.min(USER_END);
    if start >= end {
        return Ok(());
    }
    level_walk(root, 4, 0, (start, end), &mut f)
}

/// Unmaps every page in `[start, end)`; releases their frames if `free`
/// (freed unless another address space still maps them copy-on-write),
/// otherwise leaves them to their owner (a shared region).
pub fn unmap_range(root: u64, start: u64, end: u64, free: bool) {
    let _ = for_each_used(root, start, end, |vaddr, e| {
        let frame = e.addr().as_u64();
        e.set_unused();
        flush(vaddr);
        if free {
            cow::release(frame);
        }
        Ok(())
    });
}

/// Gives every mapped page in `[start, end)` leaf flags `flags`, except
/// that a page still shared copy-on-write stays read-only (its first write
/// copies it).
pub fn protect_range(root: u64, start: u64, end: u64, flags: F) {
    let _ = for_each_used(root, start, end, |vaddr, e| {
        let frame = e.addr();
        let mut flags = flags;
        if cow::is_shared(frame.as_u64()) {
            flags.remove(F::WRITABLE);
        }
        e.set_addr(frame, flags);
        flush(vaddr);
        Ok(())
    });
}

fn flush(vaddr: u64) {
    x86_64::instructions::tlb::flush(x86_64::VirtAddr::new_truncate(vaddr));
}

/// Releases every user page (see [`cow::release`]) and frees every user
/// page table and the root itself. A level-1 table still shared since a
/// fork is only let go of: its other users keep it and its pages.
pub fn destroy(root: u64) {
    fn free_level(phys: u64, level: u32) {
        for e in table(phys).iter_mut() {
            if e.is_unused() {
                continue;
            }
            if level == 2 && cow::is_shared(e.addr().as_u64()) {
                cow::release(e.addr().as_u64());
            } else if level > 1 {
                free_level(e.addr().as_u64(), level - 1);
                frame::free(e.addr().as_u64());
            } else {
                cow::release(e.addr().as_u64());
            }
            e.set_unused();
        }
    }
    let top = table(root);
    for i in 0..256 {
        if !top[i].is_unused() {
            free_level(top[i].addr().as_u64(), 3);
            frame::free(top[i].addr().as_u64());
        }
    }
    frame::free(root);
}

/// Makes `root` the active address space.
pub fn activate(root: u64) {
    use x86_64::registers::control::{Cr3, Cr3Flags};
    use x86_64::structures::paging::PhysFrame;
    let frame = PhysFrame::containing_address(x86_64::PhysAddr::new(root));
    // SAFETY: `root` shares the kernel half with every other root, so the
    // code and data we are running from stay mapped across the switch.
    unsafe { Cr3::write(frame, Cr3Flags::empty()) };
}

/// The active root (physical address).
pub fn active_root() -> u64 {
    x86_64::registers::control::Cr3::read()
        .0
        .start_address()
        .as_u64()
}
