//! System call numbers: the Linux x86_64 numbering, which vibix shares.
//!
//! The number goes in `rax` when executing `syscall`. Only the calls the
//! phase-0 programs use are listed.

pub const READ: usize = 0;
pub const WRITE: usize = 1;
pub const OPEN: usize = 2;
pub const CLOSE: usize = 3;
pub const FSTAT: usize = 5;
pub const LSEEK: usize = 8;
pub const MMAP: usize = 9;
pub const MPROTECT: usize = 10;
pub const MUNMAP: usize = 11;
pub const BRK: usize = 12;
pub const EXIT: usize = 60;
pub const ARCH_PRCTL: usize = 158;
pub const OPENAT: usize = 257;
