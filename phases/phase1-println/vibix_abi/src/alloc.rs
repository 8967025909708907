//! The global allocator: small blocks from the program break, large ones
//! straight from `mmap`.
//!
//! - A request is rounded up to a power of two, its *size class*:
//!   16 bytes to 128 KiB. Anything larger, or aligned to more than a page,
//!   is *large*.
//! - Small blocks come from the heap, a region grown with `brk` (256 KiB or
//!   more at a time) and cut from the bottom up. A freed block goes on its
//!   class's free list (a singly linked list threaded through the free blocks
//!   themselves) and is handed out again before the heap is cut further.
//!   The heap never shrinks.
//! - Large blocks are their own anonymous mapping: `mmap` on allocation,
//!   `munmap` on free, so big buffers go back to the kernel at once. Their
//!   memory is zero when it arrives, so `alloc_zeroed` does not clear it.
//!
//! A class-`s` block is aligned to `s` (up to a page): the heap is cut at
//! multiples of the block size, and the bytes skipped to get there are cut
//! into smaller blocks for the free lists, so nothing is lost.
//!
//! The bookkeeping ([`Heap`]) talks to the kernel only through the [`Os`]
//! trait, so the host tests run it, under Miri too, over memory from the
//! test's own allocator. One spin lock ([`Locked`]) makes it usable from
//! several threads.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicBool, Ordering};

use crate::mem::{self, PAGE_SIZE};

/// Where the memory comes from.
pub trait Os {
    /// Grows the heap by `len` bytes (a multiple of the page size); returns
    /// the start of the new memory, which directly follows the previous
    /// growth when the heap is contiguous (as with `brk`).
    fn grow(&mut self, len: usize) -> Option<NonNull<u8>>;

    /// Maps `len` zeroed bytes (a multiple of the page size) aligned to
    /// `align` (a power of two, at least the page size).
    fn map(&mut self, len: usize, align: usize) -> Option<NonNull<u8>>;

    /// Unmaps what [`Os::map`] returned for the same `len` and `align`.
    ///
    /// # Safety
    ///
    /// `ptr` must come from `map(len, align)` and not be used afterwards.
    unsafe fn unmap(&mut self, ptr: NonNull<u8>, len: usize, align: usize);
}

const MIN_SHIFT: u32 = 4;
const MAX_SHIFT: u32 = 17;
const CLASSES: usize = (MAX_SHIFT - MIN_SHIFT + 1) as usize;
/// The smallest block: room for the free list's next pointer, and 16-byte
/// alignment (what `malloc` guarantees on x86_64).
pub const MIN_BLOCK: usize = 1 << MIN_SHIFT;
/// The largest small block.
pub const MAX_SMALL: usize = 1 << MAX_SHIFT;
/// The least the heap grows by at a time.
pub const GROW_STEP: usize = 256 * 1024;

/// What the allocator has asked the kernel for.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Times the heap grew.
    pub grows: usize,
    /// Bytes the heap holds.
    pub heap_bytes: usize,
    /// Large blocks currently mapped.
    pub large_blocks: usize,
    /// Bytes they hold.
    pub large_bytes: usize,
}

/// The allocator's state. Not thread-safe by itself: see [`Locked`].
pub struct Heap<O> {
    os: O,
    /// Heads of the free lists, one per class; each free block's first word
    /// points to the next.
    free: [*mut u8; CLASSES],
    /// The part of the heap not cut yet: `[top, end)`.
    top: *mut u8,
    end: *mut u8,
    stats: Stats,
}

// SAFETY: the raw pointers all point into memory the heap alone manages, so
// moving it to another thread moves that ownership along.
unsafe impl<O: Send> Send for Heap<O> {}

/// How a layout is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A block of class `usize` (index into `free`).
    Small(usize),
    /// A mapping of this many bytes and this alignment.
    Large { len: usize, align: usize },
}

#[inline]
fn kind(layout: Layout) -> Kind {
    let need = layout.size().max(layout.align()).max(MIN_BLOCK);
    if need <= MAX_SMALL && layout.align() <= PAGE_SIZE {
        let shift = need.next_power_of_two().trailing_zeros();
        Kind::Small((shift - MIN_SHIFT) as usize)
    } else {
        Kind::Large {
            len: layout.size().next_multiple_of(PAGE_SIZE),
            align: layout.align().max(PAGE_SIZE),
        }
    }
}

const fn class_size(class: usize) -> usize {
    MIN_BLOCK << class
}

