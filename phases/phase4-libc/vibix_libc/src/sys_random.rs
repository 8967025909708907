//! `<sys/random.h>`: `getrandom` (the kernel's random bytes; flags
//! `GRND_NONBLOCK`, `GRND_RANDOM`, `GRND_INSECURE`) and `getentropy`
//! (glibc declares it in `<unistd.h>` too: at most 256 bytes, all or an
//! error).

pub use vibix_uapi::random::{GRND_INSECURE, GRND_NONBLOCK, GRND_RANDOM};
use vibix_uapi::{Errno, nr, syscall};

use crate::sysret::{fail, ret};
use crate::types::{c_int, c_uint, c_void, size_t, ssize_t};

/// Fills up to `len` bytes at `buf` with random bytes; returns how many.
///
/// # Safety
///
/// `buf` must be writable for `len` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getrandom(buf: *mut c_void, len: size_t, flags: c_uint) -> ssize_t {
    // SAFETY: the kernel writes at most `len` bytes at `buf`.
    ret(unsafe { syscall!(nr::GETRANDOM, buf, len, flags) })
}

/// Fills all `len` bytes (at most 256: else `EIO`) at `buf`; 0 or `-1`.
///
/// # Safety
///
/// `buf` must be writable for `len` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getentropy(buf: *mut c_void, len: size_t) -> c_int {
    if len > 256 {
        return fail(Errno::EIO);
    }
    // SAFETY: the caller's buffer, writable for `len` bytes.
    let bytes = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), len) };
    match vibix_abi::random::fill(bytes) {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn random_bytes() {
        let mut a = [0u8; 64];
        let mut b = [0u8; 64];
        // SAFETY: the buffers are ours, 64 bytes each.
        unsafe {
            assert_eq!(getrandom(a.as_mut_ptr().cast(), 64, 0), 64);
            assert_eq!(getentropy(b.as_mut_ptr().cast(), 64), 0);
        }
        assert_ne!(a, b);
        assert_ne!(a, [0; 64]);
        let mut big = [0u8; 257];
        // SAFETY: as above; refused before writing.
        assert_eq!(unsafe { getentropy(big.as_mut_ptr().cast(), 257) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EIO);
        // SAFETY: unknown flags are refused before writing.
        assert_eq!(unsafe { getrandom(a.as_mut_ptr().cast(), 1, 0x80) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        assert_eq!(GRND_NONBLOCK, libc::GRND_NONBLOCK);
    }
}
