//! Linux error numbers, as the kernel's typed `Result` error.
//!
//! The numbers, names and messages are `vibix_uapi::errno`'s; this module
//! picks the ones the kernel returns. vibix speaks the Linux x86_64
//! system-call ABI, so a failing system call returns `-errno` with exactly
//! the numbers Linux uses. Inside the kernel,
//! fallible code returns [`KResult`] and the system-call layer turns the
//! [`Errno`] into that negative number with [`Errno::as_i32`].

use core::fmt;

use vibix_uapi::errno as uapi;

/// The result type of fallible kernel operations.
pub type KResult<T> = Result<T, Errno>;

/// Declares the `Errno` enum from the names of the errors the kernel
/// returns; each one's number and message come from `vibix_uapi`'s table,
/// the one place they are written.
macro_rules! errnos {
    ($($name:ident,)*) => {
        /// A Linux error number (x86_64 values).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(i32)]
        pub enum Errno {
            $(
                #[allow(missing_docs)]
                $name = uapi::$name,
            )*
        }

        impl Errno {
            /// Every error number the kernel returns, in numeric order.
            pub const ALL: &'static [Errno] = &[$(Errno::$name,)*];

            /// The error with number `n`, if the kernel returns it.
            pub fn from_i32(n: i32) -> Option<Errno> {
                match n {
                    $(uapi::$name => Some(Errno::$name),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    EPERM,
    ENOENT,
    ESRCH,
    EINTR,
    EIO,
    ENXIO,
    E2BIG,
    ENOEXEC,
    EBADF,
    ECHILD,
    EAGAIN,
    ENOMEM,
    EACCES,
    EFAULT,
    EBUSY,
    EEXIST,
    EXDEV,
    ENODEV,
    ENOTDIR,
    EISDIR,
    EINVAL,
    ENFILE,
    EMFILE,
    ENOTTY,
    EFBIG,
    ENOSPC,
    ESPIPE,
    EROFS,
    EMLINK,
    EPIPE,
    ERANGE,
    ENAMETOOLONG,
    ENOSYS,
    ENOTEMPTY,
    ELOOP,
    EOVERFLOW,
    ELIBBAD,
    ETIMEDOUT,
}

impl Errno {
    /// Another name for [`Errno::EAGAIN`], as on Linux (what `flock` with
    /// `LOCK_NB` answers).
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;

    /// The positive error number; a system call returns its negation.
    pub const fn as_i32(self) -> i32 {
        self as i32
    }

    /// The symbolic name, e.g. `"ENOENT"`.
    pub fn name(self) -> &'static str {
        uapi::name(self.as_i32()).unwrap_or("E?")
    }

    /// A short human description, e.g. `"No such file or directory"`.
    pub fn description(self) -> &'static str {
        uapi::message(self.as_i32()).unwrap_or("")
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.description())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn every_error_has_a_name_and_description() {
        for &e in Errno::ALL {
            assert_ne!(e.name(), "E?", "{e:?}");
            assert!(!e.description().is_empty(), "{e:?}");
        }
    }

    #[test]
    fn numbers_match_linux_x86_64() {
        // A few spot checks against <asm-generic/errno-base.h> and errno.h.
        assert_eq!(Errno::EPERM.as_i32(), 1);
        assert_eq!(Errno::ENOENT.as_i32(), 2);
        assert_eq!(Errno::E2BIG.as_i32(), 7);
        assert_eq!(Errno::EFAULT.as_i32(), 14);
        assert_eq!(Errno::EINVAL.as_i32(), 22);
        assert_eq!(Errno::ENAMETOOLONG.as_i32(), 36);
        assert_eq!(Errno::ENOSYS.as_i32(), 38);
        assert_eq!(Errno::ELOOP.as_i32(), 40);
        assert_eq!(Errno::EOVERFLOW.as_i32(), 75);
    }

    #[test]
    fn from_i32_inverts_as_i32() {
        for &e in Errno::ALL {
            assert_eq!(Errno::from_i32(e.as_i32()), Some(e));
        }
    }

    #[test]
    fn unknown_numbers_are_none() {
        // 26 is ETXTBSY, which vibix does not use.
        for n in [0, -1, 26, 41, 76, i32::MAX, i32::MIN] {
            assert_eq!(Errno::from_i32(n), None, "{n}");
        }
    }

    #[test]
    fn all_is_sorted_and_unique() {
        for pair in Errno::ALL.windows(2) {
            assert!(pair[0].as_i32() < pair[1].as_i32(), "{pair:?}");
        }
    }

    #[test]
    fn names_and_display() {
        assert_eq!(Errno::ENOENT.name(), "ENOENT");
        assert_eq!(Errno::E2BIG.name(), "E2BIG");
        assert_eq!(
            Errno::ENOENT.to_string(),
            "ENOENT (No such file or directory)"
        );
    }
}
