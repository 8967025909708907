//! `struct stat` as the Linux x86_64 `fstat` system call fills it in.
//!
//! The layout is part of the ABI: 144 bytes, `st_mode` at offset 24,
//! `st_size` at offset 48. The assertions at the bottom make the compiler
//! check it.

use core::mem::{offset_of, size_of};

/// File status, as returned by [`crate::fs::fstat`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_nlink: u64,
    pub st_mode: u32,
    pub st_uid: u32,
    pub st_gid: u32,
    pub __pad0: u32,
    pub st_rdev: u64,
    pub st_size: i64,
    pub st_blksize: i64,
    pub st_blocks: i64,
    pub st_atime: i64,
    pub st_atime_nsec: i64,
    pub st_mtime: i64,
    pub st_mtime_nsec: i64,
    pub st_ctime: i64,
    pub st_ctime_nsec: i64,
    pub __unused: [i64; 3],
}

/// The bits of `st_mode` that hold the file type...
pub const S_IFMT: u32 = 0o170000;
/// ...and its values for a regular file, a directory, a character device,
/// a symbolic link.
pub const S_IFREG: u32 = 0o100000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFLNK: u32 = 0o120000;

impl Stat {
    /// The file type bits of `st_mode` (compare with `S_IFREG` and so on).
    pub fn file_type(&self) -> u32 {
        self.st_mode & S_IFMT
    }

    /// The permission bits of `st_mode` (`0o7777`).
    pub fn permissions(&self) -> u32 {
        self.st_mode & 0o7777
    }
}

const _: () = assert!(size_of::<Stat>() == 144);
const _: () = assert!(offset_of!(Stat, st_mode) == 24);
const _: () = assert!(offset_of!(Stat, st_size) == 48);
