//! `<sys/utsname.h>`: `uname` and `struct utsname` (`vibix_uapi`'s: six
//! fields of 65 bytes, glibc's layout).

pub use vibix_uapi::utsname::Utsname as utsname;
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
#[cfg(test)]
use crate::types::c_char;
use crate::types::c_int;

/// Fills `*buf` with the system's names (`sysname` is `vibix` on vibix).
///
/// # Safety
///
/// `buf` must be writable for a `struct utsname`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn uname(buf: *mut utsname) -> c_int {
    // SAFETY: the kernel writes one `struct utsname` at `buf`.
    ret_int(unsafe { syscall!(nr::UNAME, buf) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn same_as_the_host() {
        let mut ours = core::mem::MaybeUninit::<utsname>::zeroed();
        let mut host = core::mem::MaybeUninit::<libc::utsname>::zeroed();
        // SAFETY: both are writable structures of their type.
        unsafe {
            assert_eq!(uname(ours.as_mut_ptr()), 0);
            assert_eq!(libc::uname(host.as_mut_ptr()), 0);
        }
        assert_eq!(size_of::<utsname>(), size_of::<libc::utsname>());
        // SAFETY: both were filled in.
        let (ours, host) = unsafe { (ours.assume_init(), host.assume_init()) };
        let same = |a: [u8; 65], b: [c_char; 65]| a.map(|x| x as c_char) == b;
        assert!(same(ours.sysname, host.sysname));
        assert!(same(ours.release, host.release));
        assert!(same(ours.machine, host.machine));
        // SAFETY: a NULL buffer is refused with EFAULT.
        assert_eq!(unsafe { uname(core::ptr::null_mut()) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EFAULT);
    }
}
