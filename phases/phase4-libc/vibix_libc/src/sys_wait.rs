//! `<sys/wait.h>`: waiting for children: `wait`, `waitpid`, `wait4`, the
//! options `WNOHANG`, `WUNTRACED`, `WCONTINUED` and the status macros,
//! which decode `vibix_uapi::wait`'s encoding (Linux's): exited is
//! `code << 8`, killed is the signal in the low 7 bits (`| 0x80` with a
//! core dump), stopped is `sig << 8 | 0x7f`, continued is `0xffff`.
//! vibix fills a `struct rusage` with zeros.
//!
//! ```c
//! #define WEXITSTATUS(s) (((s) >> 8) & 0xff)
//! #define WTERMSIG(s) ((s) & 0x7f)
//! #define WSTOPSIG(s) WEXITSTATUS(s)
//! #define WIFEXITED(s) (WTERMSIG(s) == 0)
//! #define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
//! #define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
//! #define WIFCONTINUED(s) ((s) == 0xffff)
//! #define WCOREDUMP(s) ((s) & 0x80)
//! ```

use crate::sys_resource::rusage;
pub use vibix_uapi::wait::{WCONTINUED, WNOHANG, WUNTRACED};
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, pid_t};

/// Waits for any child to end; its status goes to `*status` (if not NULL).
///
/// # Safety
///
/// `status` must be NULL or writable for an `int`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wait(status: *mut c_int) -> pid_t {
    // SAFETY: the caller's contract.
    unsafe { wait4(-1, status, 0, core::ptr::null_mut()) }
}

/// Waits for child `pid` (-1: any; 0 or `< -1`: of a process group) as
/// `options` says; 0 with `WNOHANG` if none has changed state.
///
/// # Safety
///
/// As [`wait`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn waitpid(pid: pid_t, status: *mut c_int, options: c_int) -> pid_t {
    // SAFETY: the caller's contract.
    unsafe { wait4(pid, status, options, core::ptr::null_mut()) }
}

/// [`waitpid`] that also reports the child's resource usage (zeros on
/// vibix) into `*usage` if not NULL.
///
/// # Safety
///
/// `status` and `usage` must be NULL or writable for an `int` and a
/// `struct rusage`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wait4(
    pid: pid_t,
    status: *mut c_int,
    options: c_int,
    usage: *mut rusage,
) -> pid_t {
    // SAFETY: the kernel writes at most an `int` at `status` and a
    // `struct rusage` at `usage`, each only if not NULL.
    ret_int(unsafe { syscall!(nr::WAIT4, pid, status, options, usage) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn statuses_of_children() {
        for code in [0, 1, 42, 255] {
            let pid = crate::unistd::process::fork();
            if pid == 0 {
                crate::unistd::process::_exit(code);
            }
            let mut status = -1;
            let mut usage = rusage {
                ru_maxrss: 99,
                ..rusage::default()
            };
            // SAFETY: both are ours.
            let r = unsafe { wait4(pid, &mut status, 0, &mut usage) };
            assert_eq!(r, pid);
            assert!(libc::WIFEXITED(status));
            assert_eq!(libc::WEXITSTATUS(status), code);
        }
        // No such child: ECHILD, as on the host.
        // SAFETY: NULL status is allowed.
        assert_eq!(unsafe { waitpid(999_999, core::ptr::null_mut(), 0) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::ECHILD);
        assert_eq!(
            (WNOHANG, WUNTRACED, WCONTINUED),
            (libc::WNOHANG, libc::WUNTRACED, libc::WCONTINUED)
        );
    }
}
