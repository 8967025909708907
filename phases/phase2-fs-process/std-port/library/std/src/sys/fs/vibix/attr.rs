//! vibix: what `metadata` reports. `FileAttr` is the kernel's `struct
//! stat`; `FileType` and `FilePermissions` are views of its `st_mode`;
//! `FileTimes` is what `set_times` asks `utimensat` for.

use vibix_abi::fs::{S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, Stat};

use crate::fmt;
use crate::io;
use crate::sys::time::SystemTime;

#[derive(Clone)]
pub struct FileAttr(pub(super) Stat);

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct FileType {
    mode: u32,
}

/// The permission bits (`0o7777`) of `st_mode`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct FilePermissions {
    mode: u32,
}

/// `None` leaves that time as it is (`UTIME_OMIT`).
#[derive(Copy, Clone, Debug, Default)]
pub struct FileTimes {
    pub(super) accessed: Option<SystemTime>,
    pub(super) modified: Option<SystemTime>,
}

impl FileAttr {
    pub fn size(&self) -> u64 {
        self.0.st_size as u64
    }

    pub fn perm(&self) -> FilePermissions {
        FilePermissions {
            mode: self.0.permissions(),
        }
    }

    pub fn file_type(&self) -> FileType {
        FileType {
            mode: self.0.st_mode,
        }
    }

    pub fn modified(&self) -> io::Result<SystemTime> {
        time(self.0.st_mtime, self.0.st_mtime_nsec)
    }

    pub fn accessed(&self) -> io::Result<SystemTime> {
        time(self.0.st_atime, self.0.st_atime_nsec)
    }

    /// Linux's `stat` has no birth time (std asks `statx` there, and a
    /// file system without one answers `Unsupported`); neither has vibix.
    pub fn created(&self) -> io::Result<SystemTime> {
        Err(io::const_error!(
            io::ErrorKind::Unsupported,
            "creation time is not available on this platform currently",
        ))
    }
}

impl fmt::Debug for FileAttr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileAttr")
            .field("mode", &format_args!("{:#o}", self.0.st_mode))
            .field("size", &self.0.st_size)
            .finish_non_exhaustive()
    }
}

fn time(sec: i64, nsec: i64) -> io::Result<SystemTime> {
    SystemTime::from_timespec(sec, nsec).ok_or(io::const_error!(
        io::ErrorKind::InvalidData,
        "file time before 1970"
    ))
}

impl FilePermissions {
    /// Read-only means no write bit for anyone, as on Linux.
    pub fn readonly(&self) -> bool {
        self.mode & 0o222 == 0
    }

    /// Clears every write bit, or (like std on Linux) sets them all.
    pub fn set_readonly(&mut self, readonly: bool) {
        if readonly {
            self.mode &= !0o222;
        } else {
            self.mode |= 0o222;
        }
    }

    pub fn mode(&self) -> u32 {
        self.mode
    }
}

impl FileType {
    pub fn is_dir(&self) -> bool {
        self.mode & S_IFMT == S_IFDIR
    }

    pub fn is_file(&self) -> bool {
        self.mode & S_IFMT == S_IFREG
    }

    pub fn is_symlink(&self) -> bool {
        self.mode & S_IFMT == S_IFLNK
    }

    /// From a directory entry's `d_type` (`DT_*` is `S_IF*` shifted right
    /// by 12, by the ABI's design).
    pub(super) fn from_dirent(kind: u8) -> FileType {
        FileType {
            mode: u32::from(kind) << 12,
        }
    }
}

impl FileTimes {
    pub fn set_accessed(&mut self, t: SystemTime) {
        self.accessed = Some(t);
    }

    pub fn set_modified(&mut self, t: SystemTime) {
        self.modified = Some(t);
    }
}
