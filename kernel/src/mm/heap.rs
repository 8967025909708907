//! The kernel heap (`alloc::` types): one physically contiguous block taken
//! from the frame allocator at boot, reached through the physmap, managed by
//! `linked_list_allocator`.

use crate::mm::{frame, phys_to_virt};
use kcore::layout::PAGE_SIZE;
use linked_list_allocator::LockedHeap;

#[global_allocator]
static HEAP: LockedHeap = LockedHeap::empty();

/// Gives the heap a quarter of free memory, between 16 and 256 MiB.
pub fn init() -> u64 {
    let quarter = frame::free_frames() * PAGE_SIZE / 4;
    let size = quarter.clamp(16 << 20, 256 << 20);
    let phys = frame::alloc_contiguous(size / PAGE_SIZE).expect("no room for the kernel heap");
    // SAFETY: the block is ours alone (just taken from the frame allocator),
    // mapped by the physmap, and handed to the allocator exactly once.
    unsafe {
        HEAP.lock()
            .init(phys_to_virt(phys) as *mut u8, size as usize)
    };
    size
}
