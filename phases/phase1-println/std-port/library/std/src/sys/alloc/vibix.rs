//! vibix: `System`, std's allocator, is `vibix_abi`'s (small blocks from
//! `brk`, large ones from `mmap`).

use crate::alloc::{GlobalAlloc, Layout, System};

// ANCHOR: system
#[stable(feature = "alloc_system_type", since = "1.28.0")]
unsafe impl GlobalAlloc for System {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees are GlobalAlloc's, passed on.
        unsafe { vibix_abi::alloc::ALLOCATOR.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        unsafe { vibix_abi::alloc::ALLOCATOR.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { vibix_abi::alloc::ALLOCATOR.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        unsafe { vibix_abi::alloc::ALLOCATOR.realloc(ptr, layout, new_size) }
    }
}
// ANCHOR_END: system
