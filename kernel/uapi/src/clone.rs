//! `clone`'s flags (Linux's `<uapi/linux/sched.h>`): what the new task
//! shares with its parent, and the thread-id and TLS arguments it takes.

#![allow(missing_docs)]

/// The low byte: the signal sent to the parent when the child exits.
pub const CSIGNAL: i32 = 0xff;
pub const CLONE_VM: i32 = 0x100;
pub const CLONE_FS: i32 = 0x200;
pub const CLONE_FILES: i32 = 0x400;
pub const CLONE_SIGHAND: i32 = 0x800;
pub const CLONE_VFORK: i32 = 0x4000;
pub const CLONE_PARENT: i32 = 0x8000;
pub const CLONE_THREAD: i32 = 0x10000;
pub const CLONE_SYSVSEM: i32 = 0x40000;
pub const CLONE_SETTLS: i32 = 0x80000;
pub const CLONE_PARENT_SETTID: i32 = 0x100000;
pub const CLONE_CHILD_CLEARTID: i32 = 0x200000;
pub const CLONE_CHILD_SETTID: i32 = 0x1000000;
