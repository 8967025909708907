//! `<stddef.h>`, `<stdint.h>`, `<sys/types.h>`: the C scalar types, as the
//! Linux x86_64 ABI (LP64) has them. Every other module names its
//! signatures' types from here.

pub use core::ffi::{
    c_char, c_double, c_float, c_int, c_long, c_longlong, c_short, c_uchar, c_uint, c_ulong,
    c_ulonglong, c_ushort, c_void,
};

/// An object's size (`sizeof`).
pub type size_t = usize;
/// A size or `-1` (`read`, `write`).
pub type ssize_t = isize;
/// The difference of two pointers.
pub type ptrdiff_t = isize;
/// A file offset (64 bits on x86_64).
pub type off_t = i64;
/// A process or thread id.
pub type pid_t = i32;
/// A user id.
pub type uid_t = u32;
/// A group id.
pub type gid_t = u32;
/// A device number (`st_dev`, `st_rdev`).
pub type dev_t = u64;
/// A file's inode number (`st_ino`).
pub type ino_t = u64;
/// A file's link count (`st_nlink`).
pub type nlink_t = u64;
/// A file mode: type and permission bits.
pub type mode_t = u32;
/// Seconds since the epoch.
pub type time_t = i64;
/// A clock id (`clock_gettime`).
pub type clockid_t = i32;
/// A wide character (32 bits on Linux).
pub type wchar_t = i32;
