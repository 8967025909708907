//! `<unistd.h>`: `syscall`, a system call by number with up to six
//! integer or pointer arguments: the result, or `-1` with `errno` (the
//! numbers are Linux's x86_64 ones, `vibix_uapi::nr`).

use core::ffi::VaList;

use crate::sysret::ret;
use crate::types::c_long;

/// Reads the six argument words (fewer passed: the rest are unused
/// register or stack slots, as with glibc's `syscall`).
///
/// # Safety
///
/// Reading past the arguments passed must be harmless: it is with the
/// x86_64 convention for up to six words.
unsafe fn words(args: &mut VaList<'_>) -> [usize; 6] {
    // SAFETY: the caller's contract.
    unsafe {
        [
            args.next_arg::<usize>(),
            args.next_arg::<usize>(),
            args.next_arg::<usize>(),
            args.next_arg::<usize>(),
            args.next_arg::<usize>(),
            args.next_arg::<usize>(),
        ]
    }
}

/// System call `number` with the arguments that follow.
///
/// # Safety
///
/// Whatever the system call does must be sound for the program: the
/// arguments are passed to the kernel unchecked.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn syscall(number: c_long, mut args: ...) -> c_long {
    // SAFETY: reading six words is harmless on x86_64 (see `words`).
    let [a, b, c, d, e, f] = unsafe { words(&mut args) };
    // SAFETY: the caller vouches for the call.
    ret(unsafe { vibix_uapi::syscall::syscall6(number as usize, a, b, c, d, e, f) }) as c_long
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn by_number() {
        // SAFETY: getpid and getppid take nothing; close(-1) fails cleanly.
        unsafe {
            assert_eq!(
                syscall(vibix_uapi::nr::GETPID as c_long) as i32,
                libc::getpid()
            );
            assert_eq!(syscall(vibix_uapi::nr::CLOSE as c_long, -1i64), -1);
            assert_eq!(vibix_abi::errno::errno(), libc::EBADF);
            let mut buf = [0u8; 8];
            let n = syscall(
                vibix_uapi::nr::GETRANDOM as c_long,
                buf.as_mut_ptr(),
                8usize,
                0u32,
            );
            assert_eq!(n, 8);
            assert_eq!(syscall(100_000), -1);
            assert_eq!(vibix_abi::errno::errno(), libc::ENOSYS);
        }
    }
}
