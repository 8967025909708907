//! Linux error numbers.
//!
//! vibix speaks the Linux x86_64 system-call ABI, so a failing system call
//! returns `-errno` with exactly the numbers Linux uses. Inside the kernel,
//! fallible code returns [`KResult`] and the system-call layer turns the
//! [`Errno`] into that negative number with [`Errno::as_i32`].

use core::fmt;

/// The result type of fallible kernel operations.
pub type KResult<T> = Result<T, Errno>;

/// Declares the `Errno` enum together with its number and name tables, so the
/// three can never disagree.
macro_rules! errnos {
    ($($name:ident = $num:literal, $what:literal;)*) => {
        /// A Linux error number (x86_64 values).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(i32)]
        pub enum Errno {
            $(#[doc = $what] $name = $num,)*
        }

        impl Errno {
            /// Every error number, in numeric order.
            pub const ALL: &'static [Errno] = &[$(Errno::$name,)*];

            /// The symbolic name, e.g. `"ENOENT"`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Errno::$name => stringify!($name),)*
                }
            }

            /// A short human description, e.g. `"No such file or directory"`.
            pub fn description(self) -> &'static str {
                match self {
                    $(Errno::$name => $what,)*
                }
            }

            /// The error with number `n`, if vibix knows it.
            pub fn from_i32(n: i32) -> Option<Errno> {
                match n {
                    $($num => Some(Errno::$name),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    EPERM = 1, "Operation not permitted";
    ENOENT = 2, "No such file or directory";
    ESRCH = 3, "No such process";
    EINTR = 4, "Interrupted system call";
    EIO = 5, "Input/output error";
    E2BIG = 7, "Argument list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file descriptor";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Resource temporarily unavailable";
    ENOMEM = 12, "Cannot allocate memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    EBUSY = 16, "Device or resource busy";
    EEXIST = 17, "File exists";
    EXDEV = 18, "Invalid cross-device link";
    ENODEV = 19, "No such device";
    ENOTDIR = 20, "Not a directory";
    EISDIR = 21, "Is a directory";
    EINVAL = 22, "Invalid argument";
    ENFILE = 23, "Too many open files in system";
    EMFILE = 24, "Too many open files";
    ENOTTY = 25, "Inappropriate ioctl for device";
    EFBIG = 27, "File too large";
    ENOSPC = 28, "No space left on device";
    ESPIPE = 29, "Illegal seek";
    EROFS = 30, "Read-only file system";
    EMLINK = 31, "Too many links";
    EPIPE = 32, "Broken pipe";
    ERANGE = 34, "Numerical result out of range";
    ENAMETOOLONG = 36, "File name too long";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ELOOP = 40, "Too many levels of symbolic links";
    EOVERFLOW = 75, "Value too large for defined data type";
}

impl Errno {
    /// The positive error number; a system call returns its negation.
    pub const fn as_i32(self) -> i32 {
        self as i32
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
        // 6 is ENXIO and 26 is ETXTBSY, which vibix does not use.
        for n in [0, -1, 6, 26, 41, 76, i32::MAX, i32::MIN] {
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
