//! `<sys/mman.h>`: memory mappings: `mmap`, `munmap`, `mprotect`, the
//! `PROT_*` and `MAP_*` values (`vibix_uapi::mman`'s) and `MAP_FAILED`.
//! vibix has no `msync` or `madvise`, so they are not declared.
//!
//! ```c
//! #define MAP_FAILED ((void *) -1)
//! ```

pub use vibix_uapi::mman::{
    MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_POPULATE, MAP_PRIVATE,
    MAP_SHARED, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE,
};
use vibix_uapi::{nr, syscall};

use crate::sysret::{ret, ret_int};
use crate::types::{c_int, c_void, off_t, size_t};

/// `MAP_ANON`, the old name of `MAP_ANONYMOUS`.
pub const MAP_ANON: c_int = MAP_ANONYMOUS;

/// Maps `len` bytes (of `fd` from `offset`, or anonymous memory) with
/// protection `prot`; returns the address or `MAP_FAILED` with `errno`.
///
/// # Safety
///
/// With `MAP_FIXED`, whatever was mapped at `addr` is replaced: nothing
/// may still use it.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mmap(
    addr: *mut c_void,
    len: size_t,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    offset: off_t,
) -> *mut c_void {
    // SAFETY: without `MAP_FIXED` the kernel picks unused addresses; with
    // it, the caller vouches for the range.
    let r = ret(unsafe { syscall!(nr::MMAP, addr, len, prot, flags, fd, offset) });
    if r == -1 {
        return core::ptr::without_provenance_mut(usize::MAX);
    }
    core::ptr::with_exposed_provenance_mut(r as usize)
}

/// Unmaps `[addr, addr + len)`.
///
/// # Safety
///
/// Nothing may use that memory afterwards.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn munmap(addr: *mut c_void, len: size_t) -> c_int {
    // SAFETY: the caller vouches that the range is no longer used.
    ret_int(unsafe { syscall!(nr::MUNMAP, addr, len) })
}

/// Changes the protection of `[addr, addr + len)` to `prot`.
///
/// # Safety
///
/// Nothing may still need the access taken away.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mprotect(addr: *mut c_void, len: size_t, prot: c_int) -> c_int {
    // SAFETY: the caller vouches for the access taken away.
    ret_int(unsafe { syscall!(nr::MPROTECT, addr, len, prot) })
}

/// [`mmap`] under glibc's large-file name (`_LARGEFILE64_SOURCE`): on
/// x86_64 `off_t` is already 64 bits, so it is the same call. Programs
/// built against glibc's headers (Rust's std for `linux-gnu`) call it.
///
/// # Safety
///
/// As [`mmap`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mmap64(
    addr: *mut c_void,
    len: size_t,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    offset: off_t,
) -> *mut c_void {
    // SAFETY: the caller's contract.
    unsafe { mmap(addr, len, prot, flags, fd, offset) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn maps_protects_and_unmaps() {
        // SAFETY: an anonymous mapping at an address the kernel picks.
        let p = unsafe {
            mmap(
                core::ptr::null_mut(),
                8192,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANON,
                -1,
                0,
            )
        };
        assert_ne!(p.addr(), usize::MAX);
        assert_eq!(p.addr() % 4096, 0);
        // SAFETY: the mapping is ours, 8192 bytes, readable and writable.
        unsafe {
            p.cast::<u8>().write(7);
            assert_eq!(p.cast::<u8>().read(), 7);
            assert_eq!(mprotect(p, 8192, PROT_READ), 0);
            assert_eq!(p.cast::<u8>().read(), 7);
            assert_eq!(munmap(p, 8192), 0);
        }
        // The large-file name maps the same way.
        // SAFETY: an anonymous mapping at an address the kernel picks,
        // ours until unmapped.
        unsafe {
            let p = mmap64(
                core::ptr::null_mut(),
                4096,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANON,
                -1,
                0,
            );
            assert_ne!(p.addr(), usize::MAX);
            p.cast::<u8>().write(9);
            assert_eq!(p.cast::<u8>().read(), 9);
            assert_eq!(munmap(p, 4096), 0);
        }
        // A bad length and a misaligned offset: EINVAL, as on the host.
        // SAFETY: these requests fail without mapping anything.
        unsafe {
            let bad = mmap(
                core::ptr::null_mut(),
                0,
                PROT_READ,
                MAP_PRIVATE | MAP_ANON,
                -1,
                0,
            );
            assert_eq!(bad.addr(), usize::MAX);
            assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
            let bad = mmap(core::ptr::null_mut(), 4096, PROT_READ, MAP_PRIVATE, -1, 0);
            assert_eq!(bad.addr(), usize::MAX);
            assert_eq!(vibix_abi::errno::errno(), libc::EBADF);
        }
        assert_eq!(MAP_ANON, libc::MAP_ANON);
    }
}
