//! Copy-on-write for private memory after `fork`. `fork` maps each private
//! page of the parent into the child as well, read-only in both, and counts
//! here how many address spaces map the frame. The first write on either
//! side faults; the fault handler copies the page if the frame is still
//! mapped elsewhere, or, if this address space is the last one, just makes
//! it writable again.
//!
//! The counts are one `u32` per frame of RAM, in an array taken from the
//! frame allocator at boot (as Linux keeps a count in each `struct page`):
//! 0 means one mapper (the common case), n >= 2 means n mappers. So
//! sharing and releasing a page cost one memory access each, whatever the
//! size of the process: `fork` of 512 MiB shares 131,072 frames.
//! (A map from frame to count cost a heap allocation and a tree walk per
//! page, and made `fork` grow much faster than the memory it shares.)

use core::sync::atomic::{AtomicU32, Ordering};

use crate::mm::{frame, phys_to_virt};
use kcore::layout::PAGE_SIZE;
use spin::Once;

/// Frame number -> how many address spaces map it, 0 for one.
static MAPPERS: Once<&'static [AtomicU32]> = Once::new();

/// Takes the counts' array from the frame allocator (after `frame::init`).
pub fn init() {
    let frames = frame::end_of_ram() / PAGE_SIZE;
    let bytes = frames * core::mem::size_of::<AtomicU32>() as u64;
    let phys = frame::alloc_contiguous(bytes.div_ceil(PAGE_SIZE))
        .expect("no room for the copy-on-write counts");
    let base = phys_to_virt(phys) as *mut AtomicU32;
    // SAFETY: the frames were just taken for this array alone and the
    // physmap maps them; zeroing makes every count a valid 0 before the
    // slice exists.
    let counts = unsafe {
        core::ptr::write_bytes(base, 0, frames as usize);
        core::slice::from_raw_parts(base, frames as usize)
    };
    MAPPERS.call_once(|| counts);
}

fn count(frame: u64) -> &'static AtomicU32 {
    &MAPPERS.get().expect("cow::init ran at boot")[(frame / PAGE_SIZE) as usize]
}

/// One more address space maps `frame` (a forked child).
pub fn share(frame: u64) {
    let c = count(frame);
    let n = c.load(Ordering::Relaxed);
    c.store(if n == 0 { 2 } else { n + 1 }, Ordering::Relaxed);
}

/// Whether another address space maps `frame` too.
pub fn is_shared(frame: u64) -> bool {
    count(frame).load(Ordering::Relaxed) != 0
}

/// One address space stops mapping `frame`; the last one frees it.
pub fn release(frame: u64) {
    let c = count(frame);
    match c.load(Ordering::Relaxed) {
        0 => frame::free(frame),
        2 => c.store(0, Ordering::Relaxed),
        n => c.store(n - 1, Ordering::Relaxed),
    }
}
