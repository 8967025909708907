//! The page cache of program files: the pages of a program's read-only
//! segments, made once and mapped into every process that runs the same
//! file, as Linux maps a program's text from its page cache.
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
use kcore::errno::{Errno, KResult};
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
/// The frame holding page `index` of `file`, whose version is `version`,
/// counted once more for the caller, who maps it (and lets go of it
/// through `cow::release`, as of any private page). The page is made from
/// the file's bytes on first use; past the file's end it holds zeros.
pub fn frame(version: u64, file: &[u8], index: u64) -> KResult<u64> {
    let key = (version, index);
    if let Some(&frame) = CACHE.lock().frames.get(&key) {
        cow::share(frame);
        return Ok(frame);
    }
    // Allocated without the cache's lock: running out of frames empties
    // the cache (`shrink`).
    let new = frame::alloc().ok_or(Errno::ENOMEM)?;
    fill(new, file, index);
    let mut cache = CACHE.lock();
    if let Some(&frame) = cache.frames.get(&key) {
        drop(cache);
        frame::free(new);
        cow::share(frame);
        return Ok(frame);
    }
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

/// Copies page `index` of `file` into `frame`, zeros past the file's end.
fn fill(frame: u64, file: &[u8], index: u64) {
    let start = usize::try_from(index * PAGE_SIZE)
        .unwrap_or(usize::MAX)
        .min(file.len());
    let bytes = &file[start..(start + PAGE_SIZE as usize).min(file.len())];
    let page = phys_to_virt(frame) as *mut u8;
    // SAFETY: the caller owns `frame`, just allocated; the physmap maps its
    // PAGE_SIZE bytes, of which `bytes` fills at most all.
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), page, bytes.len());
        core::ptr::write_bytes(page.add(bytes.len()), 0, PAGE_SIZE as usize - bytes.len());
    }
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
