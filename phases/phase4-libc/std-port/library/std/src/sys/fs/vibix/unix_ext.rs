//! vibix: what `std::os::unix::fs` asks of the file layer beyond `std::fs`
//! (phase 4 on, when vibix is a Unix): positioned and vectored reads and
//! writes, the raw `struct stat`, and the path operations only Unix has.
//!
//! This file is part of vibix's std port (phase 4), copied into std's
//! source by the vibix runner. The kernel has no `chown`, `mknod` or
//! `chroot` yet, so those answer `Unsupported`, as std does on a Unix
//! that lacks one (VxWorks' `lchown`).

use vibix_abi::fs::Stat;

use super::{File, FileAttr};
use crate::io::{self, BorrowedCursor, IoSlice, IoSliceMut};
use crate::os::fd::RawFd;
use crate::path::Path;
use crate::sys::AsInner;

impl File {
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.as_inner().read_at(buf, offset)
    }

    pub fn read_buf_at(&self, cursor: BorrowedCursor<'_>, offset: u64) -> io::Result<()> {
        io::default_read_buf(|buf| self.read_at(buf, offset), cursor)
    }

    /// The first non-empty buffer, as std's portable `read_vectored` does
    /// (vibix has no `preadv`).
    pub fn read_vectored_at(&self, bufs: &mut [IoSliceMut<'_>], offset: u64) -> io::Result<usize> {
        let buf = bufs
            .iter_mut()
            .find(|b| !b.is_empty())
            .map_or(&mut [][..], |b| &mut **b);
        self.read_at(buf, offset)
    }

    pub fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        self.as_inner().write_at(buf, offset)
    }

    /// The first non-empty buffer (vibix has no `pwritev`).
    pub fn write_vectored_at(&self, bufs: &[IoSlice<'_>], offset: u64) -> io::Result<usize> {
        let buf = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &**b);
        self.write_at(buf, offset)
    }
}

/// `std::os::vibix::fs::MetadataExt` reads the kernel's `struct stat`.
impl AsInner<Stat> for FileAttr {
    #[inline]
    fn as_inner(&self) -> &Stat {
        &self.0
    }
}

/// The path as it is: vibix's path operations take a `Path` and make the C
/// string themselves (Unix's `with_native_path` makes it here).
pub fn with_native_path<T>(path: &Path, f: &dyn Fn(&Path) -> io::Result<T>) -> io::Result<T> {
    f(path)
}

/// std checks, in debug builds, that a descriptor it is handed is open.
pub(crate) fn debug_assert_fd_is_open(fd: RawFd) {
    if cfg!(debug_assertions) && vibix_abi::fd::cloexec(fd) == Err(vibix_abi::Errno::EBADF) {
        rtabort!("IO Safety violation: owned file descriptor already closed");
    }
}

fn unsupported(what: &'static str) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, what))
}

pub fn chown(_path: &Path, _uid: u32, _gid: u32) -> io::Result<()> {
    unsupported("chown is not supported by vibix yet")
}

pub fn fchown(_fd: RawFd, _uid: u32, _gid: u32) -> io::Result<()> {
    unsupported("fchown is not supported by vibix yet")
}

pub fn lchown(_path: &Path, _uid: u32, _gid: u32) -> io::Result<()> {
    unsupported("lchown is not supported by vibix yet")
}

pub fn chroot(_dir: &Path) -> io::Result<()> {
    unsupported("chroot is not supported by vibix yet")
}

pub fn mkfifo(_path: &Path, _mode: u32) -> io::Result<()> {
    unsupported("mkfifo is not supported by vibix yet")
}
