//! Error numbers: the Linux x86_64 values, their names and the messages
//! Linux C libraries print for them (the words `io::Error` shows on Linux,
//! so outputs compare), all from one table. A failing system call returns
//! `-errno` in `rax`, a value in `-4095..=-1`; [`Errno::from_ret`] decodes
//! it.

use core::fmt;

/// A Linux error number, such as [`Errno::ENOENT`] (2). Always in
/// `1..=4095`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(u16);

/// Declares, from one table, the raw `i32` constants (`errno::ENOENT`),
/// the [`Errno`] constants (`Errno::ENOENT`), [`ALL`], [`name`] and
/// [`message`].
macro_rules! errnos {
    ($($name:ident = $num:literal, $msg:literal;)*) => {
        $(#[doc = $msg] pub const $name: i32 = $num;)*

        impl Errno {
            $(#[doc = $msg] pub const $name: Errno = Errno($num);)*
        }

        /// Every `(number, name, message)` this crate knows, in increasing
        /// number.
        pub const ALL: &[(i32, &str, &str)] = &[$(($num, stringify!($name), $msg),)*];

        /// The symbolic name of error `n`, such as `"ENOENT"`.
        pub const fn name(n: i32) -> Option<&'static str> {
            match n {
                $($num => Some(stringify!($name)),)*
                _ => None,
            }
        }

        /// What `strerror` says for error `n`, such as
        /// `"No such file or directory"`.
        pub const fn message(n: i32) -> Option<&'static str> {
            match n {
                $($num => Some($msg),)*
                _ => None,
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
    ENXIO = 6, "No such device or address";
    E2BIG = 7, "Argument list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file descriptor";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Resource temporarily unavailable";
    ENOMEM = 12, "Cannot allocate memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    ENOTBLK = 15, "Block device required";
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
    ETXTBSY = 26, "Text file busy";
    EFBIG = 27, "File too large";
    ENOSPC = 28, "No space left on device";
    ESPIPE = 29, "Illegal seek";
    EROFS = 30, "Read-only file system";
    EMLINK = 31, "Too many links";
    EPIPE = 32, "Broken pipe";
    EDOM = 33, "Numerical argument out of domain";
    ERANGE = 34, "Numerical result out of range";
    EDEADLK = 35, "Resource deadlock avoided";
    ENAMETOOLONG = 36, "File name too long";
    ENOLCK = 37, "No locks available";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ELOOP = 40, "Too many levels of symbolic links";
    ENOMSG = 42, "No message of desired type";
    EIDRM = 43, "Identifier removed";
    ECHRNG = 44, "Channel number out of range";
    EL2NSYNC = 45, "Level 2 not synchronized";
    EL3HLT = 46, "Level 3 halted";
    EL3RST = 47, "Level 3 reset";
    ELNRNG = 48, "Link number out of range";
    EUNATCH = 49, "Protocol driver not attached";
    ENOCSI = 50, "No CSI structure available";
    EL2HLT = 51, "Level 2 halted";
    EBADE = 52, "Invalid exchange";
    EBADR = 53, "Invalid request descriptor";
    EXFULL = 54, "Exchange full";
    ENOANO = 55, "No anode";
    EBADRQC = 56, "Invalid request code";
    EBADSLT = 57, "Invalid slot";
    EBFONT = 59, "Bad font file format";
    ENOSTR = 60, "Device not a stream";
    ENODATA = 61, "No data available";
    ETIME = 62, "Timer expired";
    ENOSR = 63, "Out of streams resources";
    ENONET = 64, "Machine is not on the network";
    ENOPKG = 65, "Package not installed";
    EREMOTE = 66, "Object is remote";
    ENOLINK = 67, "Link has been severed";
    EADV = 68, "Advertise error";
    ESRMNT = 69, "Srmount error";
    ECOMM = 70, "Communication error on send";
    EPROTO = 71, "Protocol error";
    EMULTIHOP = 72, "Multihop attempted";
    EDOTDOT = 73, "RFS specific error";
    EBADMSG = 74, "Bad message";
    EOVERFLOW = 75, "Value too large for defined data type";
    ENOTUNIQ = 76, "Name not unique on network";
    EBADFD = 77, "File descriptor in bad state";
    EREMCHG = 78, "Remote address changed";
    ELIBACC = 79, "Can not access a needed shared library";
    ELIBBAD = 80, "Accessing a corrupted shared library";
    ELIBSCN = 81, ".lib section in a.out corrupted";
    ELIBMAX = 82, "Attempting to link in too many shared libraries";
    ELIBEXEC = 83, "Cannot exec a shared library directly";
    EILSEQ = 84, "Invalid or incomplete multibyte or wide character";
    ERESTART = 85, "Interrupted system call should be restarted";
    ESTRPIPE = 86, "Streams pipe error";
    EUSERS = 87, "Too many users";
    ENOTSOCK = 88, "Socket operation on non-socket";
    EDESTADDRREQ = 89, "Destination address required";
    EMSGSIZE = 90, "Message too long";
    EPROTOTYPE = 91, "Protocol wrong type for socket";
    ENOPROTOOPT = 92, "Protocol not available";
    EPROTONOSUPPORT = 93, "Protocol not supported";
    ESOCKTNOSUPPORT = 94, "Socket type not supported";
    EOPNOTSUPP = 95, "Operation not supported";
    EPFNOSUPPORT = 96, "Protocol family not supported";
    EAFNOSUPPORT = 97, "Address family not supported by protocol";
    EADDRINUSE = 98, "Address already in use";
    EADDRNOTAVAIL = 99, "Cannot assign requested address";
    ENETDOWN = 100, "Network is down";
    ENETUNREACH = 101, "Network is unreachable";
    ENETRESET = 102, "Network dropped connection on reset";
    ECONNABORTED = 103, "Software caused connection abort";
    ECONNRESET = 104, "Connection reset by peer";
    ENOBUFS = 105, "No buffer space available";
    EISCONN = 106, "Transport endpoint is already connected";
    ENOTCONN = 107, "Transport endpoint is not connected";
    ESHUTDOWN = 108, "Cannot send after transport endpoint shutdown";
    ETOOMANYREFS = 109, "Too many references: cannot splice";
    ETIMEDOUT = 110, "Connection timed out";
    ECONNREFUSED = 111, "Connection refused";
    EHOSTDOWN = 112, "Host is down";
    EHOSTUNREACH = 113, "No route to host";
    EALREADY = 114, "Operation already in progress";
    EINPROGRESS = 115, "Operation now in progress";
    ESTALE = 116, "Stale file handle";
    EUCLEAN = 117, "Structure needs cleaning";
    ENOTNAM = 118, "Not a XENIX named type file";
    ENAVAIL = 119, "No XENIX semaphores available";
    EISNAM = 120, "Is a named type file";
    EREMOTEIO = 121, "Remote I/O error";
    EDQUOT = 122, "Disk quota exceeded";
    ENOMEDIUM = 123, "No medium found";
    EMEDIUMTYPE = 124, "Wrong medium type";
    ECANCELED = 125, "Operation canceled";
    ENOKEY = 126, "Required key not available";
    EKEYEXPIRED = 127, "Key has expired";
    EKEYREVOKED = 128, "Key has been revoked";
    EKEYREJECTED = 129, "Key was rejected by service";
    EOWNERDEAD = 130, "Owner died";
    ENOTRECOVERABLE = 131, "State not recoverable";
    ERFKILL = 132, "Operation not possible due to RF-kill";
    EHWPOISON = 133, "Memory page has hardware error";
}

/// Another name for [`EAGAIN`], as on Linux.
pub const EWOULDBLOCK: i32 = EAGAIN;

/// The largest error number a system call can return.
pub const MAX_ERRNO: i32 = 4095;

impl Errno {
    /// Another name for [`Errno::EAGAIN`], as on Linux.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;

    /// The error with number `n`, if `n` is a valid error number
    /// (`1..=4095`).
    pub const fn new(n: i32) -> Option<Errno> {
        if n >= 1 && n <= MAX_ERRNO {
            Some(Errno(n as u16))
        } else {
            None
        }
    }

    // ANCHOR: from_ret
    /// Decodes a system call's raw return value (`rax`): `-4095..=-1` is an
    /// error, anything else a success value (a count, a descriptor, an
    /// address: no user address is that close to 2^64).
    pub const fn from_ret(ret: usize) -> Result<usize, Errno> {
        let signed = ret as isize;
        if signed < 0 && signed >= -(MAX_ERRNO as isize) {
            Err(Errno((-signed) as u16))
        } else {
            Ok(ret)
        }
    }
    // ANCHOR_END: from_ret

    /// The number, such as 2 for `ENOENT`.
    pub const fn raw(self) -> i32 {
        self.0 as i32
    }

    /// The symbolic name, such as `"ENOENT"`, if this crate knows it.
    pub const fn name(self) -> Option<&'static str> {
        name(self.raw())
    }

    /// What `strerror` says, if this crate knows the number.
    pub const fn known_message(self) -> Option<&'static str> {
        message(self.raw())
    }

    /// What `strerror` prints: the known message, or `Unknown error N`
    /// (written into `buf`, which must hold 24 bytes).
    pub fn message(self, buf: &mut [u8; 24]) -> &str {
        if let Some(msg) = self.known_message() {
            return msg;
        }
        let mut w = SliceWriter { buf, len: 0 };
        // The buffer holds "Unknown error 4095" with room to spare.
        let _ = fmt::write(&mut w, format_args!("Unknown error {}", self.0));
        let len = w.len;
        // Only ASCII was written.
        core::str::from_utf8(&buf[..len]).unwrap_or("Unknown error")
    }
}

/// The name, such as `EFAULT`, so that `{:?}` of a `Result` reads
/// `Err(EFAULT)`; `Errno(4000)` for a number without one.
impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

/// What `strerror` prints.
impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 24];
        f.write_str(self.message(&mut buf))
    }
}

