//! Reading directories: `getdents64`, and walking the
//! `struct linux_dirent64` records it fills a buffer with:
//!
//! ```text
//! offset 0   d_ino     u64   inode number
//!        8   d_off     i64   offset of the next record (for lseek)
//!        16  d_reclen  u16   length of this record
//!        18  d_type    u8    DT_DIR, DT_REG, ...
//!        19  d_name          the name, NUL-terminated, then padding
//! ```
//!
//! Records are 8-byte aligned, so `d_reclen` is a multiple of 8.

use crate::errno::Errno;
use crate::nr;
use crate::syscall::syscall3;

/// `d_type` values.
pub use vibix_uapi::dirent::{DT_CHR, DT_DIR, DT_LNK, DT_REG, DT_UNKNOWN};

/// Fills `buf` with records for the directory open as `fd`, from its
/// offset on; returns the number of bytes used (0 at the end).
pub fn getdents64(fd: i32, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is a live, exclusive borrow of `buf.len()` bytes.
    unsafe { getdents64_raw(fd, buf.as_mut_ptr(), buf.len()) }
}

/// `getdents64` into any buffer.
///
/// # Safety
///
/// The kernel may write up to `len` bytes at `buf`: memory no Rust
/// reference covers, or unmapped (`EFAULT`).
pub unsafe fn getdents64_raw(fd: i32, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: the caller allows the writes.
    Errno::from_ret(unsafe { syscall3(nr::GETDENTS64, fd as usize, buf as usize, len) })
}

/// One record.
#[derive(Clone, Copy, Debug)]
pub struct Dirent<'a> {
    pub ino: u64,
    pub off: i64,
    pub reclen: u16,
    pub d_type: u8,
    /// Without the NUL.
    pub name: &'a [u8],
}

/// The records in `buf[..len]`, as [`getdents64`] returned them. Stops at a
/// malformed record (too short, running past the end, no NUL).
pub fn records(buf: &[u8]) -> Records<'_> {
    Records { buf }
}

/// Iterator returned by [`records`].
pub struct Records<'a> {
    buf: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Dirent<'a>;

    fn next(&mut self) -> Option<Dirent<'a>> {
        let buf = self.buf;
        if buf.len() < 20 {
            return None;
        }
        let reclen = u16::from_le_bytes([buf[16], buf[17]]);
        let len = reclen as usize;
        if len < 20 || len > buf.len() {
            return None;
        }
        let rest = &buf[19..len];
        let nul = rest.iter().position(|&b| b == 0)?;
        self.buf = &buf[len..];
        Some(Dirent {
            ino: u64::from_le_bytes(buf[0..8].try_into().ok()?),
            off: i64::from_le_bytes(buf[8..16].try_into().ok()?),
            reclen,
            d_type: buf[18],
            name: &rest[..nul],
        })
    }
}
