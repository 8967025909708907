//! Opening files and working on descriptors: `open`'s flags, the `*at`
//! calls' directory and flags, `fcntl`'s commands, `flock`'s operations,
//! `lseek`'s whence and the standard descriptors (Linux's
//! `<asm-generic/fcntl.h>`, x86_64 values).

#![allow(missing_docs)]

pub const O_RDONLY: i32 = 0;
pub const O_WRONLY: i32 = 1;
pub const O_RDWR: i32 = 2;
/// The bits of the flags that hold the access mode.
pub const O_ACCMODE: i32 = 3;
pub const O_CREAT: i32 = 0o100;
pub const O_EXCL: i32 = 0o200;
pub const O_NOCTTY: i32 = 0o400;
pub const O_TRUNC: i32 = 0o1000;
pub const O_APPEND: i32 = 0o2000;
pub const O_NONBLOCK: i32 = 0o4000;
pub const O_DIRECTORY: i32 = 0o200000;
pub const O_NOFOLLOW: i32 = 0o400000;
pub const O_CLOEXEC: i32 = 0o2000000;

/// The "directory descriptor" that means the current directory.
pub const AT_FDCWD: i32 = -100;
pub const AT_SYMLINK_NOFOLLOW: i32 = 0x100;
/// `unlinkat`: remove a directory.
pub const AT_REMOVEDIR: i32 = 0x200;
/// `faccessat`: check with the effective ids.
pub const AT_EACCESS: i32 = 0x200;
pub const AT_SYMLINK_FOLLOW: i32 = 0x400;
/// `renameat2`: fail with `EEXIST` rather than replace the target.
pub const RENAME_NOREPLACE: u32 = 1;
/// `renameat2`: swap the two names.
pub const RENAME_EXCHANGE: u32 = 2;
/// `renameat2`: leave a whiteout (overlay file systems).
pub const RENAME_WHITEOUT: u32 = 4;
pub const AT_EMPTY_PATH: i32 = 0x1000;

pub const F_DUPFD: i32 = 0;
pub const F_GETFD: i32 = 1;
pub const F_SETFD: i32 = 2;
pub const F_GETFL: i32 = 3;
pub const F_SETFL: i32 = 4;
pub const F_DUPFD_CLOEXEC: i32 = 1030;
/// The descriptor flag `F_GETFD` and `F_SETFD` read and write.
pub const FD_CLOEXEC: i32 = 1;

/// POSIX record locks (`struct flock`): test, set, set and wait. vibix's
/// kernel does not implement them (`fcntl` answers `EINVAL`); the numbers
/// are Linux's so that C programs that name them compile and see the
/// failure at run time.
pub const F_GETLK: i32 = 5;
pub const F_SETLK: i32 = 6;
pub const F_SETLKW: i32 = 7;
/// `struct flock`'s `l_type`: a read lock, a write lock, no lock.
pub const F_RDLCK: i16 = 0;
pub const F_WRLCK: i16 = 1;
pub const F_UNLCK: i16 = 2;

/// A byte-range lock, as `fcntl`'s `F_GETLK`/`F_SETLK` take it (Linux's
/// x86_64 layout: 32 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flock {
    /// `F_RDLCK`, `F_WRLCK` or `F_UNLCK`.
    pub l_type: i16,
    /// Where `l_start` counts from: `SEEK_SET`, `SEEK_CUR`, `SEEK_END`.
    pub l_whence: i16,
    pub l_start: i64,
    /// Bytes locked; 0 means to the end of the file, however it grows.
    pub l_len: i64,
    /// `F_GETLK`: the process holding a conflicting lock.
    pub l_pid: i32,
}

/// `flock`'s operations: a shared lock, an exclusive lock, unlock; with
/// `LOCK_NB` a conflicting request fails (`EWOULDBLOCK`) instead of
/// waiting.
pub const LOCK_SH: i32 = 1;
pub const LOCK_EX: i32 = 2;
pub const LOCK_NB: i32 = 4;
pub const LOCK_UN: i32 = 8;
/// `flock`: the old "mandatory" lock bit, which Linux now accepts and
/// ignores (the call returns 0 and does nothing).
pub const LOCK_MAND: i32 = 32;

pub const SEEK_SET: i32 = 0;
pub const SEEK_CUR: i32 = 1;
pub const SEEK_END: i32 = 2;

pub const STDIN_FILENO: i32 = 0;
pub const STDOUT_FILENO: i32 = 1;
pub const STDERR_FILENO: i32 = 2;
