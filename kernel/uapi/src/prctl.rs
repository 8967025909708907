//! `arch_prctl`'s codes (x86_64): the `fs` and `gs` base registers, which
//! hold the thread pointer.

#![allow(missing_docs)]

pub const ARCH_SET_GS: i32 = 0x1001;
pub const ARCH_SET_FS: i32 = 0x1002;
pub const ARCH_GET_FS: i32 = 0x1003;
pub const ARCH_GET_GS: i32 = 0x1004;
