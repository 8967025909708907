//! Error numbers, and how a system call's return value becomes a `Result`.
//!
//! A failing system call returns `-errno` in `rax`: a value in
//! `-4095..=-1`, which read as an unsigned `usize` is one of the 4095
//! largest values. Everything else is a success value (a count, a file
//! descriptor, an address: no user address is that close to 2^64).

use core::fmt;

/// A Linux error number, such as [`Errno::EFAULT`] (14).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(u16);

/// Defines the `Errno` constants and the table of their names together.
macro_rules! errnos {
    ($($name:ident = $value:literal,)*) => {
        impl Errno {
            $(pub const $name: Errno = Errno($value);)*

            /// The symbolic name, such as `"EFAULT"`, if this module knows it.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    ENOEXEC = 8,
    EBADF = 9,
    ECHILD = 10,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    EXDEV = 18,
    ENODEV = 19,
    ENOTDIR = 20,
    EISDIR = 21,
    EINVAL = 22,
    ENFILE = 23,
    EMFILE = 24,
    ENOTTY = 25,
    EFBIG = 27,
    ENOSPC = 28,
    ESPIPE = 29,
    EROFS = 30,
    EMLINK = 31,
    EPIPE = 32,
    ERANGE = 34,
    ENAMETOOLONG = 36,
    ENOSYS = 38,
    ENOTEMPTY = 39,
    ELOOP = 40,
}

/// The largest error number a system call can return.
const MAX_ERRNO: usize = 4095;

impl Errno {
    /// Wraps a raw error number.
    pub const fn new(raw: u16) -> Errno {
        Errno(raw)
    }

    /// The raw error number (14 for `EFAULT`).
    pub const fn raw(self) -> u16 {
        self.0
    }

    /// Splits a raw system call return value into success and `-errno`.
    pub const fn from_ret(ret: usize) -> Result<usize, Errno> {
        if ret > usize::MAX - MAX_ERRNO {
            // `ret` is `-errno`: negate it (two's complement) to get errno,
            // which is at most 4095 and so fits the `u16`.
            Err(Errno(ret.wrapping_neg() as u16))
        } else {
            Ok(ret)
        }
    }
}

/// Prints the name (`EFAULT`), or `errno 123` for numbers without one.
impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "errno {}", self.0),
        }
    }
}

/// The same as `Display`, so that `{:?}` of a `Result` reads `Err(EFAULT)`.
impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
