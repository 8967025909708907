//! Copy-on-write for private memory after `fork`. `fork` maps each private
//! page of the parent into the child as well, read-only in both, and counts
//! here how many address spaces map the frame. The first write on either
//! side faults; the fault handler copies the page if the frame is still
//! mapped elsewhere, or, if this address space is the last one, just makes
//! it writable again. Frames mapped by one address space only are not in
//! the table at all (the common case costs nothing).
//!
//! The lock is held for a map update only, never across a sleep.

use crate::mm::frame;
use alloc::collections::BTreeMap;
use spin::Mutex;

/// Frame -> how many address spaces map it, for frames mapped by two or more.
static MAPPERS: Mutex<BTreeMap<u64, u32>> = Mutex::new(BTreeMap::new());

/// One more address space maps `frame` (a forked child).
pub fn share(frame: u64) {
    *MAPPERS.lock().entry(frame).or_insert(1) += 1;
}

/// Whether another address space maps `frame` too.
pub fn is_shared(frame: u64) -> bool {
    MAPPERS.lock().contains_key(&frame)
}

/// One address space stops mapping `frame`; the last one frees it.
pub fn release(frame: u64) {
    let mut mappers = MAPPERS.lock();
    match mappers.get_mut(&frame) {
        Some(n) if *n > 2 => *n -= 1,
        Some(_) => {
            mappers.remove(&frame);
        }
        None => {
            drop(mappers);
            frame::free(frame);
        }
    }
}
