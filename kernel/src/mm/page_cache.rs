//! The page cache of program files: the pages of a program's read-only
//! segments, made once and mapped into every process that runs the same
//! file, as Linux maps a program's text from its page cache; private file
//! mappings (`mmap`, a dynamic linker's libraries) map them too.
//!
//! A page is keyed by its file's version (`kcore::fs::FileData::version`,
//! which changes with every write) and its index in the file, so a program
//! changed or replaced on disk never shows its old pages. The cache holds
//! one count of each frame in `mm::cow`, as one more address space would:
//! a process maps the frame read-only and a write to it (after `mprotect`)
//! copies it, as after a fork. Without it `execve` allocated, zeroed and
//! filled every page of the program again; under emulation the code on
//! those fresh frames was also translated again on every run.
//!
//! The cache keeps at most [`LIMIT`] pages and lets go of the oldest
//! first; when memory runs out the frame allocator empties it
//! ([`shrink`]). `sysinfo` reports the pages no process maps any more,
//! which that would free, as `bufferram`.

use crate::mm::{cow, frame, phys_to_virt};
use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;
use core::ops::Range;
use kcore::errno::{Errno, KResult};
use kcore::fs::FileData;
use kcore::layout::PAGE_SIZE;
use spin::Mutex;

/// The most pages the cache keeps (16 MiB).
pub const LIMIT: usize = 4096;

/// A page of a file: its version, and the page's index in the file.
type Key = (u64, u64);

struct Cache {
    frames: BTreeMap<Key, u64>,
    /// The keys, oldest first.
    order: VecDeque<Key>,
}

static CACHE: Mutex<Cache> = Mutex::new(Cache {
    frames: BTreeMap::new(),
    order: VecDeque::new(),
});

// ANCHOR: frame
/// The frame holding page `index` of the file whose bytes are `file`,
/// counted once more for the caller, who maps it (and lets go of it
/// through `cow::release`, as of any private page). The page is made from
/// the file's bytes on first use; past the file's end it holds zeros.
fn frame(file: &FileData, index: u64) -> KResult<u64> {
    let key = (file.version(), index);
    if let Some(&frame) = CACHE.lock().frames.get(&key) {
        cow::share(frame);
        return Ok(frame);
    }
    // Allocated without the cache's lock: running out of frames empties
    // the cache (`shrink`). The kernel is not preempted, so nobody adds
    // this page meanwhile.
    let new = frame::alloc().ok_or(Errno::ENOMEM)?;
    fill(new, file, index);
    let mut cache = CACHE.lock();
    if cache.order.len() >= LIMIT
        && let Some(old) = cache.order.pop_front()
        && let Some(frame) = cache.frames.remove(&old)
    {
        cow::release(frame);
    }
    cache.frames.insert(key, new);
    cache.order.push_back(key);
    cow::share(new);
    Ok(new)
}
// ANCHOR_END: frame

/// Frames of the cache counted for a caller that has not mapped them yet,
/// in order; those still here when it is dropped are let go of.
pub struct Counted {
    frames: Vec<u64>,
    next: usize,
}

impl Iterator for Counted {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let frame = *self.frames.get(self.next)?;
        self.next += 1;
        Some(frame)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        for &frame in &self.frames[self.next..] {
            cow::release(frame);
        }
    }
}

/// The frames of pages `pages` of `file` (see [`frame`]), each counted
/// for the caller.
pub fn frames(file: &FileData, pages: Range<u64>) -> KResult<Counted> {
    let mut counted = Counted {
        frames: Vec::new(),
        next: 0,
    };
    let wanted = usize::try_from(pages.end - pages.start).map_err(|_| Errno::ENOMEM)?;
    counted
        .frames
        .try_reserve_exact(wanted)
        .map_err(|_| Errno::ENOMEM)?;
    for index in pages {
        counted.frames.push(frame(file, index)?);
    }
    Ok(counted)
}

/// Copies page `index` of `file` into `frame`, zeros past the file's end.
fn fill(frame: u64, file: &FileData, index: u64) {
    // SAFETY: the caller owns `frame`, just allocated, and nothing else
    // refers to it; the physmap maps its PAGE_SIZE bytes.
    let page = unsafe {
        core::slice::from_raw_parts_mut(phys_to_virt(frame) as *mut u8, PAGE_SIZE as usize)
    };
    let n = file.read(index.saturating_mul(PAGE_SIZE), page);
    page[n..].fill(0);
}

/// Lets go of every page (a frame no process maps is freed); returns how
/// many the cache held. The frame allocator's last resort.
pub fn shrink() -> usize {
    let mut cache = CACHE.lock();
    let held = cache.frames.len();
    for frame in core::mem::take(&mut cache.frames).into_values() {
        cow::release(frame);
    }
    cache.order.clear();
    held
}

/// How many pages only the cache holds: what [`shrink`] would free.
pub fn reclaimable() -> usize {
    let cache = CACHE.lock();
    cache
        .frames
        .values()
        .filter(|&&f| !cow::is_shared(f))
        .count()
}
