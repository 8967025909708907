//! The heap vrt programs do not have: an allocator that refuses every
//! request.
//!
//! vrt programs never allocate. Some use `kcore` (the kernel's logic
//! crate, for its system call signature table), which is built with the
//! `alloc` crate; a binary that links `alloc` needs a global allocator even
//! if nothing allocates. This one answers every request with null, so an
//! allocation would end the program through the allocation-error handler
//! rather than hand out memory.

use core::alloc::{GlobalAlloc, Layout};

struct NoHeap;

// SAFETY: `alloc` always reports failure (null), which `GlobalAlloc`
// allows; `dealloc` is never given a block, since none was handed out.
unsafe impl GlobalAlloc for NoHeap {
    unsafe fn alloc(&self, _layout: Layout) -> *mut u8 {
        core::ptr::null_mut()
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static HEAP: NoHeap = NoHeap;
