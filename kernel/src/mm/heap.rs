//! The kernel heap (`alloc::` types): one physically contiguous block taken
//! from the frame allocator at boot, reached through the physmap, managed by
//! `talc`, which keeps free blocks in bins by size: an allocation costs the
//! same whether the heap holds ten blocks or a million. (A first-fit free
//! list, as `linked_list_allocator` keeps, walked every hole before the
//! first that fits: a directory of 100,000 files made every later
//! allocation slower.)

use crate::mm::{frame, phys_to_virt};
use kcore::layout::PAGE_SIZE;
use talc::{ErrOnOom, Span, Talc, Talck};

#[global_allocator]
static HEAP: Talck<spin::Mutex<()>, ErrOnOom> = Talc::new(ErrOnOom).lock();

/// Gives the heap a quarter of free memory, between 16 and 256 MiB, in
/// whole pages (a size that was not one gave the allocator up to 3 KiB
/// past the frames taken, the start of whatever frame came next: a page
/// table, once `talc` allocated from the top of its block).
pub fn init() -> u64 {
    let quarter = frame::free_frames() / 4 * PAGE_SIZE;
    let size = quarter.clamp(16 << 20, 256 << 20);
    let phys = frame::alloc_contiguous(size / PAGE_SIZE).expect("no room for the kernel heap");
    let base = phys_to_virt(phys) as *mut u8;
    // SAFETY: the block is ours alone (just taken from the frame allocator),
    // mapped by the physmap, and handed to the allocator exactly once.
    let claimed = unsafe { HEAP.lock().claim(Span::from_base_size(base, size as usize)) };
    claimed.expect("the heap's block is big enough for the allocator's bins");
    size
}
