//! Memory from the kernel: the program break (`brk`) and anonymous mappings
//! (`mmap`, `munmap`). The allocator ([`crate::alloc`]) is the only user.

use crate::errno::{Errno, Result, check};
use crate::{nr, syscall};

/// The page size (`AT_PAGESZ` on x86_64).
pub const PAGE_SIZE: usize = 4096;

#[allow(missing_docs)]
#[cfg(feature = "phase3")]
pub const PROT_NONE: usize = vibix_uapi::mman::PROT_NONE as usize;
#[allow(missing_docs)]
pub const PROT_READ: usize = vibix_uapi::mman::PROT_READ as usize;
#[allow(missing_docs)]
pub const PROT_WRITE: usize = vibix_uapi::mman::PROT_WRITE as usize;
#[allow(missing_docs)]
pub const MAP_PRIVATE: usize = vibix_uapi::mman::MAP_PRIVATE as usize;
#[allow(missing_docs)]
pub const MAP_ANONYMOUS: usize = vibix_uapi::mman::MAP_ANONYMOUS as usize;

/// Sets the program break to `addr` and returns the break afterwards.
/// `brk(0)` asks for the current break. Like Linux's system call (not C's
/// `brk`), a refused request is not an error: the old break comes back.
///
/// # Safety
///
/// Shrinking the break unmaps memory: nothing may still use the pages
/// between the new and the old break.
pub unsafe fn brk(addr: usize) -> usize {
    // SAFETY: the caller guarantees that whatever the call unmaps is unused;
    // growing maps fresh memory no one uses yet.
    unsafe { syscall!(nr::BRK, addr) }
}

/// Maps `len` bytes of fresh, zeroed, private read-write memory; returns its
/// page-aligned start.
pub fn mmap_anonymous(len: usize) -> Result<*mut u8> {
    // SAFETY: with a null hint and no MAP_FIXED the kernel picks an unused
    // range, so no existing memory is affected.
    let ret = unsafe {
        syscall!(
            nr::MMAP,
            0usize,
            len,
            PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS,
            -1isize,
            0usize
        )
    };
    let addr = check(ret)?;
    if addr == 0 {
        return Err(Errno::ENOMEM);
    }
    Ok(core::ptr::with_exposed_provenance_mut(addr))
}

/// Unmaps `[addr, addr + len)`.
///
/// # Safety
///
/// Nothing may use that memory afterwards.
pub unsafe fn munmap(addr: *mut u8, len: usize) -> Result<()> {
    // SAFETY: the caller guarantees the range is no longer used.
    check(unsafe { syscall!(nr::MUNMAP, addr, len) }).map(drop)
}

/// Changes the protection of `[addr, addr + len)` to `prot` (phase 3: a
/// thread's guard page is made `PROT_NONE`).
///
/// # Safety
///
/// Nothing may still need the access the change takes away.
#[cfg(feature = "phase3")]
pub unsafe fn mprotect(addr: *mut u8, len: usize, prot: usize) -> Result<()> {
    // SAFETY: the caller guarantees the access taken away is not needed.
    check(unsafe { syscall!(nr::MPROTECT, addr, len, prot) }).map(drop)
}
