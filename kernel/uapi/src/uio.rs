//! Vectored I/O: `struct iovec` (16 bytes), one buffer of a `readv` or
//! `writev`, and how many of them one call takes.

use core::ffi::c_void;

/// One buffer: its address and length.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Iovec {
    /// The buffer's first byte.
    pub iov_base: *mut c_void,
    /// Its length in bytes.
    pub iov_len: usize,
}

/// The most buffers one call takes (`UIO_MAXIOV`); more fail with `EINVAL`.
pub const IOV_MAX: usize = 1024;
