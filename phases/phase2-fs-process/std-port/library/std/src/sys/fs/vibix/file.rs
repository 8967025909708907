//! vibix: `File` and `OpenOptions`. A `File` is a `FileDesc` from
//! `openat`; its operations are the descriptor calls (`ftruncate`, `fsync`,
//! `fdatasync`, `fchmod`, `futimens`, `flock`, `lseek`).

use vibix_abi::fs::{
    LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC,
    O_WRONLY,
};
use vibix_abi::{Errno, fd as abi_fd, fs as abi_fs};

use super::attr::{FileAttr, FilePermissions, FileTimes};
use crate::ffi::CStr;
use crate::fmt;
use crate::fs::TryLockError;
use crate::io::{self, BorrowedCursor, IoSlice, IoSliceMut, SeekFrom};
use crate::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, RawFd};
use crate::path::Path;
use crate::sys::fd::FileDesc;
use crate::sys::helpers::run_path_with_cstr;
use crate::sys::{AsInner, AsInnerMut, FromInner, IntoInner, cvt_abi};

pub struct File(FileDesc);

// ANCHOR: open_options
/// What `OpenOptions` asks for; [`OpenOptions::flags`] turns it into
/// `O_*` flags with std's rules (the same as on Linux).
#[derive(Clone, Debug)]
pub struct OpenOptions {
    read: bool,
    write: bool,
    append: bool,
    truncate: bool,
    create: bool,
    create_new: bool,
    mode: u32,
}

impl OpenOptions {
    pub fn new() -> OpenOptions {
        OpenOptions {
            read: false,
            write: false,
            append: false,
            truncate: false,
            create: false,
            create_new: false,
            mode: 0o666,
        }
    }

    pub fn read(&mut self, read: bool) {
        self.read = read;
    }
    pub fn write(&mut self, write: bool) {
        self.write = write;
    }
    pub fn append(&mut self, append: bool) {
        self.append = append;
    }
    pub fn truncate(&mut self, truncate: bool) {
        self.truncate = truncate;
    }
    pub fn create(&mut self, create: bool) {
        self.create = create;
    }
    pub fn create_new(&mut self, create_new: bool) {
        self.create_new = create_new;
    }

    /// The flags for `openat`, or `InvalidInput` for a combination std
    /// refuses on every platform, with the message std gives on Linux:
    /// no access mode at all, or creating or truncating without a way to
    /// write (truncating an appended file counts, unless `create_new`).
    fn flags(&self) -> io::Result<i32> {
        let writes = self.write || self.append;
        let creates = self.create || self.create_new;
        if !self.read && !writes && !creates && !self.truncate {
            return Err(io::const_error!(
                io::ErrorKind::InvalidInput,
                "must specify at least one of read, write, or append access",
            ));
        }
        let truncates_appended = self.append && self.truncate && !self.create_new;
        if (!writes && (creates || self.truncate)) || truncates_appended {
            return Err(io::const_error!(
                io::ErrorKind::InvalidInput,
                "creating or truncating a file requires write or append access",
            ));
        }
        let access = match (self.read, writes) {
            (true, false) => O_RDONLY,
            (false, true) => O_WRONLY,
            _ => O_RDWR,
        };
        let append = if self.append { O_APPEND } else { 0 };
        let creation = if self.create_new {
            O_CREAT | O_EXCL
        } else {
            (if self.create { O_CREAT } else { 0 }) | (if self.truncate { O_TRUNC } else { 0 })
        };
        Ok(access | append | creation)
    }
}
// ANCHOR_END: open_options

impl File {
    pub fn open(path: &Path, opts: &OpenOptions) -> io::Result<File> {
        run_path_with_cstr(path, &|path| File::open_c(path, opts))
    }

    pub fn open_c(path: &CStr, opts: &OpenOptions) -> io::Result<File> {
        let fd = cvt_abi(abi_fs::open(path, opts.flags()?, opts.mode))?;
        // SAFETY: `openat` just created `fd`; nothing else owns it.
        Ok(File(unsafe { FileDesc::from_raw_fd(fd) }))
    }

    fn raw(&self) -> i32 {
        self.0.as_raw_fd()
    }

    pub fn file_attr(&self) -> io::Result<FileAttr> {
        cvt_abi(abi_fs::fstat(self.raw())).map(FileAttr)
    }

    pub fn fsync(&self) -> io::Result<()> {
        cvt_abi(abi_fs::sync_all(self.raw()))
    }

    pub fn datasync(&self) -> io::Result<()> {
        cvt_abi(abi_fs::sync_data(self.raw()))
    }

