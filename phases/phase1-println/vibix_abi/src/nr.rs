//! Linux x86_64 system-call numbers (from `arch/x86/entry/syscalls/syscall_64.tbl`),
//! the ones this crate calls. vibix uses the same numbers; a number the
//! running kernel does not have answers `ENOSYS`.

#![allow(missing_docs)]

// Phase 0: the kernel RFC 0009 starts from.
pub const READ: usize = 0;
pub const WRITE: usize = 1;
pub const MMAP: usize = 9;
pub const MUNMAP: usize = 11;
pub const BRK: usize = 12;
pub const EXIT: usize = 60;
pub const KILL: usize = 62;

// Phase 1.
pub const WRITEV: usize = 20;
pub const GETPID: usize = 39;
pub const CLOCK_GETTIME: usize = 228;
pub const EXIT_GROUP: usize = 231;
pub const GETRANDOM: usize = 318;