impl<O: Os> Heap<O> {
    /// An empty heap over `os`.
    pub const fn new(os: O) -> Heap<O> {
        Heap {
            os,
            free: [ptr::null_mut(); CLASSES],
            top: ptr::null_mut(),
            end: ptr::null_mut(),
            stats: Stats {
                grows: 0,
                heap_bytes: 0,
                large_blocks: 0,
                large_bytes: 0,
            },
        }
    }

    /// What has been asked of the kernel so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The memory source.
    pub fn os(&self) -> &O {
        &self.os
    }

    // ANCHOR: alloc
    /// Allocates a block for `layout`; null if the kernel has no memory.
    #[inline]
    pub fn alloc(&mut self, layout: Layout) -> *mut u8 {
        if let Kind::Small(class) = kind(layout) {
            let head = self.free[class];
            if !head.is_null() {
                // SAFETY: a free block's first word holds the next one.
                self.free[class] = unsafe { head.cast::<*mut u8>().read() };
                return head;
            }
        }
        self.alloc_slow(layout)
    }

    /// [`Heap::alloc`] when its class's free list is empty or the block is
    /// large: kept out of line, so the common case (a free list's head)
    /// is a few instructions inlined into the caller, without the
    /// register saves the rest needs.
    #[cold]
    #[inline(never)]
    fn alloc_slow(&mut self, layout: Layout) -> *mut u8 {
        match kind(layout) {
            Kind::Small(class) => self.cut(class_size(class)),
            Kind::Large { len, align } => match self.os.map(len, align) {
                Some(p) => {
                    self.stats.large_blocks += 1;
                    self.stats.large_bytes += len;
                    p.as_ptr()
                }
                None => ptr::null_mut(),
            },
        }
    }

