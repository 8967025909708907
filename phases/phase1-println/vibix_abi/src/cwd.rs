//! The working directory: `getcwd` and `chdir`.

use core::ffi::CStr;

use crate::errno::{Result, check};
use crate::{nr, syscall};

pub use vibix_uapi::limits::PATH_MAX;

/// Writes the working directory's absolute path into `buf` and returns its
/// length, without the NUL the kernel also writes. `ERANGE` if `buf` is too
/// small: [`PATH_MAX`] bytes are always enough.
pub fn getcwd(buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
    let with_nul = check(unsafe { syscall!(nr::GETCWD, buf.as_mut_ptr(), buf.len()) })?;
    Ok(with_nul.saturating_sub(1))
}

/// Makes `path` the working directory.
pub fn chdir(path: &CStr) -> Result<()> {
    // SAFETY: the kernel reads the NUL-terminated string `path`.
    check(unsafe { syscall!(nr::CHDIR, path.as_ptr()) }).map(drop)
}
