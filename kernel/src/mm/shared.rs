//! The kernel's shared anonymous regions (`kcore::shared` holds the
//! bookkeeping): one table of regions for the whole machine, and the frame
//! allocations and frees that go with it. The lock is only held for table
//! updates and frame allocation, never across a sleep.

use crate::mm::frame;
use alloc::vec::Vec;
use kcore::errno::{Errno, KResult};
use kcore::shared::{RegionId, SharedRegions};
use spin::Mutex;

static REGIONS: Mutex<SharedRegions> = Mutex::new(SharedRegions::new());

/// A new region of `pages` pages, held by the caller's address space.
pub fn create(pages: u64) -> RegionId {
    REGIONS.lock().create(pages)
}

/// Another address space (a forked child) maps part of `region`.
pub fn hold(region: RegionId) {
    REGIONS.lock().hold(region);
}

// ANCHOR: release
/// An address space maps none of `region` any more; the last one to let go
/// frees the region's frames.
pub fn release(region: RegionId) {
    let frames: Vec<u64> = REGIONS.lock().release(region);
    for f in frames {
        frame::free(f);
    }
}
// ANCHOR_END: release

/// The frame of page `page` of `region`, zero-filled on first touch.
pub fn frame_of(region: RegionId, page: u64) -> KResult<u64> {
    REGIONS
        .lock()
        .frame(region, page, frame::alloc_zeroed)
        .ok_or(Errno::ENOMEM)
}
