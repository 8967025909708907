//! Memory: `mmap` (9), `munmap` (11), `mprotect` (10) and `brk` (12).
//!
//! All four can change which memory exists or how it may be accessed, under
//! the feet of any Rust reference into it, so the general forms are `unsafe`.
//! Two common, harmless uses get safe functions: mapping fresh anonymous
//! memory ([`map_anonymous`]) and asking for the current break
//! ([`current_break`]).

use crate::errno::Errno;
use crate::nr;
use crate::syscall::{syscall1, syscall2, syscall3, syscall6};

/// The size of a page: the unit of mapping and protection.
pub const PAGE_SIZE: usize = 4096;

/// Page protections (combine with `|`).
pub const PROT_NONE: u32 = vibix_uapi::mman::PROT_NONE as u32;
pub const PROT_READ: u32 = vibix_uapi::mman::PROT_READ as u32;
pub const PROT_WRITE: u32 = vibix_uapi::mman::PROT_WRITE as u32;
pub const PROT_EXEC: u32 = vibix_uapi::mman::PROT_EXEC as u32;

/// Mapping flags (combine with `|`).
pub const MAP_SHARED: u32 = vibix_uapi::mman::MAP_SHARED as u32;
pub const MAP_PRIVATE: u32 = vibix_uapi::mman::MAP_PRIVATE as u32;
pub const MAP_FIXED: u32 = vibix_uapi::mman::MAP_FIXED as u32;
pub const MAP_ANONYMOUS: u32 = vibix_uapi::mman::MAP_ANONYMOUS as u32;

/// Maps `len` bytes; returns the address of the new mapping.
///
/// # Safety
///
/// With `MAP_FIXED` the new mapping replaces whatever was at `addr`: no Rust
/// reference may point into that range. Without it the kernel picks free
/// addresses and the call is always sound (see [`map_anonymous`]).
pub unsafe fn mmap(
    addr: usize,
    len: usize,
    prot: u32,
    flags: u32,
    fd: i32,
    offset: i64,
) -> Result<usize, Errno> {
    // SAFETY: the caller guarantees that a `MAP_FIXED` mapping replaces
    // nothing in use; any other mapping only adds memory.
    let ret = unsafe {
        syscall6(
            nr::MMAP,
            addr,
            len,
            prot as usize,
            flags as usize,
            fd as usize,
            offset as usize,
        )
    };
    Errno::from_ret(ret)
}

/// Maps `len` bytes of fresh, zero-filled, private memory with protection
/// `prot`, at an address the kernel chooses.
pub fn map_anonymous(len: usize, prot: u32) -> Result<usize, Errno> {
    // SAFETY: no `MAP_FIXED`, so no existing memory is replaced.
    unsafe { mmap(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) }
}

/// Unmaps the pages covering `addr..addr + len`.
///
/// # Safety
///
/// No Rust reference may point into the range, and nothing may use it again.
pub unsafe fn munmap(addr: usize, len: usize) -> Result<(), Errno> {
    // SAFETY: the caller guarantees that the range is no longer in use.
    Errno::from_ret(unsafe { syscall2(nr::MUNMAP, addr, len) }).map(|_| ())
}

/// Changes the protection of the pages covering `addr..addr + len`.
///
/// # Safety
///
/// The memory must not be accessed afterwards in a way `prot` forbids (for
/// example, written through a `&mut` once it is read-only).
pub unsafe fn mprotect(addr: usize, len: usize, prot: u32) -> Result<(), Errno> {
    // SAFETY: the caller guarantees the range is only used as `prot` allows.
    Errno::from_ret(unsafe { syscall3(nr::MPROTECT, addr, len, prot as usize) }).map(|_| ())
}

/// Asks the kernel to move the program break (the end of the heap) to
/// `addr`; returns the break afterwards.
///
/// The raw Linux `brk` does not return `-errno`: on failure it returns the
/// break unchanged, so a caller compares the result with `addr`. An `Err`
/// would mean a kernel that does not follow the Linux ABI.
///
/// # Safety
///
/// If the break moves down, nothing may still use the memory above it.
pub unsafe fn brk(addr: usize) -> Result<usize, Errno> {
    // SAFETY: the caller guarantees that memory released by a lower break is
    // no longer in use; growing only adds memory.
    Errno::from_ret(unsafe { syscall1(nr::BRK, addr) })
}

/// The current program break: `brk(0)`, which asks for an impossible break
/// and so moves nothing.
pub fn current_break() -> Result<usize, Errno> {
    // SAFETY: a break of 0 is below any heap, so the break does not move.
    unsafe { brk(0) }
}

/// Rounds `addr` up to a multiple of [`PAGE_SIZE`].
pub const fn page_align_up(addr: usize) -> usize {
    (addr + PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}
