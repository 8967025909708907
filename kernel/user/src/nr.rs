//! System call numbers: the Linux x86_64 numbering, which vibix shares.
//!
//! The number goes in `rax` when executing `syscall`. Only the calls the
//! phase-0 programs use are listed.

pub const READ: usize = 0;
pub const WRITE: usize = 1;
pub const OPEN: usize = 2;
pub const CLOSE: usize = 3;
pub const STAT: usize = 4;
pub const FSTAT: usize = 5;
pub const LSTAT: usize = 6;
pub const LSEEK: usize = 8;
pub const MMAP: usize = 9;
pub const MPROTECT: usize = 10;
pub const MUNMAP: usize = 11;
pub const BRK: usize = 12;
pub const ACCESS: usize = 21;
pub const EXIT: usize = 60;
pub const FSYNC: usize = 74;
pub const TRUNCATE: usize = 76;
pub const FTRUNCATE: usize = 77;
pub const MKDIR: usize = 83;
pub const RMDIR: usize = 84;
pub const LINK: usize = 86;
pub const UNLINK: usize = 87;
pub const SYMLINK: usize = 88;
pub const READLINK: usize = 89;
pub const CHMOD: usize = 90;
pub const FCHMOD: usize = 91;
pub const GETUID: usize = 102;
pub const GETGID: usize = 104;
pub const GETEUID: usize = 107;
pub const GETEGID: usize = 108;
pub const ARCH_PRCTL: usize = 158;
pub const GETDENTS64: usize = 217;
pub const OPENAT: usize = 257;
pub const MKDIRAT: usize = 258;
pub const NEWFSTATAT: usize = 262;
pub const UNLINKAT: usize = 263;
pub const FACCESSAT: usize = 269;
