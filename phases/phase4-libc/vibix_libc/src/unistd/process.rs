//! `<unistd.h>`: the process: `fork`, `vfork` (a plain `fork` on vibix,
//! which POSIX allows), `_exit`, and who it is: `getpid`,
//! `getppid`, `gettid`, `getuid`, `geteuid`, `getgid`, `getegid` (vibix
//! runs everything as root: the four id calls answer 0).

use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, gid_t, pid_t, uid_t};

/// Makes a copy of the calling process: 0 in the child, the child's id in
/// the parent, `-1` with `errno` if it failed. Only the calling thread is
/// copied.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fork() -> pid_t {
    // The heap's lock is held across the copy, so that no other thread is
    // half-way through `malloc` in the child's copy of the heap (only the
    // calling thread goes on in the child).
    use crate::pthread::atfork::{Stage, run};
    run(Stage::Prepare);
    let pid = crate::stdlib::malloc::with_heap_locked(|| {
        // SAFETY: `fork` copies the address space; it writes nothing of ours.
        ret_int(unsafe { syscall!(nr::FORK) })
    });
    if pid == 0 {
        crate::pthread::thread::forked_child();
        run(Stage::Child);
    } else {
        run(Stage::Parent);
    }
    pid
}

/// [`fork`]: vibix has no `vfork`, and a copy is a correct one (the
/// child may do more than `vfork` allows, never less).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn vfork() -> pid_t {
    fork()
}

/// Ends the process at once with `status`: no `atexit` handlers, no
/// flushing of streams.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn _exit(status: c_int) -> ! {
    vibix_abi::process::exit(status)
}

/// The calling process's id.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getpid() -> pid_t {
    crate::errno::ret(vibix_abi::process::getpid()) as pid_t
}

/// The parent process's id.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getppid() -> pid_t {
    // SAFETY: `getppid` has no arguments and cannot fail.
    ret_int(unsafe { syscall!(nr::GETPPID) })
}

/// The calling thread's id (the process id for the main thread).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn gettid() -> pid_t {
    // SAFETY: `gettid` has no arguments and cannot fail.
    ret_int(unsafe { syscall!(nr::GETTID) })
}

/// The real user id.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getuid() -> uid_t {
    // SAFETY: `getuid` has no arguments and cannot fail.
    unsafe { syscall!(nr::GETUID) as uid_t }
}

/// The effective user id.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn geteuid() -> uid_t {
    // SAFETY: `geteuid` has no arguments and cannot fail.
    unsafe { syscall!(nr::GETEUID) as uid_t }
}

/// The real group id.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getgid() -> gid_t {
    // SAFETY: `getgid` has no arguments and cannot fail.
    unsafe { syscall!(nr::GETGID) as gid_t }
}

/// The effective group id.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getegid() -> gid_t {
    // SAFETY: `getegid` has no arguments and cannot fail.
    unsafe { syscall!(nr::GETEGID) as gid_t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn ids_match_the_host() {
        // SAFETY: the host's id calls have no preconditions.
        unsafe {
            assert_eq!(getpid(), libc::getpid());
            assert_eq!(getppid(), libc::getppid());
            assert_eq!(gettid(), libc::gettid());
            assert_eq!(getuid(), libc::getuid());
            assert_eq!(geteuid(), libc::geteuid());
            assert_eq!(getgid(), libc::getgid());
            assert_eq!(getegid(), libc::getegid());
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn fork_and_exit_status() {
        let pid = fork();
        assert!(pid >= 0);
        if pid == 0 {
            _exit(7);
        }
        let mut status = 0;
        // SAFETY: `status` is ours; `pid` is our child.
        let r = unsafe { libc::waitpid(pid, &mut status, 0) };
        assert_eq!(r, pid);
        assert!(libc::WIFEXITED(status));
        assert_eq!(libc::WEXITSTATUS(status), 7);
    }
}
