//! `statfs`, `fstatfs`: `struct statfs`, a file system's sizes and limits
//! (glibc's x86_64 layout, which is the kernel's). vibix's kernel does not
//! answer these calls yet; the C library passes them on.

#![allow(missing_docs)]

/// What `statfs` fills in.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statfs {
    pub f_type: i64,
    pub f_bsize: i64,
    pub f_blocks: u64,
    pub f_bfree: u64,
    pub f_bavail: u64,
    pub f_files: u64,
    pub f_ffree: u64,
    pub f_fsid: [i32; 2],
    pub f_namelen: i64,
    pub f_frsize: i64,
    pub f_flags: i64,
    pub f_spare: [i64; 4],
}
