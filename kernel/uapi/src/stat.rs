//! File status: `struct stat` as `stat`, `fstat`, `lstat` and
//! `newfstatat` fill it in on x86_64 (144 bytes), the file-type and
//! permission bits of `st_mode`, `access`'s modes, and `utimensat`'s
//! special `tv_nsec` values.

#![allow(missing_docs)]
// The C names of C types (`dev_t`).
#![allow(non_camel_case_types)]

/// The C types of `struct stat`'s fields on x86_64 (`std::os::unix::raw`
/// names them too).
pub type dev_t = u64;
pub type ino_t = u64;
pub type nlink_t = u64;
pub type mode_t = u32;
pub type off_t = i64;
pub type blksize_t = i64;
pub type blkcnt_t = i64;
pub type time_t = i64;

/// `struct stat` (x86_64).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    pub st_dev: dev_t,
    pub st_ino: ino_t,
    pub st_nlink: nlink_t,
    pub st_mode: mode_t,
    pub st_uid: u32,
    pub st_gid: u32,
    pub __pad0: u32,
    pub st_rdev: dev_t,
    pub st_size: off_t,
    pub st_blksize: blksize_t,
    pub st_blocks: blkcnt_t,
    pub st_atime: time_t,
    pub st_atime_nsec: i64,
    pub st_mtime: time_t,
    pub st_mtime_nsec: i64,
    pub st_ctime: time_t,
    pub st_ctime_nsec: i64,
    pub __unused: [i64; 3],
}

/// The bits of `st_mode` that hold the file type.
pub const S_IFMT: u32 = 0o170000;
pub const S_IFSOCK: u32 = 0o140000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFIFO: u32 = 0o010000;
pub const S_ISUID: u32 = 0o4000;
pub const S_ISGID: u32 = 0o2000;
pub const S_ISVTX: u32 = 0o1000;
/// Permission bits: read, write, execute (search) for the owner, the group
/// and others.
pub const S_IRWXU: u32 = 0o700;
pub const S_IRUSR: u32 = 0o400;
pub const S_IWUSR: u32 = 0o200;
pub const S_IXUSR: u32 = 0o100;
pub const S_IRWXG: u32 = 0o070;
pub const S_IRGRP: u32 = 0o040;
pub const S_IWGRP: u32 = 0o020;
pub const S_IXGRP: u32 = 0o010;
pub const S_IRWXO: u32 = 0o007;
pub const S_IROTH: u32 = 0o004;
pub const S_IWOTH: u32 = 0o002;
pub const S_IXOTH: u32 = 0o001;

/// `access`: does the file exist?
pub const F_OK: i32 = 0;
pub const X_OK: i32 = 1;
pub const W_OK: i32 = 2;
pub const R_OK: i32 = 4;

/// `utimensat`: a `tv_nsec` that means "set this time to now" instead of
/// a time.
pub const UTIME_NOW: i64 = (1 << 30) - 1;
/// `utimensat`: a `tv_nsec` that means "leave this time as it is".
pub const UTIME_OMIT: i64 = (1 << 30) - 2;

impl Stat {
    /// The file type bits of `st_mode` (compare with [`S_IFREG`] and so on).
    pub const fn file_type(&self) -> u32 {
        self.st_mode & S_IFMT
    }

    /// The permission bits of `st_mode` (`0o7777`).
    pub const fn permissions(&self) -> u32 {
        self.st_mode & 0o7777
    }
}
