//! `<stdio.h>`: a stream on a shell command: `popen`, `pclose`.
//!
//! `popen(cmd, "r")` starts `/bin/sh -c cmd` (as `system` does) with its
//! standard output on a pipe and returns a stream reading the other end;
//! `"w"` feeds its standard input instead. An `e` in the mode makes the
//! stream's descriptor close-on-exec. The command never inherits the
//! parent's end of the pipe (nor, as those are close-on-exec while a
//! command starts, another `popen` stream's). `pclose` closes the stream
//! and waits for the command: its wait status, or -1 (`ECHILD` for a
//! stream `popen` did not make).

use core::ptr::null_mut;

use vibix_uapi::Errno;
use vibix_uapi::fcntl::{F_GETFD, F_SETFD, FD_CLOEXEC, O_CLOEXEC};

use super::file::FILE;
use crate::stdlib::system::{spawn_shell, wait_for};
use crate::types::{c_char, c_int};
use vibix_abi::errno::set_errno;

/// Starts `cmd` with a pipe to or from it (see the module comment).
///
/// # Safety
///
/// `cmd` and `mode` are NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn popen(cmd: *const c_char, mode: *const c_char) -> *mut FILE {
    // SAFETY: the caller's contract.
    let mode = unsafe { core::ffi::CStr::from_ptr(mode) }.to_bytes();
    let (reading, cloexec) = match mode {
        b"r" => (true, false),
        b"w" => (false, false),
        b"re" => (true, true),
        b"we" => (false, true),
        _ => {
            set_errno(Errno::EINVAL.raw());
            return null_mut();
        }
    };
    let mut fds = [0 as c_int; 2];
    // SAFETY: two writable ints.
    if unsafe { crate::unistd::io::pipe2(fds.as_mut_ptr(), O_CLOEXEC) } < 0 {
        return null_mut();
    }
    // The command's end becomes its stdout (reading) or stdin (writing).
    let (ours, theirs, target) = if reading {
        (fds[0], fds[1], 1)
    } else {
        (fds[1], fds[0], 0)
    };
    let mut actions = core::mem::MaybeUninit::uninit();
    let actions = actions.as_mut_ptr();
    // SAFETY: `actions` is ours to initialize, then destroy.
    let spawned = unsafe {
        crate::spawn::posix_spawn_file_actions_init(actions);
        if theirs == target {
            // Already in place; only its close-on-exec flag must go, and
            // dup2 onto itself keeps it: move it away and back.
            let tmp = crate::unistd::io::dup(theirs);
            crate::spawn::posix_spawn_file_actions_adddup2(actions, tmp, target);
            crate::spawn::posix_spawn_file_actions_addclose(actions, tmp);
            let r = spawn_shell(cmd, actions, core::ptr::null());
            crate::unistd::io::close(tmp);
            r
        } else {
            crate::spawn::posix_spawn_file_actions_adddup2(actions, theirs, target);
            spawn_shell(cmd, actions, core::ptr::null())
        }
    };
    // SAFETY: initialized above.
    unsafe { crate::spawn::posix_spawn_file_actions_destroy(actions) };
    crate::unistd::io::close(theirs);
    let pid = match spawned {
        Ok(pid) => pid,
        Err(e) => {
            crate::unistd::io::close(ours);
            set_errno(e);
            return null_mut();
        }
    };
    if !cloexec {
        // SAFETY: F_GETFD/F_SETFD take no pointer.
        unsafe {
            let fl = vibix_abi::libc_names::fcntl(ours, F_GETFD, 0);
            vibix_abi::libc_names::fcntl(ours, F_SETFD, fl & !FD_CLOEXEC);
        }
    }
    let stream_mode = if reading { c"r" } else { c"w" };
    // SAFETY: an open descriptor and a mode string.
    let f = unsafe { super::open::fdopen(ours, stream_mode.as_ptr()) };
    if f.is_null() {
        crate::unistd::io::close(ours);
        wait_for(pid);
        return null_mut();
    }
    // SAFETY: `f` is a new, live stream.
    unsafe { (*f).pid = pid };
    f
}

/// Closes a stream `popen` made and waits for its command: the command's
/// wait status, or -1.
///
/// # Safety
///
/// `f` is a live stream, not used again.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pclose(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let pid = unsafe { (*f).pid };
    if pid <= 0 {
        set_errno(Errno::ECHILD.raw());
        return -1;
    }
    // SAFETY: the caller's contract.
    unsafe { super::open::fclose(f) };
    wait_for(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything `f` reads, up to end of file.
    fn read_all(f: *mut FILE) -> std::vec::Vec<u8> {
        let mut out = std::vec::Vec::new();
        loop {
            // SAFETY: a live stream.
            let c = unsafe { crate::stdio::io::fgetc(f) };
            if c < 0 {
                return out;
            }
            out.push(c as u8);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "starts the host's /bin/sh")]
    fn reads_and_writes_like_the_hosts() {
        let s = crate::testutil::Scratch::new("popen");
        for cmd in [
            c"echo one; echo two >&2; printf 'x%s' y",
            c"exit 7",
            c"kill -KILL $$",
        ] {
            // SAFETY: NUL-terminated strings; each stream is closed once.
            unsafe {
                let f = popen(cmd.as_ptr(), c"r".as_ptr());
                assert!(!f.is_null());
                let ours = read_all(f);
                let ours_status = pclose(f);
                let h = libc::popen(cmd.as_ptr(), c"r".as_ptr());
                let mut host = std::vec::Vec::new();
                loop {
                    let c = libc::fgetc(h);
                    if c < 0 {
                        break;
                    }
                    host.push(c as u8);
                }
                assert_eq!((ours, ours_status), (host, libc::pclose(h)), "{cmd:?}");
            }
        }
        let out = s.c("out");
        let cmd = crate::testutil::cstr(&std::format!("cat > {}", s.0.join("out").display()));
        // SAFETY: as above.
        unsafe {
            let f = popen(cmd.as_ptr(), c"we".as_ptr());
            assert!(!f.is_null());
            let fd = crate::stdio::open::fileno(f);
            assert_eq!(libc::fcntl(fd, libc::F_GETFD) & libc::FD_CLOEXEC, 1);
            crate::stdio::io::fputs(c"to the command\n".as_ptr(), f);
            assert_eq!(pclose(f), 0);
        }
        let _ = out;
        assert_eq!(std::fs::read(s.0.join("out")).unwrap(), b"to the command\n");
        // SAFETY: NUL-terminated strings.
        unsafe {
            crate::testutil::same(
                "popen(bad mode)",
                || popen(c"true".as_ptr(), c"rw".as_ptr()).is_null(),
                || libc::popen(c"true".as_ptr(), c"rw".as_ptr()).is_null(),
            );
        }
    }
}
