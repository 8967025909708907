//! (internal) A raw system call's result as C returns it: the value, or
//! `-1` with `errno` set from the kernel's `-errno`. The POSIX modules
//! (`<unistd.h>`, `<fcntl.h>`, `<sys/stat.h>`, ...) call the kernel through
//! `vibix_uapi::syscall!` and pass the raw `rax` here.

use vibix_abi::errno::set_errno;
use vibix_uapi::Errno;

use crate::types::{c_int, ssize_t};

/// The raw result `r` as a `ssize_t`: the value, or `-1` with `errno` set.
pub(crate) fn ret(r: usize) -> ssize_t {
    match Errno::from_ret(r) {
        Ok(v) => v as ssize_t,
        Err(e) => {
            set_errno(e.raw());
            -1
        }
    }
}

/// The raw result `r` as an `int` (descriptors, `0`/`-1` results).
pub(crate) fn ret_int(r: usize) -> c_int {
    ret(r) as c_int
}

/// Sets `errno` to `e` and returns `-1` (a failure found before calling
/// the kernel).
pub(crate) fn fail(e: Errno) -> c_int {
    crate::errno::fail(e.raw())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_c() {
        assert_eq!(ret(5), 5);
        assert_eq!(ret(-2isize as usize), -1);
        assert_eq!(vibix_abi::errno::errno(), 2);
        assert_eq!(ret_int(-9isize as usize), -1);
        assert_eq!(vibix_abi::errno::errno(), 9);
        assert_eq!(fail(Errno::EINVAL), -1);
        assert_eq!(vibix_abi::errno::errno(), 22);
    }
}
