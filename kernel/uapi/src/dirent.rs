//! Directory entries as `getdents64` writes them: a fixed header, then the
//! NUL-terminated name, the whole padded to 8 bytes (`d_reclen`).

#![allow(missing_docs)]

/// The fixed part of `struct linux_dirent64`. The name starts at
/// [`D_NAME_OFFSET`], inside this struct's trailing padding, so read the
/// header from a buffer with `read_unaligned` and the name from the bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dirent64Header {
    pub d_ino: u64,
    pub d_off: i64,
    pub d_reclen: u16,
    pub d_type: u8,
}

/// Where `d_name` starts in an entry.
pub const D_NAME_OFFSET: usize = 19;

/// `d_type` values.
pub const DT_UNKNOWN: u8 = 0;
pub const DT_FIFO: u8 = 1;
pub const DT_CHR: u8 = 2;
pub const DT_DIR: u8 = 4;
pub const DT_BLK: u8 = 6;
pub const DT_REG: u8 = 8;
pub const DT_LNK: u8 = 10;
pub const DT_SOCK: u8 = 12;
