//! `<stdlib.h>`, `<malloc.h>`: the heap as C sees it: `malloc`, `free`,
//! `calloc`, `realloc`, `reallocarray`, `posix_memalign`, `aligned_alloc`,
//! `memalign`, `malloc_usable_size`.
//!
//! Each block comes from `vibix_abi`'s allocator (on the host, for the
//! tests, from std's `System`) with a small header in front of what C
//! gets: the size asked for and the offset of the C pointer from the start
//! of the underlying allocation, which is also its alignment. `free` needs
//! both to hand back the same `Layout`. The offset is at least 16 bytes
//! (room for the header, and the alignment `malloc` guarantees on x86_64);
//! a more aligned block puts the header in the `align` bytes before it.
//!
//! `malloc(0)` returns a unique pointer (as glibc); failures return NULL
//! with `errno` `ENOMEM`.

use core::alloc::{GlobalAlloc, Layout};
use core::ptr;

use vibix_abi::errno::set_errno;
use vibix_uapi::errno::{EINVAL, ENOMEM};

use crate::types::{c_void, size_t};

#[cfg(not(target_os = "vibix"))]
use std::alloc::System as BACKEND;
/// The C library's heap. It grows by mappings, never by the program break:
/// a Rust program that calls C links this library beside std, whose
/// allocator owns the break.
#[cfg(target_os = "vibix")]
pub(crate) static BACKEND: vibix_abi::alloc::Locked<vibix_abi::alloc::Mapped> =
    vibix_abi::alloc::Locked::new(vibix_abi::alloc::Mapped);

/// Runs `f` with the heap's lock held (`fork`: the child's copy of the
/// heap is then never half-changed).
pub(crate) fn with_heap_locked<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_os = "vibix")]
    return BACKEND.with(|_heap| f());
    #[cfg(not(target_os = "vibix"))]
    f()
}

/// The least distance from the allocation's start to the C pointer, and
/// the alignment of every block.
const MIN_ALIGN: usize = 16;

// ANCHOR: header
/// What sits right before the C pointer.
#[repr(C)]
struct Header {
    /// The size C asked for.
    size: usize,
    /// From the underlying allocation's start to the C pointer; also its
    /// alignment (a power of two, at least [`MIN_ALIGN`]).
    offset: usize,
}
// ANCHOR_END: header

/// The underlying layout of a block of `size` bytes aligned to `align` (a
/// power of two at least [`MIN_ALIGN`]), or `None` if it is too large.
fn layout(size: usize, align: usize) -> Option<Layout> {
    Layout::from_size_align(align.checked_add(size)?, align).ok()
}

/// The header of the block at `p`.
///
/// # Safety
///
/// `p` must come from this module's allocation functions and not be freed.
unsafe fn header(p: *mut c_void) -> *mut Header {
    // SAFETY: every block has its header right before it.
    unsafe { p.cast::<Header>().sub(1) }
}

// ANCHOR: allocate
/// A block of `size` bytes aligned to `align` (a power of two), or NULL
/// with `errno` `ENOMEM`; zeroed if `zero`. Inlined, so that `malloc`'s
/// copy knows its alignment and that it does not zero.
#[inline(always)]
fn allocate(size: usize, align: usize, zero: bool) -> *mut c_void {
    let offset = align.max(MIN_ALIGN);
    let Some(layout) = layout(size, offset) else {
        set_errno(ENOMEM);
        return ptr::null_mut();
    };
    // SAFETY: the layout's size is at least `offset`, never zero.
    let base = unsafe {
        if zero {
            BACKEND.alloc_zeroed(layout)
        } else {
            BACKEND.alloc(layout)
        }
    };
    if base.is_null() {
        set_errno(ENOMEM);
        return ptr::null_mut();
    }
    // SAFETY: `offset` bytes into the allocation, which holds `offset +
    // size`; the header (16 bytes, 8-aligned) fits in the `offset` bytes
    // before it.
    unsafe {
        let p = base.add(offset).cast::<c_void>();
        header(p).write(Header { size, offset });
        p
    }
}
// ANCHOR_END: allocate

/// `size` bytes, or NULL (`ENOMEM`).
///
/// # Safety
///
/// None beyond C's: the block must be freed with [`free`] at most once.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn malloc(size: size_t) -> *mut c_void {
    allocate(size, MIN_ALIGN, false)
}

