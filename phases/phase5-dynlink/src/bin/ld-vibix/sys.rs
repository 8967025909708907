//! The system calls `ld-vibix` makes, each a thin wrapper over
//! `vibix_uapi`'s stubs returning the `Errno` on failure.

use vibix_uapi::errno::Errno;
use vibix_uapi::{nr, syscall};

/// A negative return value, as the kernel gives it, is an error.
fn check(ret: usize) -> Result<usize, Errno> {
    Errno::from_ret(ret)
}

/// `open(path, O_RDONLY | O_CLOEXEC)`.
pub fn open(path: &core::ffi::CStr) -> Result<usize, Errno> {
    use vibix_uapi::fcntl::{O_CLOEXEC, O_RDONLY};
    // SAFETY: `path` is NUL-terminated and lives across the call.
    check(unsafe { syscall!(nr::OPEN, path.as_ptr(), O_RDONLY | O_CLOEXEC, 0) })
}

/// `close(fd)`.
pub fn close(fd: usize) {
    // SAFETY: no pointer argument.
    unsafe { syscall!(nr::CLOSE, fd) };
}

/// `pread64(fd, buf, len, offset)`: the bytes read (fewer than asked
/// only at the end of the file).
pub fn pread(fd: usize, buf: &mut [u8], offset: u64) -> Result<usize, Errno> {
    // SAFETY: `buf` is writable for its length.
    check(unsafe { syscall!(nr::PREAD64, fd, buf.as_mut_ptr(), buf.len(), offset) })
}

/// `mmap(addr, len, prot, flags, fd, offset)`.
///
/// # Safety
///
/// With `MAP_FIXED`, whatever was mapped at `[addr, addr + len)` is
/// replaced: the caller must own that range.
pub unsafe fn mmap(
    addr: usize,
    len: usize,
    prot: u32,
    flags: i32,
    fd: usize,
    offset: u64,
) -> Result<usize, Errno> {
    // SAFETY: the caller's contract.
    check(unsafe { syscall!(nr::MMAP, addr, len, prot, flags, fd, offset) })
}

/// `mprotect(addr, len, prot)`.
///
/// # Safety
///
/// The range must be the caller's, and nothing may rely on the access
/// the new protection takes away.
pub unsafe fn mprotect(addr: usize, len: usize, prot: u32) -> Result<(), Errno> {
    // SAFETY: the caller's contract.
    check(unsafe { syscall!(nr::MPROTECT, addr, len, prot) }).map(|_| ())
}

/// `arch_prctl(ARCH_SET_FS, tp)`: makes `tp` the thread pointer.
///
/// # Safety
///
/// `tp` must be a complete TLS block's thread pointer that stays mapped.
pub unsafe fn set_thread_pointer(tp: usize) {
    // SAFETY: the caller's contract.
    unsafe { syscall!(nr::ARCH_PRCTL, vibix_uapi::prctl::ARCH_SET_FS, tp) };
}
