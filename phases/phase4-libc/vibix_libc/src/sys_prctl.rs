//! `<sys/prctl.h>`: `prctl`, operations on the process (Linux's; the
//! `caps` crate asks it about capabilities). Passed to the kernel, which
//! on vibix has no `prctl` yet and answers `ENOSYS`.

use core::ffi::VaList;

use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::c_int;

/// Operation `option` with up to four `unsigned long` arguments.
///
/// # Safety
///
/// The arguments must be what `option` takes (pointers it writes through
/// must be writable).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn prctl(option: c_int, mut args: ...) -> c_int {
    // SAFETY: the caller passed the arguments `option` takes; like C
    // libraries, the four words are read whatever the option (an option
    // with fewer leaves the rest unread by the kernel).
    unsafe { call(option, &mut args) }
}

/// [`prctl`] with its variadic arguments.
///
/// # Safety
///
/// As [`prctl`]'s.
unsafe fn call(option: c_int, args: &mut VaList<'_>) -> c_int {
    // SAFETY: the caller's contract.
    let a: [u64; 4] = unsafe {
        [
            args.next_arg::<u64>(),
            args.next_arg::<u64>(),
            args.next_arg::<u64>(),
            args.next_arg::<u64>(),
        ]
    };
    // SAFETY: the kernel reads and writes as `option` says.
    ret_int(unsafe { syscall!(nr::PRCTL, option, a[0], a[1], a[2], a[3]) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn same_as_the_host() {
        // PR_CAPBSET_READ of CAP_CHOWN (0): 1 or 0, as the host says.
        // SAFETY: PR_CAPBSET_READ reads its one argument as a number.
        let (ours, host) = unsafe {
            (
                prctl(libc::PR_CAPBSET_READ, 0u64, 0u64, 0u64, 0u64),
                libc::prctl(libc::PR_CAPBSET_READ, 0u64, 0u64, 0u64, 0u64),
            )
        };
        assert_eq!(ours, host);
        // SAFETY: an unknown option is refused.
        assert_eq!(unsafe { prctl(-1, 0u64, 0u64, 0u64, 0u64) }, -1);
        assert_eq!(crate::testutil::our_errno(), libc::EINVAL);
    }
}