// ANCHOR: free
/// Gives a block back; NULL does nothing.
///
/// # Safety
///
/// `p` NULL or from this allocator, not freed yet, not used afterwards.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: the caller's contract: `p` is a live block with its header.
    unsafe {
        let Header { size, offset } = header(p).read();
        let base = p.cast::<u8>().sub(offset);
        // The layout was valid when the block was made.
        let layout = Layout::from_size_align_unchecked(offset + size, offset);
        BACKEND.dealloc(base, layout);
    }
}
// ANCHOR_END: free

/// `n * size` zeroed bytes, or NULL (`ENOMEM`, also when the product
/// overflows).
///
/// # Safety
///
/// As [`malloc`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn calloc(n: size_t, size: size_t) -> *mut c_void {
    match n.checked_mul(size) {
        Some(total) => allocate(total, MIN_ALIGN, true),
        None => {
            set_errno(ENOMEM);
            ptr::null_mut()
        }
    }
}

/// Resizes the block `p` to `size` bytes, moving it if needed (the old
/// contents kept up to the smaller size). NULL `p` is `malloc(size)`; a
/// zero `size` frees `p` and returns NULL (as glibc). On failure NULL
/// (`ENOMEM`) and `p` untouched.
///
/// # Safety
///
/// As [`free`] for `p`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn realloc(p: *mut c_void, size: size_t) -> *mut c_void {
    if p.is_null() {
        return allocate(size, MIN_ALIGN, false);
    }
    if size == 0 {
        // SAFETY: the caller's contract.
        unsafe { free(p) };
        return ptr::null_mut();
    }
    // SAFETY: the caller's contract: `p` is a live block.
    let Header { size: old, offset } = unsafe { header(p).read() };
    let Some(new_layout) = layout(size, offset) else {
        set_errno(ENOMEM);
        return ptr::null_mut();
    };
    // SAFETY: `base` and the layout are the block's own (see `free`); the
    // new size is valid for the alignment (`layout` checked it). The
    // header moves with the contents.
    unsafe {
        let base = p.cast::<u8>().sub(offset);
        let old_layout = Layout::from_size_align_unchecked(offset + old, offset);
        let new_base = BACKEND.realloc(base, old_layout, new_layout.size());
        if new_base.is_null() {
            set_errno(ENOMEM);
            return ptr::null_mut();
        }
        let q = new_base.add(offset).cast::<c_void>();
        header(q).write(Header { size, offset });
        q
    }
}

/// `realloc(p, n * size)`, but NULL (`ENOMEM`) when the product overflows.
///
/// # Safety
///
/// As [`realloc`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn reallocarray(p: *mut c_void, n: size_t, size: size_t) -> *mut c_void {
    match n.checked_mul(size) {
        // SAFETY: the caller's contract.
        Some(total) => unsafe { realloc(p, total) },
        None => {
            set_errno(ENOMEM);
            ptr::null_mut()
        }
    }
}

/// Stores in `*out` a block of `size` bytes aligned to `align`, a power
/// of two multiple of `sizeof(void *)`; returns 0, `EINVAL` (bad
/// alignment) or `ENOMEM`. `errno` is left alone.
///
/// # Safety
///
/// `out` valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_memalign(
    out: *mut *mut c_void,
    align: size_t,
    size: size_t,
) -> crate::types::c_int {
    if !align.is_power_of_two() || align < size_of::<*mut c_void>() {
        return EINVAL;
    }
    let saved = vibix_abi::errno::errno();
    let p = allocate(size, align, false);
    if p.is_null() {
        set_errno(saved);
        return ENOMEM;
    }
    // SAFETY: the caller's contract.
    unsafe { out.write(p) };
    0
}

/// A block of `size` bytes aligned to `align` (a power of two, else NULL
/// with `EINVAL`), or NULL (`ENOMEM`).
///
/// # Safety
///
/// As [`malloc`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn aligned_alloc(align: size_t, size: size_t) -> *mut c_void {
    if !align.is_power_of_two() {
        set_errno(EINVAL);
        return ptr::null_mut();
    }
    allocate(size, align, false)
}

