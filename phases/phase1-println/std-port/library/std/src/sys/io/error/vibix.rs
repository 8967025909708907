//! vibix: OS errors are Linux error numbers. `errno` is `vibix_abi`'s
//! thread-local; the messages are what `strerror` prints on Linux, so an
//! `io::Error` reads the same on both.

use vibix_abi::Errno;

use crate::io;

pub fn errno() -> i32 {
    vibix_abi::errno::errno()
}

#[inline]
pub fn is_interrupted(errno: i32) -> bool {
    errno == Errno::EINTR.raw()
}

// ANCHOR: decode
pub fn decode_error_kind(errno: i32) -> io::ErrorKind {
    use io::ErrorKind::*;
    let Some(e) = Errno::new(errno) else {
        return Uncategorized;
    };
    match e {
        Errno::E2BIG => ArgumentListTooLong,
        Errno::EADDRINUSE => AddrInUse,
        Errno::EADDRNOTAVAIL => AddrNotAvailable,
        Errno::EBUSY => ResourceBusy,
        Errno::ECONNABORTED => ConnectionAborted,
        Errno::ECONNREFUSED => ConnectionRefused,
        Errno::ECONNRESET => ConnectionReset,
        Errno::EDEADLK => Deadlock,
        Errno::EDQUOT => QuotaExceeded,
        Errno::EEXIST => AlreadyExists,
        Errno::EFBIG => FileTooLarge,
        Errno::EHOSTUNREACH => HostUnreachable,
        Errno::EINTR => Interrupted,
        Errno::EINVAL => InvalidInput,
        Errno::EISDIR => IsADirectory,
        Errno::ELOOP => FilesystemLoop,
        Errno::ENOENT => NotFound,
        Errno::ENOMEM => OutOfMemory,
        Errno::ENOSPC => StorageFull,
        Errno::ENOSYS => Unsupported,
        Errno::EMLINK => TooManyLinks,
        Errno::ENAMETOOLONG => InvalidFilename,
        Errno::ENETDOWN => NetworkDown,
        Errno::ENETUNREACH => NetworkUnreachable,
        Errno::ENOTCONN => NotConnected,
        Errno::ENOTDIR => NotADirectory,
        Errno::ENOTEMPTY => DirectoryNotEmpty,
        Errno::EPIPE => BrokenPipe,
        Errno::EROFS => ReadOnlyFilesystem,
        Errno::ESPIPE => NotSeekable,
        Errno::ESTALE => StaleNetworkFileHandle,
        Errno::ETIMEDOUT => TimedOut,
        Errno::ETXTBSY => ExecutableFileBusy,
        Errno::EXDEV => CrossesDevices,
        Errno::EINPROGRESS => InProgress,
        Errno::EOPNOTSUPP => Unsupported,
        Errno::EACCES | Errno::EPERM => PermissionDenied,
        Errno::EAGAIN => WouldBlock,
        _ => Uncategorized,
    }
}
// ANCHOR_END: decode

pub fn error_string(errno: i32) -> String {
    match Errno::new(errno) {
        Some(e) => e.to_string(),
        None => format!("Unknown error {errno}"),
    }
}