    /// Frees a block.
    ///
    /// # Safety
    ///
    /// `block` must come from [`Heap::alloc`] (or `realloc`) of this heap
    /// with the same `layout`, and not be used afterwards.
    #[inline]
    pub unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        match kind(layout) {
            Kind::Small(class) => self.push_free(class, block),
            // SAFETY: the caller's contract.
            Kind::Large { .. } => unsafe { self.dealloc_large(block, layout) },
        }
    }

    /// [`Heap::dealloc`] of a large block (out of line, as `alloc_slow`).
    ///
    /// # Safety
    ///
    /// As [`Heap::dealloc`], for a large block.
    #[cold]
    #[inline(never)]
    unsafe fn dealloc_large(&mut self, block: *mut u8, layout: Layout) {
        match kind(layout) {
            Kind::Small(_) => unreachable!("dealloc_large of a small block"),
            Kind::Large { len, align } => {
                self.stats.large_blocks -= 1;
                self.stats.large_bytes -= len;
                // SAFETY: the caller guarantees the block was mapped for
                // this layout, so by `map(len, align)`, and is unused now.
                unsafe { self.os.unmap(NonNull::new_unchecked(block), len, align) }
            }
        }
    }
    // ANCHOR_END: alloc

    /// Allocates zeroed memory.
    pub fn alloc_zeroed(&mut self, layout: Layout) -> *mut u8 {
        let block = self.alloc(layout);
        // Fresh mappings are zero already; recycled heap blocks are not.
        if !block.is_null() && matches!(kind(layout), Kind::Small(_)) {
            // SAFETY: the block is at least `layout.size()` bytes, ours.
            unsafe { block.write_bytes(0, layout.size()) };
        }
        block
    }

    /// Resizes a block, moving it only when its class (or page count)
    /// changes.
    ///
    /// # Safety
    ///
    /// As for [`Heap::dealloc`]; `new_size` must be nonzero and, rounded up
    /// to `layout.align()`, not overflow `isize`.
    pub unsafe fn realloc(&mut self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid size for this alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if kind(layout) == kind(new_layout) {
            return block;
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            // SAFETY: both blocks hold at least the smaller size, and
            // distinct blocks never overlap.
            unsafe {
                ptr::copy_nonoverlapping(block, new, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        new
    }

    #[inline]
    fn push_free(&mut self, class: usize, block: *mut u8) {
        // SAFETY: the block is ours, at least 16 bytes and 16-aligned.
        unsafe { block.cast::<*mut u8>().write(self.free[class]) };
        self.free[class] = block;
    }

    /// Cuts a fresh `size`-byte block (a power of two) off the heap.
    fn cut(&mut self, size: usize) -> *mut u8 {
        let align = size.min(PAGE_SIZE);
        loop {
            let pad = self.top.addr().wrapping_neg() & (align - 1);
            let room = self.end.addr() - self.top.addr();
            if !self.top.is_null() && room >= pad + size {
                self.recycle(pad);
                let block = self.top;
                // SAFETY: `size` bytes fit before `end`.
                self.top = unsafe { self.top.add(size) };
                return block;
            }
            if !self.grow(size) {
                return ptr::null_mut();
            }
        }
    }

    /// Moves the next `len` bytes of the uncut heap to the free lists, as
    /// the largest aligned blocks that fit. `top` is always 16-aligned, so
    /// they are whole blocks.
    fn recycle(&mut self, mut len: usize) {
        while len >= MIN_BLOCK {
            let top = self.top.addr();
            // The largest power of two that `top` is aligned to and that fits.
            let by_align = 1 << top.trailing_zeros().min(usize::BITS - 1);
            let by_len = 1 << (usize::BITS - 1 - len.leading_zeros());
            let size = by_align.min(by_len).min(MAX_SMALL);
            let class = (size.trailing_zeros() - MIN_SHIFT) as usize;
            self.push_free(class, self.top);
            // SAFETY: `size <= len` bytes remain before `end`.
            self.top = unsafe { self.top.add(size) };
            len -= size;
        }
    }

    /// Makes room for at least one `size`-byte block (plus alignment).
    fn grow(&mut self, size: usize) -> bool {
        let len = (size + PAGE_SIZE)
            .max(GROW_STEP)
            .next_multiple_of(PAGE_SIZE);
        let fresh = match self.os.grow(len) {
            Some(p) => p.as_ptr(),
            // No more break (or none at all): a mapping does as well.
            None => match self.os.map(len, PAGE_SIZE) {
                Some(p) => p.as_ptr(),
                None => return false,
            },
        };
        self.stats.grows += 1;
        self.stats.heap_bytes += len;
        if !self.end.is_null() && fresh == self.end {
            // SAFETY: the new memory directly follows the old.
            self.end = unsafe { self.end.add(len) };
        } else {
            // Not contiguous: keep what is left of the old part, as blocks.
            let rest = self.end.addr() - self.top.addr();
            self.recycle(rest);
            // The first break need not be aligned: start at 16 bytes.
            let skip = fresh.addr().wrapping_neg() & (MIN_BLOCK - 1);
            // SAFETY: `fresh` starts `len` bytes of memory (`len` is far
            // more than `skip`).
            unsafe {
                self.top = fresh.add(skip);
                self.end = fresh.add(len);
            }
        }
        true
    }
}

// ANCHOR: may_be_shared
/// Whether another thread of this process may use the heap at the same
/// time, so that [`Locked`] must lock: only once a thread was started
/// (as glibc skips its locks while a process has one thread). The lock
/// is an atomic read-modify-write, which costs much more than a plain
/// access under emulation and is pure overhead with one thread. Off
/// vibix (the host's tests, with std's threads) it always locks.
#[inline]
fn may_be_shared() -> bool {
    #[cfg(all(target_os = "vibix", feature = "phase3"))]
    return crate::thread::clone::spawned();
    // Before phase 3 a vibix process has one thread.
    #[cfg(all(target_os = "vibix", not(feature = "phase3")))]
    return false;
    #[cfg(not(target_os = "vibix"))]
    true
}
// ANCHOR_END: may_be_shared

/// A [`Heap`] behind a spin lock: a `GlobalAlloc`.
pub struct Locked<O> {
    busy: AtomicBool,
    heap: UnsafeCell<Heap<O>>,
}

// SAFETY: the heap is only reached through `with`, which holds the lock.
unsafe impl<O: Send> Sync for Locked<O> {}

impl<O: Os> Locked<O> {
    /// An empty heap over `os`.
    pub const fn new(os: O) -> Locked<O> {
        Locked {
            busy: AtomicBool::new(false),
            heap: UnsafeCell::new(Heap::new(os)),
        }
    }

    /// Runs `f` on the heap, with the lock held.
    #[inline]
    pub fn with<R>(&self, f: impl FnOnce(&mut Heap<O>) -> R) -> R {
        if !may_be_shared() {
            // SAFETY: the process has one thread, which is here: nothing
            // else can reach the heap until it starts another thread, and
            // it does not do so from inside `f`.
            return f(unsafe { &mut *self.heap.get() });
        }
        let mut spins = 0u32;
        while self
            .busy
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spins = spins.wrapping_add(1);
            // With threads (phase 3), the holder may have been preempted:
            // after a short spin, give it the CPU instead of spinning out
            // a whole time slice.
            #[cfg(all(target_os = "vibix", feature = "phase3"))]
            if spins % 64 == 0 {
                crate::thread::yield_now();
                continue;
            }
            core::hint::spin_loop();
        }
        // SAFETY: the lock is ours, so no other reference to the heap
        // exists. (The allocator never calls back into itself while holding
        // it: the kernel calls allocate nothing.)
        let result = f(unsafe { &mut *self.heap.get() });
        self.busy.store(false, Ordering::Release);
        result
    }
}

// SAFETY: `Heap` returns blocks of at least the layout's size and alignment
// that no one else uses until freed, or null; every method forwards to it.
unsafe impl<O: Os> GlobalAlloc for Locked<O> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.with(|h| h.alloc(layout))
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.with(|h| h.alloc_zeroed(layout))
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: GlobalAlloc's contract is `Heap::dealloc`'s.
        self.with(|h| unsafe { h.dealloc(block, layout) })
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: GlobalAlloc's contract is `Heap::realloc`'s.
        self.with(|h| unsafe { h.realloc(block, layout, new_size) })
    }
}