/// A `fmt::Write` into a fixed buffer (silently truncating).
struct SliceWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.buf.len() - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ret(n: isize) -> usize {
        n as usize
    }

    #[test]
    fn decodes_return_values() {
        assert_eq!(Errno::from_ret(0), Ok(0));
        assert_eq!(Errno::from_ret(42), Ok(42));
        assert_eq!(Errno::from_ret(ret(-2)), Err(Errno::ENOENT));
        assert_eq!(Errno::from_ret(ret(-4095)), Err(Errno(4095)));
        // Below -4095 is not an error: a huge unsigned value (an address).
        assert_eq!(Errno::from_ret(ret(-4096)), Ok(ret(-4096)));
        assert_eq!(Errno::from_ret(ret(isize::MIN)), Ok(ret(isize::MIN)));
    }

    #[test]
    fn names_and_messages() {
        assert_eq!(Errno::ENOENT.raw(), ENOENT);
        assert_eq!(Errno::ENOENT.name(), Some("ENOENT"));
        assert_eq!(
            std::format!("{}", Errno::ENOENT),
            "No such file or directory"
        );
        assert_eq!(std::format!("{:?}", Errno::EFAULT), "EFAULT");
        let odd = Errno::new(4000).unwrap();
        assert_eq!(odd.name(), None);
        assert_eq!(std::format!("{odd}"), "Unknown error 4000");
        assert_eq!(std::format!("{odd:?}"), "Errno(4000)");
        let mut buf = [0; 24];
        assert_eq!(
            Errno::new(4095).unwrap().message(&mut buf),
            "Unknown error 4095"
        );
        assert_eq!(Errno::new(0), None);
        assert_eq!(Errno::new(4096), None);
        assert_eq!(Errno::EWOULDBLOCK, Errno::EAGAIN);
    }

    #[test]
    fn the_table_is_sorted_and_consistent() {
        for pair in ALL.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{pair:?}");
        }
        for &(n, nm, msg) in ALL {
            assert_eq!(name(n), Some(nm));
            assert_eq!(message(n), Some(msg));
            assert_eq!(Errno::new(n).unwrap().name(), Some(nm));
        }
    }
}
