//! vibix: `FileDesc`, an owned descriptor with the I/O every kind of
//! descriptor has (read, write, vectored, positioned, duplicate). Files,
//! pipes and a child's stdio are all `FileDesc`s; `OwnedFd` closes it.

#![unstable(reason = "not public", issue = "none", feature = "fd")]

use vibix_abi::iovec;

use crate::io::{self, BorrowedCursor, IoSlice, IoSliceMut, Read};
use crate::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use crate::sys::{AsInner, FromInner, IntoInner, cvt_abi};

#[derive(Debug)]
pub struct FileDesc(OwnedFd);

impl FileDesc {
    fn raw(&self) -> i32 {
        self.0.as_raw_fd()
    }

    pub fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        cvt_abi(vibix_abi::io::read(self.raw(), buf))
    }

    pub fn read_buf(&self, cursor: BorrowedCursor<'_>) -> io::Result<()> {
        io::default_read_buf(|buf| self.read(buf), cursor)
    }

    pub fn read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        // SAFETY: on vibix an `IoSliceMut` is an `iovec` (`repr(transparent)`)
        // describing a live buffer we may write for as long as `bufs` is
        // borrowed.
        let iov =
            unsafe { crate::slice::from_raw_parts(bufs.as_ptr().cast::<iovec>(), bufs.len()) };
        // SAFETY: every entry describes a buffer exclusively borrowed for
        // this call.
        cvt_abi(unsafe { vibix_abi::fd::readv(self.raw(), iov) })
    }

    #[inline]
    pub fn is_read_vectored(&self) -> bool {
        true
    }

    pub fn read_to_end(&self, buf: &mut Vec<u8>) -> io::Result<usize> {
        let mut me = self;
        (&mut me).read_to_end(buf)
    }

    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        cvt_abi(vibix_abi::fd::read_at(self.raw(), buf, offset))
    }

    pub fn write(&self, buf: &[u8]) -> io::Result<usize> {
        cvt_abi(vibix_abi::io::write(self.raw(), buf))
    }

    pub fn write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        // SAFETY: on vibix an `IoSlice` is an `iovec` (`repr(transparent)`)
        // describing a live, readable buffer.
        let iov =
            unsafe { crate::slice::from_raw_parts(bufs.as_ptr().cast::<iovec>(), bufs.len()) };
        // SAFETY: every entry describes a buffer borrowed for this call.
        cvt_abi(unsafe { vibix_abi::io::writev(self.raw(), iov) })
    }

    #[inline]
    pub fn is_write_vectored(&self) -> bool {
        true
    }

    pub fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<usize> {
        cvt_abi(vibix_abi::fd::write_at(self.raw(), buf, offset))
    }

    pub fn set_cloexec(&self) -> io::Result<()> {
        cvt_abi(vibix_abi::fd::set_cloexec(self.raw(), true))
    }

    pub fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        cvt_abi(vibix_abi::fd::set_nonblocking(self.raw(), nonblocking))
    }

    /// A new descriptor (close-on-exec, above the standard three) for the
    /// same open file description: offset and status flags are shared.
    pub fn duplicate(&self) -> io::Result<FileDesc> {
        let fd = cvt_abi(vibix_abi::fd::duplicate(self.raw(), 3))?;
        // SAFETY: `fd` was just created by the kernel and is owned by no
        // one else.
        Ok(unsafe { FileDesc::from_raw_fd(fd) })
    }

    #[inline]
    pub fn try_clone(&self) -> io::Result<Self> {
        self.duplicate()
    }
}

impl<'a> Read for &'a FileDesc {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (**self).read(buf)
    }

    fn read_buf(&mut self, cursor: BorrowedCursor<'_>) -> io::Result<()> {
        (**self).read_buf(cursor)
    }

    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        (**self).read_vectored(bufs)
    }

    #[inline]
    fn is_read_vectored(&self) -> bool {
        (**self).is_read_vectored()
    }
}

impl AsInner<OwnedFd> for FileDesc {
    #[inline]
    fn as_inner(&self) -> &OwnedFd {
        &self.0
    }
}

impl IntoInner<OwnedFd> for FileDesc {
    fn into_inner(self) -> OwnedFd {
        self.0
    }
}

impl FromInner<OwnedFd> for FileDesc {
    fn from_inner(owned_fd: OwnedFd) -> Self {
        Self(owned_fd)
    }
}

impl AsFd for FileDesc {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

impl AsRawFd for FileDesc {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl IntoRawFd for FileDesc {
    fn into_raw_fd(self) -> RawFd {
        self.0.into_raw_fd()
    }
}

impl FromRawFd for FileDesc {
    unsafe fn from_raw_fd(raw_fd: RawFd) -> Self {
        // SAFETY: the caller hands over ownership of the open `raw_fd`.
        unsafe { Self(FromRawFd::from_raw_fd(raw_fd)) }
    }
}