    // ANCHOR: lock
    pub fn lock(&self) -> io::Result<()> {
        cvt_abi(abi_fs::flock(self.raw(), LOCK_EX))
    }

    pub fn lock_shared(&self) -> io::Result<()> {
        cvt_abi(abi_fs::flock(self.raw(), LOCK_SH))
    }

    pub fn try_lock(&self) -> Result<(), TryLockError> {
        try_flock(self.raw(), LOCK_EX)
    }

    pub fn try_lock_shared(&self) -> Result<(), TryLockError> {
        try_flock(self.raw(), LOCK_SH)
    }

    pub fn unlock(&self) -> io::Result<()> {
        cvt_abi(abi_fs::flock(self.raw(), LOCK_UN))
    }
    // ANCHOR_END: lock

    pub fn truncate(&self, size: u64) -> io::Result<()> {
        let size: i64 = size
            .try_into()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        cvt_abi(abi_fs::truncate(self.raw(), size as u64))
    }

    pub fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }

    pub fn read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.0.read_vectored(bufs)
    }

    #[inline]
    pub fn is_read_vectored(&self) -> bool {
        self.0.is_read_vectored()
    }

    pub fn read_buf(&self, cursor: BorrowedCursor<'_>) -> io::Result<()> {
        self.0.read_buf(cursor)
    }

    pub fn write(&self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    pub fn write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.0.write_vectored(bufs)
    }

    #[inline]
    pub fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }

    pub fn flush(&self) -> io::Result<()> {
        Ok(())
    }

    pub fn seek(&self, pos: SeekFrom) -> io::Result<u64> {
        let (offset, whence) = match pos {
            // Linux takes a signed offset: a start past i64::MAX is EINVAL
            // there too, because it arrives negative.
            SeekFrom::Start(off) => (off as i64, abi_fd::SEEK_SET),
            SeekFrom::End(off) => (off, abi_fd::SEEK_END),
            SeekFrom::Current(off) => (off, abi_fd::SEEK_CUR),
        };
        cvt_abi(abi_fd::seek(self.raw(), offset, whence))
    }

    pub fn size(&self) -> Option<io::Result<u64>> {
        None
    }

    pub fn tell(&self) -> io::Result<u64> {
        self.seek(SeekFrom::Current(0))
    }

    pub fn duplicate(&self) -> io::Result<File> {
        self.0.duplicate().map(File)
    }

    pub fn set_permissions(&self, perm: FilePermissions) -> io::Result<()> {
        cvt_abi(abi_fs::set_mode(self.raw(), perm.mode()))
    }

    pub fn set_times(&self, times: FileTimes) -> io::Result<()> {
        let (a, m) = (times.accessed.map(timespec), times.modified.map(timespec));
        cvt_abi(abi_fs::set_times(self.raw(), a, m))
    }
}

/// A `SystemTime` as the kernel's `struct timespec`.
pub(super) fn timespec(t: crate::sys::time::SystemTime) -> abi_fs::Timespec {
    let (tv_sec, tv_nsec) = t.to_timespec();
    abi_fs::Timespec { tv_sec, tv_nsec }
}

/// `flock` with `LOCK_NB`: held elsewhere is `WouldBlock`, as on Linux.
fn try_flock(fd: i32, op: i32) -> Result<(), TryLockError> {
    match abi_fs::flock(fd, op | LOCK_NB) {
        Ok(()) => Ok(()),
        Err(Errno::EAGAIN) => Err(TryLockError::WouldBlock),
        Err(e) => Err(TryLockError::Error(io::Error::from_raw_os_error(e.raw()))),
    }
}

impl AsInner<FileDesc> for File {
    #[inline]
    fn as_inner(&self) -> &FileDesc {
        &self.0
    }
}

impl AsInnerMut<FileDesc> for File {
    #[inline]
    fn as_inner_mut(&mut self) -> &mut FileDesc {
        &mut self.0
    }
}

impl IntoInner<FileDesc> for File {
    fn into_inner(self) -> FileDesc {
        self.0
    }
}

impl FromInner<FileDesc> for File {
    fn from_inner(file_desc: FileDesc) -> Self {
        Self(file_desc)
    }
}

impl AsFd for File {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

impl AsRawFd for File {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl IntoRawFd for File {
    fn into_raw_fd(self) -> RawFd {
        self.0.into_raw_fd()
    }
}

impl FromRawFd for File {
    unsafe fn from_raw_fd(raw_fd: RawFd) -> Self {
        // SAFETY: the caller hands over ownership of the open `raw_fd`.
        Self(unsafe { FromRawFd::from_raw_fd(raw_fd) })
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File").field("fd", &self.raw()).finish()
    }
}