/// The kernel: the heap grows with `brk`, large blocks are `mmap`s.
pub struct Kernel {
    /// The current break, once known.
    brk: usize,
}

impl Kernel {
    /// Before the first growth, the break is not known yet.
    pub const fn new() -> Kernel {
        Kernel { brk: 0 }
    }
}

impl Default for Kernel {
    fn default() -> Kernel {
        Kernel::new()
    }
}

impl Os for Kernel {
    fn grow(&mut self, len: usize) -> Option<NonNull<u8>> {
        if self.brk == 0 {
            // SAFETY: `brk(0)` only reports the break.
            self.brk = unsafe { mem::brk(0) };
        }
        let old = self.brk;
        let want = old.checked_add(len)?;
        // SAFETY: growing maps fresh memory that nothing uses yet.
        let new = unsafe { mem::brk(want) };
        if new < want {
            return None;
        }
        self.brk = new;
        NonNull::new(ptr::with_exposed_provenance_mut(old))
    }

    fn map(&mut self, len: usize, align: usize) -> Option<NonNull<u8>> {
        // Over-map by the extra alignment, then return the slack on both
        // sides. `mmap` results are page-aligned already.
        let slack = align - PAGE_SIZE;
        let start = mem::mmap_anonymous(len.checked_add(slack)?).ok()?;
        let head = start.addr().wrapping_neg() & (align - 1);
        // SAFETY: the slack is inside our fresh mapping and never used.
        unsafe {
            if head > 0 {
                mem::munmap(start, head).ok()?;
            }
            let block = start.add(head);
            if slack - head > 0 {
                mem::munmap(block.add(len), slack - head).ok()?;
            }
            NonNull::new(block)
        }
    }

    unsafe fn unmap(&mut self, block: NonNull<u8>, len: usize, _align: usize) {
        // SAFETY: the caller guarantees the block is unused now; `map` left
        // exactly `len` bytes mapped at it.
        let _ = unsafe { mem::munmap(block.as_ptr(), len) };
    }
}

/// The kernel without the program break: the heap grows by anonymous
/// mappings. For a second allocator in one process, which must not move
/// the break under the first: the C library's `malloc` (phase 4), which a
/// Rust program that calls C links beside std's allocator. Large blocks
/// are [`Kernel`]'s.
pub struct Mapped;

impl Os for Mapped {
    fn grow(&mut self, len: usize) -> Option<NonNull<u8>> {
        mem::mmap_anonymous(len).ok().and_then(NonNull::new)
    }

    fn map(&mut self, len: usize, align: usize) -> Option<NonNull<u8>> {
        Kernel::new().map(len, align)
    }

    unsafe fn unmap(&mut self, block: NonNull<u8>, len: usize, align: usize) {
        // SAFETY: the caller's contract is `Kernel::unmap`'s.
        unsafe { Kernel::new().unmap(block, len, align) }
    }
}

// ANCHOR: global
/// The allocator std uses on vibix (its `System`).
pub static ALLOCATOR: Locked<Kernel> = Locked::new(Kernel::new());
// ANCHOR_END: global

#[cfg(test)]
mod tests;
