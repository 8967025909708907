//! `<sys/ioctl.h>`: `ioctl`, passed on to the kernel; the requests every
//! descriptor answers: `FIONBIO` (non-blocking mode on or off, from an
//! `int`), `FIOCLEX` and `FIONCLEX` (close-on-exec); and the terminal
//! requests vibix's console answers: `TCGETS` (a `struct termios`, all
//! zeros) and `TIOCGWINSZ` (`struct winsize`: 24 rows, 80 columns). Any
//! other request, or a terminal request on a descriptor that is not the
//! console, is `ENOTTY`.

pub use vibix_uapi::ioctl::Winsize as winsize;
pub use vibix_uapi::ioctl::{FIOCLEX, FIONBIO, FIONCLEX, TCGETS, TIOCGWINSZ};
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, c_ulong};

/// Device-specific request `request` on `fd`; the optional third argument
/// (an integer or a pointer) is passed on as it is.
///
/// # Safety
///
/// The third argument must be what `request` expects (for the two
/// requests above, a pointer to a writable `struct termios` or `struct
/// winsize`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ioctl(fd: c_int, request: c_ulong, mut args: ...) -> c_int {
    // SAFETY: a pointer-sized word is read whether or not one was passed,
    // as glibc does: the x86_64 variadic convention makes that read
    // harmless (an unused register slot).
    let arg = unsafe { args.next_arg::<usize>() };
    // SAFETY: the kernel writes through `arg` only what `request` says,
    // which the caller vouches for.
    ret_int(unsafe { syscall!(nr::IOCTL, fd, request, arg) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn not_a_terminal() {
        let mut ws = winsize::default();
        let mut p = [0; 2];
        // SAFETY: `p` holds two ints; `ws` is a writable `struct winsize`.
        unsafe {
            assert_eq!(libc::pipe(p.as_mut_ptr()), 0);
            assert_eq!(ioctl(p[0], TIOCGWINSZ.into(), &raw mut ws), -1);
            assert_eq!(vibix_abi::errno::errno(), libc::ENOTTY);
            assert_eq!(ioctl(-1, TIOCGWINSZ.into(), &raw mut ws), -1);
            assert_eq!(vibix_abi::errno::errno(), libc::EBADF);
            libc::close(p[0]);
            libc::close(p[1]);
        }
        assert_eq!(size_of::<winsize>(), size_of::<libc::winsize>());
    }
}
