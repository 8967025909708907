//! `<stdlib.h>`: running a shell command: `system`.
//!
//! `system(cmd)` starts `/bin/sh -c cmd` (with `posix_spawn`) and waits for
//! it, glibc's way: meanwhile the caller ignores `SIGINT` and `SIGQUIT`
//! and blocks `SIGCHLD`, while the shell starts with those two at their
//! default action and the caller's original mask. The result is the
//! shell's wait status; if the shell cannot be started at all, the status
//! of a shell that exited with 127. `system(NULL)` asks whether a shell is
//! there: it runs `exit 0` and answers 1 if that worked. (vibix's
//! initramfs has no `/bin/sh`: there `system(NULL)` is 0.)

use core::ptr;

use vibix_uapi::Errno;
use vibix_uapi::signal::SIG_IGN;

use crate::signal::{SIG_BLOCK, SIG_SETMASK, SIGCHLD, SIGINT, SIGQUIT, sighandler_t, sigset_t};
use crate::spawn::{POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETSIGMASK, posix_spawnattr_t};
use crate::types::{c_char, c_int, c_void, pid_t};

/// The shell commands run with.
pub(crate) const SHELL: &core::ffi::CStr = c"/bin/sh";

/// Starts `/bin/sh -c cmd`: its pid, or the error number.
///
/// # Safety
///
/// `cmd` is a NUL-terminated string; `actions` and `attr` NULL or
/// initialized.
pub(crate) unsafe fn spawn_shell(
    cmd: *const c_char,
    actions: *const crate::spawn::posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
) -> Result<pid_t, c_int> {
    let argv: [*mut c_char; 4] = [
        c"sh".as_ptr().cast_mut(),
        c"-c".as_ptr().cast_mut(),
        cmd.cast_mut(),
        ptr::null_mut(),
    ];
    let mut pid: pid_t = 0;
    // SAFETY: `argv` is NULL-terminated, `environ` the program's
    // environment; the caller's `actions` and `attr`.
    let err = unsafe {
        crate::spawn::posix_spawn(
            &raw mut pid,
            SHELL.as_ptr(),
            actions,
            attr,
            argv.as_ptr(),
            crate::stdlib::env::environ,
        )
    };
    if err == 0 { Ok(pid) } else { Err(err) }
}

/// Waits for `pid` to end (through `EINTR`): its wait status, or -1.
pub(crate) fn wait_for(pid: pid_t) -> c_int {
    let mut status: c_int = 0;
    loop {
        // SAFETY: `status` is writable.
        let r = unsafe { crate::sys_wait::waitpid(pid, &raw mut status, 0) };
        if r == pid {
            return status;
        }
        if r < 0 && vibix_abi::errno::errno() != Errno::EINTR.raw() {
            return -1;
        }
    }
}

/// Runs `cmd` with the shell and returns its wait status (see the module
/// comment); with a NULL `cmd`, whether a shell is available.
///
/// # Safety
///
/// `cmd` must be NULL or a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn system(cmd: *const c_char) -> c_int {
    if cmd.is_null() {
        // SAFETY: a NUL-terminated command.
        return c_int::from(unsafe { system(c"exit 0".as_ptr()) } == 0);
    }
    // SAFETY: `SIG_IGN` is 1, which C's `SIG_IGN` is too.
    let ignore = unsafe { core::mem::transmute::<usize, sighandler_t>(SIG_IGN) };
    // SAFETY: ignoring two signals; the old handlers come back below.
    let (old_int, old_quit) = unsafe {
        (
            crate::signal::signal(SIGINT, ignore),
            crate::signal::signal(SIGQUIT, ignore),
        )
    };
    let mut chld = sigset_t { __val: [0; 16] };
    let mut old_mask = sigset_t { __val: [0; 16] };
    // SAFETY: valid sets.
    unsafe {
        crate::signal::sigaddset(&raw mut chld, SIGCHLD);
        crate::signal::sigprocmask(SIG_BLOCK, &raw const chld, &raw mut old_mask);
    }
    let mut defaults = sigset_t { __val: [0; 16] };
    // SAFETY: a valid set.
    unsafe {
        crate::signal::sigaddset(&raw mut defaults, SIGINT);
        crate::signal::sigaddset(&raw mut defaults, SIGQUIT);
    }
    let mut attr = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    let attr = attr.as_mut_ptr();
    // SAFETY: `attr` is ours to initialize and fill; the sets are whole
    // `sigset_t`s.
    let status = unsafe {
        crate::spawn::posix_spawnattr_init(attr);
        crate::spawn::posix_spawnattr_setsigdefault(attr, (&raw const defaults).cast::<c_void>());
        crate::spawn::posix_spawnattr_setsigmask(attr, (&raw const old_mask).cast::<c_void>());
        crate::spawn::posix_spawnattr_setflags(
            attr,
            (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) as i16,
        );
        match spawn_shell(cmd, ptr::null(), attr) {
            Ok(pid) => wait_for(pid),
            // A shell that could not run: as if it had exited with 127.
            Err(_) => 127 << 8,
        }
    };
    // SAFETY: putting back what was there.
    unsafe {
        crate::spawn::posix_spawnattr_destroy(attr);
        crate::signal::sigprocmask(SIG_SETMASK, &raw const old_mask, ptr::null_mut());
        crate::signal::signal(SIGINT, old_int);
        crate::signal::signal(SIGQUIT, old_quit);
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "starts the host's /bin/sh")]
    fn statuses_like_the_hosts() {
        for cmd in [
            c"exit 0",
            c"exit 3",
            c"true",
            c"kill -TERM $$",
            c"/nonexistent/program",
            c"echo from system's shell",
        ] {
            // SAFETY: NUL-terminated commands.
            let (ours, host) = unsafe { (system(cmd.as_ptr()), libc::system(cmd.as_ptr())) };
            assert_eq!(ours, host, "system({cmd:?})");
        }
        // SAFETY: NULL asks for the shell.
        assert_eq!(unsafe { system(ptr::null()) }, 1);
        // SAFETY: as above.
        assert_eq!(unsafe { libc::system(ptr::null()) }, 1);
    }
}
