//! Files: the in-memory tree (`kcore::fs::Tree`) unpacked from the
//! initramfs, open-file descriptions, per-process descriptor tables,
//! `flock` locks, and the console device.

pub mod console;
pub mod dev;
pub mod fdtable;
pub mod file;
pub mod flock;
pub mod pipe;
pub mod stat;

use core::ptr::NonNull;
use kcore::fs::pages::PageSource;
use kcore::fs::{Timestamp, Tree};
use kcore::layout::PAGE_SIZE;
use spin::{Mutex, Once};

use crate::mm::{PHYS_OFFSET, frame, phys_to_virt};

static TREE: Once<Mutex<Tree>> = Once::new();

/// Where the pages of file data come from: page frames, reached through
/// the physmap. They are not the kernel heap's, so files may hold more than
/// the heap has.
static FRAME_PAGES: PageSource = PageSource {
    alloc: || NonNull::new(phys_to_virt(frame::alloc()?) as *mut u8),
    free: free_page,
};

/// # Safety
///
/// `page` came from `FRAME_PAGES.alloc` and is not used afterwards.
unsafe fn free_page(page: NonNull<u8>) {
    frame::free(page.as_ptr() as u64 - PHYS_OFFSET);
}

/// Unpacks the initramfs (a cpio `newc` archive) into the file tree.
pub fn init(initramfs: &[u8]) {
    let mut tree = match Tree::from_cpio(initramfs) {
        Ok(tree) => tree,
        Err(e) => panic!("the initramfs is not a valid cpio newc archive: {e:?}"),
    };
    tree.set_clock(now());
    dev::create_nodes(&mut tree);
    // Programs may add as much file data as tmpfs's default allows (half
    // of memory), then writes fail with ENOSPC; running out of page frames
    // first is ENOSPC too.
    let ram = (frame::total_frames() * PAGE_SIZE) as usize;
    tree.set_page_source(&FRAME_PAGES);
    tree.set_capacity(tree.used_bytes() + kcore::fs::capacity_for_ram(ram));
    TREE.call_once(|| Mutex::new(tree));
}

/// The current time, as the tree stamps nodes with it: the realtime clock
/// (`CLOCK_REALTIME`).
fn now() -> Timestamp {
    Timestamp::from_nanos(crate::time::realtime_ns())
}

/// Runs `f` with the file tree locked and its clock set to now, so every
/// time an operation stamps on a node is the time of the call. `f` must
/// not sleep, and must not take the process table lock (`with_current`
/// may take this one inside it). The kernel is not preempted and holds no lock while it sleeps, so
/// the lock is never contended: finding it taken means `f` re-entered (say,
/// by dropping the last `Arc<OpenFile>` inside it), which panics instead of
/// hanging.
pub fn with_tree<R>(f: impl FnOnce(&mut Tree) -> R) -> R {
    let tree = TREE.get().expect("fs::init ran at boot");
    let mut tree = tree
        .try_lock()
        .expect("the file tree is already locked (re-entered with_tree)");
    tree.set_clock(now());
    f(&mut tree)
}

/// Runs `f` with the file tree locked, to look only: the tree cannot
/// change, so it stamps nothing and its clock is not read (`fstat` asks
/// this often, and reading the clock costs more than the look).
pub fn read_tree<R>(f: impl FnOnce(&Tree) -> R) -> R {
    let tree = TREE.get().expect("fs::init ran at boot");
    let tree = tree
        .try_lock()
        .expect("the file tree is already locked (re-entered read_tree)");
    f(&tree)
}

/// Whether the file tree is locked (the scheduler's lock check).
pub fn tree_is_locked() -> bool {
    TREE.get().is_some_and(|t| t.is_locked())
}
