//! The file tree: opening files, their status (`struct stat`), changing
//! their size, permissions and contents' durability, and the operations on
//! names (make and remove directories, unlink, rename, links). Paths are
//! `&CStr`: std turns a `Path` into a C string once, on its side.
//! Directory listings are in [`dir`](crate::dir).

use core::ffi::CStr;
use core::mem::MaybeUninit;

use crate::errno::{Result, check};
use crate::{nr, syscall};
use vibix_uapi::fcntl::{AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW};

pub use vibix_uapi::fcntl::{
    O_ACCMODE, O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_TRUNC,
    O_WRONLY,
};
use vibix_uapi::stat::UTIME_OMIT;
pub use vibix_uapi::stat::{F_OK, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, Stat};
pub use vibix_uapi::stat::{blkcnt_t, blksize_t, dev_t, ino_t, mode_t, nlink_t, off_t, time_t};
pub use vibix_uapi::time::Timespec;

/// Opens (or with [`O_CREAT`], creates with permissions `mode` less the
/// umask) the file at `path`; the descriptor is always close-on-exec, as
/// std's descriptors are.
pub fn open(path: &CStr, flags: i32, mode: u32) -> Result<i32> {
    let flags = flags | vibix_uapi::fcntl::O_CLOEXEC;
    // SAFETY: `path` is NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::OPENAT, AT_FDCWD, path.as_ptr(), flags, mode) }).map(|fd| fd as i32)
}

/// The status of the file `fd` refers to.
pub fn fstat(fd: i32) -> Result<Stat> {
    let mut st = MaybeUninit::<Stat>::uninit();
    // SAFETY: the kernel fills in the whole `struct stat` on success.
    check(unsafe { syscall!(nr::FSTAT, fd, st.as_mut_ptr()) })?;
    // SAFETY: `fstat` succeeded, so every field was written.
    Ok(unsafe { st.assume_init() })
}

/// The status of the file at `path`; with `follow` false a symbolic link's
/// own (`lstat`).
pub fn stat(path: &CStr, follow: bool) -> Result<Stat> {
    let flags = if follow { 0 } else { AT_SYMLINK_NOFOLLOW };
    let mut st = MaybeUninit::<Stat>::uninit();
    // SAFETY: `path` is NUL-terminated; the kernel fills in the whole
    // `struct stat` on success.
    check(unsafe {
        syscall!(
            nr::NEWFSTATAT,
            AT_FDCWD,
            path.as_ptr(),
            st.as_mut_ptr(),
            flags
        )
    })?;
    // SAFETY: `newfstatat` succeeded, so every field was written.
    Ok(unsafe { st.assume_init() })
}

/// Sets the size of the file `fd` refers to (cutting or zero-extending).
pub fn truncate(fd: i32, size: u64) -> Result<()> {
    // SAFETY: `ftruncate` touches no memory of ours.
    check(unsafe { syscall!(nr::FTRUNCATE, fd, size) }).map(drop)
}

/// Flushes the file's data and metadata to its storage (`fsync`).
pub fn sync_all(fd: i32) -> Result<()> {
    // SAFETY: `fsync` touches no memory of ours.
    check(unsafe { syscall!(nr::FSYNC, fd) }).map(drop)
}

/// Flushes the file's data (`fdatasync`).
pub fn sync_data(fd: i32) -> Result<()> {
    // SAFETY: `fdatasync` touches no memory of ours.
    check(unsafe { syscall!(nr::FDATASYNC, fd) }).map(drop)
}

/// Sets the permission bits of the file `fd` refers to.
pub fn set_mode(fd: i32, mode: u32) -> Result<()> {
    // SAFETY: `fchmod` touches no memory of ours.
    check(unsafe { syscall!(nr::FCHMOD, fd, mode) }).map(drop)
}

/// Sets the permission bits of the file at `path`.
pub fn set_mode_at(path: &CStr, mode: u32) -> Result<()> {
    // SAFETY: `path` is NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::CHMOD, path.as_ptr(), mode) }).map(drop)
}

/// Creates the directory `path` with permissions `mode` less the umask.
pub fn mkdir(path: &CStr, mode: u32) -> Result<()> {
    // SAFETY: `path` is NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::MKDIRAT, AT_FDCWD, path.as_ptr(), mode) }).map(drop)
}

