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
/// A process or thread id.
pub type pid_t = i32;
/// A user id.
pub type uid_t = u32;
/// A group id.
pub type gid_t = u32;
/// `struct stat`'s types: the ABI's.
pub use vibix_uapi::stat::{dev_t, ino_t, mode_t, nlink_t, off_t, time_t};
/// A clock id (`clock_gettime`).
pub type clockid_t = i32;
/// A wide character (32 bits on Linux).
pub type wchar_t = i32;
