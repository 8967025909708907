//! Error numbers: decoding a system call's return value, the messages
//! `strerror` would give, and the thread-local `errno`.
//!
//! A failing system call returns `-errno` in `rax`: a value in
//! `-4095..=-1`. Everything else is a success value (a count, a descriptor,
//! an address: no user address is that close to 2^64). [`Errno::from_ret`]
//! turns the raw value into a `Result`.

use core::cell::Cell;
use core::ffi::c_int;
use core::fmt;

/// The result of a system-call wrapper.
pub type Result<T> = core::result::Result<T, Errno>;

/// A Linux error number, such as [`Errno::ENOENT`] (2). Always in `1..=4095`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(u16);

/// Defines the constants together with their names and messages, so the
/// three can never disagree.
macro_rules! errnos {
    ($($name:ident = $num:literal, $msg:literal;)*) => {
        impl Errno {
            $(#[doc = $msg] pub const $name: Errno = Errno($num);)*

            /// The symbolic name, such as `"ENOENT"`, if this crate knows it.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($num => Some(stringify!($name)),)*
                    _ => None,
                }
            }

            /// What `strerror` says, such as `"No such file or directory"`,
            /// if this crate knows the number.
            pub fn known_message(self) -> Option<&'static str> {
                match self.0 {
                    $($num => Some($msg),)*
                    _ => None,
                }
            }
        }
    };
}

// The Linux x86_64 numbers, with the messages Linux C libraries print for
// them (the same words `io::Error` shows on Linux, so outputs compare).
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
    ENOSTR = 60, "Device not a stream";
    ENODATA = 61, "No data available";
    ETIME = 62, "Timer expired";
    ENOSR = 63, "Out of streams resources";
    ENOLINK = 67, "Link has been severed";
    EPROTO = 71, "Protocol error";
    EBADMSG = 74, "Bad message";
    EOVERFLOW = 75, "Value too large for defined data type";
    EILSEQ = 84, "Invalid or incomplete multibyte or wide character";
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
    EDQUOT = 122, "Disk quota exceeded";
    ECANCELED = 125, "Operation canceled";
    EOWNERDEAD = 130, "Owner died";
    ENOTRECOVERABLE = 131, "State not recoverable";
}

/// The largest error number a system call can return.
pub const MAX_ERRNO: u16 = 4095;

impl Errno {
    /// Another name for [`Errno::EAGAIN`], as on Linux.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;

    /// The error with number `n`, if `n` is a valid error number
    /// (`1..=4095`).
    pub const fn new(n: i32) -> Option<Errno> {
        if n >= 1 && n <= MAX_ERRNO as i32 {
            Some(Errno(n as u16))
        } else {
            None
        }
    }

    // ANCHOR: from_ret
    /// Decodes a system call's raw return value: `-4095..=-1` is an error,
    /// anything else is a success value.
    pub const fn from_ret(ret: isize) -> Result<usize> {
        if ret < 0 && ret >= -(MAX_ERRNO as isize) {
            Err(Errno((-ret) as u16))
        } else {
            Ok(ret as usize)
        }
    }
    // ANCHOR_END: from_ret

    /// The number, such as 2 for `ENOENT`.
    pub const fn raw(self) -> i32 {
        self.0 as i32
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

    /// Records this error in the calling thread's `errno`, as a C library
    /// function does when it fails.
    pub fn set_as_last(self) {
        set_errno(self.raw());
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name}"),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

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

// ANCHOR: errno_tls
/// The calling thread's `errno`. `#[thread_local]` compiles to an
/// `fs:`-relative access (initial-exec model): the kernel sets up this
/// thread's TLS block from the program's `PT_TLS` before `_start` runs.
#[thread_local]
static ERRNO: Cell<c_int> = Cell::new(0);

/// The address of the calling thread's `errno`, the C ABI's way to reach it
/// (C's `errno` macro is `(*__errno_location())`). Exported unmangled on
/// vibix, where it is the one definition of the symbol, so the linker keeps
/// it and `ERRNO`'s TLS slot (finding T-A6); on the host, the C library
/// already defines it, so the symbol stays Rust's.
#[cfg_attr(target_os = "vibix", unsafe(no_mangle))]
pub extern "C" fn __errno_location() -> *mut c_int {
    ERRNO.as_ptr()
}
// ANCHOR_END: errno_tls

/// The calling thread's `errno`.
pub fn errno() -> c_int {
    ERRNO.get()
}

/// Sets the calling thread's `errno`.
pub fn set_errno(value: c_int) {
    ERRNO.set(value);
}

/// `from_ret`, recording a failure in `errno` as C would.
pub(crate) fn check(ret: isize) -> Result<usize> {
    Errno::from_ret(ret).inspect_err(|e| e.set_as_last())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_return_values() {
        assert_eq!(Errno::from_ret(0), Ok(0));
        assert_eq!(Errno::from_ret(42), Ok(42));
        assert_eq!(Errno::from_ret(-2), Err(Errno::ENOENT));
        assert_eq!(Errno::from_ret(-4095), Err(Errno(4095)));
        // Below -4095 is not an error: a huge unsigned value (an address).
        assert_eq!(Errno::from_ret(-4096), Ok(-4096isize as usize));
        assert_eq!(Errno::from_ret(isize::MIN), Ok(isize::MIN as usize));
    }

    #[test]
    fn names_and_messages() {
        assert_eq!(Errno::ENOENT.raw(), 2);
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
    fn errno_is_per_thread() {
        set_errno(0);
        assert_eq!(check(-9), Err(Errno::EBADF));
        assert_eq!(errno(), 9);
        // SAFETY: the pointer is this thread's live `errno` cell.
        unsafe { *__errno_location() = 5 };
        assert_eq!(errno(), 5);
        assert_eq!(check(3), Ok(3));
        assert_eq!(errno(), 5, "success leaves errno alone");
        let other = std::thread::spawn(|| {
            assert_eq!(errno(), 0, "a new thread starts with errno 0");
            set_errno(7);
            __errno_location().addr()
        })
        .join()
        .unwrap();
        assert_eq!(errno(), 5);
        assert_ne!(other, __errno_location().addr());
    }
}