/// Removes the empty directory `path`.
pub fn rmdir(path: &CStr) -> Result<()> {
    // SAFETY: `path` is NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::UNLINKAT, AT_FDCWD, path.as_ptr(), AT_REMOVEDIR) }).map(drop)
}

/// Removes the name `path` (not a directory).
pub fn unlink(path: &CStr) -> Result<()> {
    // SAFETY: `path` is NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::UNLINKAT, AT_FDCWD, path.as_ptr(), 0) }).map(drop)
}

/// Renames `old` to `new`, replacing `new` if it exists (and may be replaced).
pub fn rename(old: &CStr, new: &CStr) -> Result<()> {
    // SAFETY: both paths are NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::RENAME, old.as_ptr(), new.as_ptr()) }).map(drop)
}

/// Makes `new` another name of the file `original` (a hard link).
pub fn link(original: &CStr, new: &CStr) -> Result<()> {
    // SAFETY: both paths are NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::LINK, original.as_ptr(), new.as_ptr()) }).map(drop)
}

/// Creates the symbolic link `link` pointing at `target`.
pub fn symlink(target: &CStr, link: &CStr) -> Result<()> {
    // SAFETY: both paths are NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::SYMLINK, target.as_ptr(), link.as_ptr()) }).map(drop)
}

/// Reads the target of the symbolic link `path` into `buf`; returns its
/// length. A target as long as `buf` may have been cut: call again with a
/// bigger buffer.
pub fn readlink(path: &CStr, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `path` is NUL-terminated; the kernel writes at most
    // `buf.len()` bytes into `buf`.
    check(unsafe { syscall!(nr::READLINK, path.as_ptr(), buf.as_mut_ptr(), buf.len()) })
}

/// Whether `path` names something (`access(F_OK)`, following links).
pub fn access(path: &CStr, mode: i32) -> Result<()> {
    // SAFETY: `path` is NUL-terminated and only read by the kernel.
    check(unsafe { syscall!(nr::ACCESS, path.as_ptr(), mode) }).map(drop)
}

/// `flock` operations.
pub use vibix_uapi::fcntl::{LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN};

/// Takes, converts or drops an advisory lock on the open file description
/// (`flock`; `op` is [`LOCK_SH`], [`LOCK_EX`] or [`LOCK_UN`], with
/// [`LOCK_NB`] to fail with `EWOULDBLOCK` instead of waiting).
pub fn flock(fd: i32, op: i32) -> Result<()> {
    // SAFETY: `flock` touches no memory of ours.
    check(unsafe { syscall!(nr::FLOCK, fd, op) }).map(drop)
}

/// The two times `utimensat` takes, access then modification; `None`
/// leaves a time as it is (`UTIME_OMIT`).
fn times(accessed: Option<Timespec>, modified: Option<Timespec>) -> [Timespec; 2] {
    let omit = Timespec {
        tv_sec: 0,
        tv_nsec: UTIME_OMIT,
    };
    [accessed.unwrap_or(omit), modified.unwrap_or(omit)]
}

/// Sets the access and modification times of the file `fd` refers to
/// (`futimens`, which is `utimensat` with no path).
pub fn set_times(fd: i32, accessed: Option<Timespec>, modified: Option<Timespec>) -> Result<()> {
    let ts = times(accessed, modified);
    let no_path: *const u8 = core::ptr::null();
    // SAFETY: the kernel reads the two `timespec`s of `ts`; a null path
    // means `fd` itself.
    check(unsafe { syscall!(nr::UTIMENSAT, fd, no_path, ts.as_ptr(), 0) }).map(drop)
}

/// Sets the access and modification times of the file at `path` (of the
/// link itself if `follow` is false).
pub fn set_times_at(
    path: &CStr,
    follow: bool,
    accessed: Option<Timespec>,
    modified: Option<Timespec>,
) -> Result<()> {
    let ts = times(accessed, modified);
    let flags = if follow { 0 } else { AT_SYMLINK_NOFOLLOW };
    // SAFETY: `path` is NUL-terminated; the kernel reads it and the two
    // `timespec`s of `ts`.
    check(unsafe { syscall!(nr::UTIMENSAT, AT_FDCWD, path.as_ptr(), ts.as_ptr(), flags) }).map(drop)
}