/// A block of `size` bytes aligned to `align` rounded up to a power of two
/// (as glibc), or NULL (`EINVAL` if that overflows, else `ENOMEM`).
///
/// # Safety
///
/// As [`malloc`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memalign(align: size_t, size: size_t) -> *mut c_void {
    match align.checked_next_power_of_two() {
        Some(align) => allocate(size, align, false),
        None => {
            set_errno(EINVAL);
            ptr::null_mut()
        }
    }
}

/// How many bytes the block `p` holds (0 for NULL): the size asked for.
///
/// # Safety
///
/// `p` NULL or a live block of this allocator.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn malloc_usable_size(p: *mut c_void) -> size_t {
    if p.is_null() {
        return 0;
    }
    // SAFETY: the caller's contract.
    unsafe { header(p).read().size }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vibix_abi::errno::errno;

    #[test]
    fn malloc_free_and_contents() {
        // SAFETY: every block is used within its size and freed once.
        unsafe {
            let p = malloc(100).cast::<u8>();
            assert!(!p.is_null());
            assert_eq!(p.addr() % 16, 0);
            for i in 0..100 {
                *p.add(i) = i as u8;
            }
            assert_eq!(malloc_usable_size(p.cast()), 100);
            let q = realloc(p.cast(), 5000).cast::<u8>();
            assert!(!q.is_null());
            for i in 0..100 {
                assert_eq!(*q.add(i), i as u8);
            }
            let r = realloc(q.cast(), 10).cast::<u8>();
            for i in 0..10 {
                assert_eq!(*r.add(i), i as u8);
            }
            free(r.cast());
            free(ptr::null_mut());
        }
    }

    #[test]
    fn zero_sizes_are_unique() {
        // SAFETY: as above.
        unsafe {
            let a = malloc(0);
            let b = malloc(0);
            assert!(!a.is_null() && !b.is_null() && a != b);
            free(a);
            assert!(realloc(b, 0).is_null());
            let c = realloc(ptr::null_mut(), 3);
            assert!(!c.is_null());
            free(c);
        }
    }

    #[test]
    fn calloc_zeroes_and_checks_overflow() {
        // SAFETY: as above.
        unsafe {
            let p = calloc(10, 10).cast::<u8>();
            assert!((0..100).all(|i| *p.add(i) == 0));
            free(p.cast());
            set_errno(0);
            assert!(calloc(usize::MAX / 2, 3).is_null());
            assert_eq!(errno(), ENOMEM);
            set_errno(0);
            assert!(reallocarray(ptr::null_mut(), usize::MAX, 2).is_null());
            assert_eq!(errno(), ENOMEM);
            let q = reallocarray(ptr::null_mut(), 4, 4);
            assert!(!q.is_null());
            free(q);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri refuses huge allocations outright")]
    fn huge_fails_with_enomem() {
        // SAFETY: nothing is allocated.
        unsafe {
            set_errno(0);
            assert!(malloc(usize::MAX).is_null());
            assert_eq!(errno(), ENOMEM);
            set_errno(0);
            assert!(malloc(usize::MAX - 8).is_null());
            assert_eq!(errno(), ENOMEM);
            let p = malloc(1);
            set_errno(0);
            assert!(realloc(p, usize::MAX).is_null());
            assert_eq!(errno(), ENOMEM);
            free(p);
        }
    }

    #[test]
    fn aligned() {
        // SAFETY: as above.
        unsafe {
            for align in [8usize, 16, 32, 64, 4096, 65536] {
                let mut p = ptr::null_mut();
                assert_eq!(posix_memalign(&mut p, align, 33), 0);
                assert_eq!(p.addr() % align, 0);
                p.cast::<u8>().write_bytes(7, 33);
                let q = realloc(p, 5000);
                assert_eq!(q.addr() % align, 0);
                assert_eq!(*q.cast::<u8>().add(32), 7);
                free(q);
                let a = aligned_alloc(align, 10);
                assert_eq!(a.addr() % align, 0);
                free(a);
            }
            let mut p = ptr::null_mut();
            assert_eq!(posix_memalign(&mut p, 24, 8), EINVAL);
            assert_eq!(posix_memalign(&mut p, 4, 8), EINVAL);
            set_errno(0);
            assert!(aligned_alloc(24, 8).is_null());
            assert_eq!(errno(), EINVAL);
            let m = memalign(24, 8);
            assert_eq!(m.addr() % 32, 0);
            free(m);
        }
    }
}
