//! `<spawn.h>`: starting a program in a new process in one call:
//! `posix_spawn`, `posix_spawnp`, their file actions (open, close, dup2,
//! chdir, fchdir, applied in order in the child) and attributes (flags,
//! signal mask, signals reset to their default action, process group).
//!
//! Built on `fork` and `execve`: the child applies the attributes and the
//! file actions, then executes the program; if any step fails it writes
//! the error number into a close-on-exec pipe and exits with 127, so the
//! parent returns that error (and reaps the child) instead of a pid,
//! glibc's behaviour. `posix_spawnp` searches `PATH` as `execvp` does.
//! vibix has no process groups or sessions: `POSIX_SPAWN_SETPGROUP` and
//! `POSIX_SPAWN_SETSID` fail with `ENOSYS`; scheduling attributes are
//! accepted and ignored (vibix has one policy). The types have glibc's
//! sizes (`posix_spawnattr_t` 336 bytes, `posix_spawn_file_actions_t` 80);
//! the signal sets are `sigset_t`s (taken as `const void *` here).

extern crate alloc;

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ffi::CStr;

use vibix_uapi::fcntl::{AT_FDCWD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, FD_CLOEXEC, O_CLOEXEC};
use vibix_uapi::signal::{SIG_DFL, SIG_SETMASK, SigAction};
use vibix_uapi::{Errno, nr, syscall};

use crate::types::{c_char, c_int, c_short, c_void, mode_t, pid_t};

pub const POSIX_SPAWN_RESETIDS: c_int = 0x01;
pub const POSIX_SPAWN_SETPGROUP: c_int = 0x02;
pub const POSIX_SPAWN_SETSIGDEF: c_int = 0x04;
pub const POSIX_SPAWN_SETSIGMASK: c_int = 0x08;
pub const POSIX_SPAWN_SETSCHEDPARAM: c_int = 0x10;
pub const POSIX_SPAWN_SETSCHEDULER: c_int = 0x20;
pub const POSIX_SPAWN_USEVFORK: c_int = 0x40;
pub const POSIX_SPAWN_SETSID: c_int = 0x80;

/// The flags `posix_spawnattr_setflags` accepts.
const ALL_FLAGS: c_int = 0xff;

/// A signal set as C's `sigset_t` holds it (1024 bits, glibc's size).
type SigSet = [u64; 16];

/// The attributes of a spawn: glibc's size and alignment, its fields
/// public so that C code can declare one (C code uses the functions, not
/// the fields).
#[repr(C)]
pub struct posix_spawnattr_t {
    pub __flags: c_short,
    pub __pgrp: pid_t,
    /// The signals reset to their default action (a `sigset_t`).
    pub __sd: [u64; 16],
    /// The signal mask (a `sigset_t`).
    pub __ss: [u64; 16],
    pub __sp: c_int,
    pub __policy: c_int,
    pub __pad: [c_int; 16],
}

/// The file actions of a spawn: glibc's size and alignment; `__actions`
/// is the list, on the heap (a `Box<Vec<Action>>`).
#[repr(C)]
pub struct posix_spawn_file_actions_t {
    pub __allocated: c_int,
    pub __used: c_int,
    pub __actions: *mut c_void,
    pub __pad: [c_int; 16],
}

/// One file action, done in the child in the order added.
enum Action {
    Open {
        fd: c_int,
        path: Box<CStr>,
        flags: c_int,
        mode: mode_t,
    },
    Close(c_int),
    Dup2(c_int, c_int),
    Chdir(Box<CStr>),
    Fchdir(c_int),
}

/// Initializes `attr`: no flags, empty sets.
///
/// # Safety
///
/// `attr` must be writable for a `posix_spawnattr_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_init(attr: *mut posix_spawnattr_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        attr.write(posix_spawnattr_t {
            __flags: 0,
            __pgrp: 0,
            __sd: [0; 16],
            __ss: [0; 16],
            __sp: 0,
            __policy: 0,
            __pad: [0; 16],
        })
    };
    0
}

/// Destroys `attr` (nothing to free).
///
/// # Safety
///
/// `attr` must have been initialized.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_destroy(_attr: *mut posix_spawnattr_t) -> c_int {
    0
}

/// Sets the flags (`POSIX_SPAWN_*`); unknown bits are `EINVAL`.
///
/// # Safety
///
/// `attr` must have been initialized.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_setflags(
    attr: *mut posix_spawnattr_t,
    flags: c_short,
) -> c_int {
    if c_int::from(flags) & !ALL_FLAGS != 0 {
        return Errno::EINVAL.raw();
    }
    // SAFETY: the caller's contract.
    unsafe { (*attr).__flags = flags };
    0
}

/// The flags.
///
/// # Safety
///
/// `attr` must have been initialized, `flags` writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_getflags(
    attr: *const posix_spawnattr_t,
    flags: *mut c_short,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { *flags = (*attr).__flags };
    0
}

/// Sets the signal mask the child starts with (`POSIX_SPAWN_SETSIGMASK`).
///
/// # Safety
///
/// `attr` must have been initialized; `mask` points to a `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_setsigmask(
    attr: *mut posix_spawnattr_t,
    mask: *const c_void,
) -> c_int {
    // SAFETY: the caller's contract: a whole `sigset_t` is readable.
    unsafe { (*attr).__ss = mask.cast::<SigSet>().read_unaligned() };
    0
}

/// The signal mask.
///
/// # Safety
///
/// `attr` must have been initialized; `mask` points to a `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_getsigmask(
    attr: *const posix_spawnattr_t,
    mask: *mut c_void,
) -> c_int {
    // SAFETY: the caller's contract: a whole `sigset_t` is writable.
    unsafe { mask.cast::<SigSet>().write_unaligned((*attr).__ss) };
    0
}

/// Sets the signals reset to their default action in the child
/// (`POSIX_SPAWN_SETSIGDEF`).
///
/// # Safety
///
/// `attr` must have been initialized; `set` points to a `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_setsigdefault(
    attr: *mut posix_spawnattr_t,
    set: *const c_void,
) -> c_int {
    // SAFETY: the caller's contract: a whole `sigset_t` is readable.
    unsafe { (*attr).__sd = set.cast::<SigSet>().read_unaligned() };
    0
}

/// The signals reset to their default action.
///
/// # Safety
///
/// `attr` must have been initialized; `set` points to a `sigset_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_getsigdefault(
    attr: *const posix_spawnattr_t,
    set: *mut c_void,
) -> c_int {
    // SAFETY: the caller's contract: a whole `sigset_t` is writable.
    unsafe { set.cast::<SigSet>().write_unaligned((*attr).__sd) };
    0
}

/// Sets the process group (`POSIX_SPAWN_SETPGROUP`; vibix: `ENOSYS` at
/// spawn time).
///
/// # Safety
///
/// `attr` must have been initialized.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_setpgroup(
    attr: *mut posix_spawnattr_t,
    pgroup: pid_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { (*attr).__pgrp = pgroup };
    0
}

/// The process group.
///
/// # Safety
///
/// `attr` must have been initialized, `pgroup` writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnattr_getpgroup(
    attr: *const posix_spawnattr_t,
    pgroup: *mut pid_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { *pgroup = (*attr).__pgrp };
    0
}

/// Initializes `actions`: none.
///
/// # Safety
///
/// `actions` must be writable for a `posix_spawn_file_actions_t`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn_file_actions_init(
    actions: *mut posix_spawn_file_actions_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        actions.write(posix_spawn_file_actions_t {
            __allocated: 0,
            __used: 0,
            __actions: core::ptr::null_mut(),
            __pad: [0; 16],
        })
    };
    0
}

/// Frees the actions.
///
/// # Safety
///
/// `actions` must have been initialized; it may not be used afterwards
/// (until initialized again).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn_file_actions_destroy(
    actions: *mut posix_spawn_file_actions_t,
) -> c_int {
    // SAFETY: the caller's contract: a live, initialized structure.
    let a = unsafe { &mut *actions };
    if !a.__actions.is_null() {
        // SAFETY: the list was made by `Box::into_raw` in `add`.
        drop(unsafe { Box::from_raw(a.__actions.cast::<Vec<Action>>()) });
        a.__actions = core::ptr::null_mut();
    }
    a.__used = 0;
    a.__allocated = 0;
    0
}

/// The largest descriptor a file action may name (vibix's table size).
const FD_LIMIT: c_int = 1024;

/// Appends `action`; `EBADF` for a descriptor out of range.
///
/// # Safety
///
/// `actions` must have been initialized.
unsafe fn add(actions: *mut posix_spawn_file_actions_t, fds: &[c_int], action: Action) -> c_int {
    if fds.iter().any(|&fd| !(0..FD_LIMIT).contains(&fd)) {
        return Errno::EBADF.raw();
    }
    // SAFETY: the caller's contract: a live, initialized structure.
    let a = unsafe { &mut *actions };
    if a.__actions.is_null() {
        a.__actions = Box::into_raw(Box::new(Vec::<Action>::new())).cast();
    }
    // SAFETY: made by `Box::into_raw` above or earlier, not yet freed.
    let list = unsafe { &mut *a.__actions.cast::<Vec<Action>>() };
    list.push(action);
    a.__used = list.len() as c_int;
    a.__allocated = list.capacity() as c_int;
    0
}

/// Copies the C string `s` to the heap.
///
/// # Safety
///
/// `s` must be a NUL-terminated string.
unsafe fn owned(s: *const c_char) -> Box<CStr> {
    // SAFETY: the caller's contract.
    Box::from(unsafe { CStr::from_ptr(s) })
}

/// Adds "open `path` with `flags` and `mode` as descriptor `fd`".
///
/// # Safety
///
/// `actions` must have been initialized; `path` a NUL-terminated string
/// (copied).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn_file_actions_addopen(
    actions: *mut posix_spawn_file_actions_t,
    fd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: mode_t,
) -> c_int {
    // SAFETY: the caller's contract.
    let path = unsafe { owned(path) };
    // SAFETY: the caller's contract.
    unsafe {
        add(
            actions,
            &[fd],
            Action::Open {
                fd,
                path,
                flags,
                mode,
            },
        )
    }
}

/// Adds "close `fd`".
///
/// # Safety
///
/// `actions` must have been initialized.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn_file_actions_addclose(
    actions: *mut posix_spawn_file_actions_t,
    fd: c_int,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { add(actions, &[fd], Action::Close(fd)) }
}

/// Adds "make `newfd` a copy of `fd`" (with `fd == newfd`: clear its
/// close-on-exec flag, as glibc does).
///
/// # Safety
///
/// `actions` must have been initialized.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn_file_actions_adddup2(
    actions: *mut posix_spawn_file_actions_t,
    fd: c_int,
    newfd: c_int,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { add(actions, &[fd, newfd], Action::Dup2(fd, newfd)) }
}

/// Adds "change the working directory to `path`" (glibc's extension).
///
/// # Safety
///
/// `actions` must have been initialized; `path` a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn_file_actions_addchdir_np(
    actions: *mut posix_spawn_file_actions_t,
    path: *const c_char,
) -> c_int {
    // SAFETY: the caller's contract.
    let path = unsafe { owned(path) };
    // SAFETY: the caller's contract.
    unsafe { add(actions, &[], Action::Chdir(path)) }
}

/// Adds "change the working directory to the directory `fd`" (glibc's
/// extension).
///
/// # Safety
///
/// `actions` must have been initialized.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn_file_actions_addfchdir_np(
    actions: *mut posix_spawn_file_actions_t,
    fd: c_int,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { add(actions, &[fd], Action::Fchdir(fd)) }
}

/// A raw system call's error, if it failed.
fn check(r: usize) -> Result<usize, c_int> {
    Errno::from_ret(r).map_err(Errno::raw)
}

/// What the child does before `execve`: the attributes, then the file
/// actions. Allocates nothing.
///
/// # Safety
///
/// Only in the child of `fork`; `attr` and `actions` as in [`spawn`].
unsafe fn prepare(
    attr: *const posix_spawnattr_t,
    actions: *const posix_spawn_file_actions_t,
) -> Result<(), c_int> {
    if !attr.is_null() {
        // SAFETY: an initialized attribute object (the caller's contract).
        let attr = unsafe { &*attr };
        let flags = c_int::from(attr.__flags);
        if flags & (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSID) != 0 {
            return Err(Errno::ENOSYS.raw());
        }
        if flags & POSIX_SPAWN_SETSIGDEF != 0 {
            let dfl = SigAction {
                sa_handler: SIG_DFL,
                ..SigAction::default()
            };
            for sig in 1..=64usize {
                let (word, bit) = ((sig - 1) / 64, (sig - 1) % 64);
                if attr.__sd[word] & (1 << bit) != 0 {
                    // SAFETY: the kernel reads one `struct sigaction`;
                    // signals that cannot be caught are refused, harmlessly.
                    let _ =
                        unsafe { syscall!(nr::RT_SIGACTION, sig, &raw const dfl, 0usize, 8usize) };
                }
            }
        }
        if flags & POSIX_SPAWN_SETSIGMASK != 0 {
            // SAFETY: the kernel reads the first 8 bytes of the set.
            check(unsafe {
                syscall!(
                    nr::RT_SIGPROCMASK,
                    SIG_SETMASK,
                    attr.__ss.as_ptr(),
                    0usize,
                    8usize
                )
            })?;
        }
    }
    if actions.is_null() {
        return Ok(());
    }
    // SAFETY: initialized file actions (the caller's contract).
    let list = unsafe { (*actions).__actions.cast::<Vec<Action>>() };
    if list.is_null() {
        return Ok(());
    }
    // SAFETY: made by `add`, alive until destroyed (not during a spawn).
    for action in unsafe { &*list } {
        // SAFETY: (every call below) paths are NUL-terminated and owned
        // by the action; the calls only change this process's descriptors
        // and working directory.
        unsafe {
            match action {
                Action::Open {
                    fd,
                    path,
                    flags,
                    mode,
                } => {
                    let got = check(syscall!(nr::OPENAT, AT_FDCWD, path.as_ptr(), *flags, *mode))?
                        as c_int;
                    if got != *fd {
                        check(syscall!(nr::DUP2, got, *fd))?;
                        let _ = syscall!(nr::CLOSE, got);
                    }
                }
                // Closing a descriptor that is not open is not an error.
                Action::Close(fd) => match check(syscall!(nr::CLOSE, *fd)) {
                    Err(e) if e != Errno::EBADF.raw() => return Err(e),
                    _ => {}
                },
                Action::Dup2(fd, newfd) if fd == newfd => {
                    let f = check(syscall!(nr::FCNTL, *fd, F_GETFD))? as c_int;
                    check(syscall!(nr::FCNTL, *fd, F_SETFD, f & !FD_CLOEXEC))?;
                }
                Action::Dup2(fd, newfd) => {
                    check(syscall!(nr::DUP2, *fd, *newfd))?;
                }
                Action::Chdir(path) => {
                    check(syscall!(nr::CHDIR, path.as_ptr()))?;
                }
                Action::Fchdir(fd) => {
                    check(syscall!(nr::FCHDIR, *fd))?;
                }
            }
        }
    }
    Ok(())
}

/// `posix_spawn` and `posix_spawnp`.
///
/// # Safety
///
/// As [`posix_spawn`].
unsafe fn spawn(
    pid: *mut pid_t,
    path: *const c_char,
    actions: *const posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
    search: bool,
) -> c_int {
    let mut fds = [0 as c_int; 2];
    // SAFETY: the kernel writes two descriptors into `fds`.
    if let Err(e) = check(unsafe { syscall!(nr::PIPE2, fds.as_mut_ptr(), O_CLOEXEC) }) {
        return e;
    }
    // Keep the report's write end out of the way of the file actions.
    // SAFETY: descriptor calls on our own pipe.
    let report = match check(unsafe { syscall!(nr::FCNTL, fds[1], F_DUPFD_CLOEXEC, 900) }) {
        Ok(fd) => {
            // SAFETY: closing our own pipe end.
            unsafe { syscall!(nr::CLOSE, fds[1]) };
            fd as c_int
        }
        Err(_) => fds[1],
    };
    // SAFETY: `fork` copies the process; the child below only makes
    // system calls and allocates nothing.
    let child = match check(unsafe { syscall!(nr::FORK) }) {
        Ok(c) => c as pid_t,
        Err(e) => {
            // SAFETY: closing our own pipe ends.
            unsafe {
                syscall!(nr::CLOSE, fds[0]);
                syscall!(nr::CLOSE, report);
            }
            return e;
        }
    };
    if child == 0 {
        // SAFETY: the child of `fork`; the caller's arguments.
        let err = match unsafe { prepare(attr, actions) } {
            Err(e) => e,
            Ok(()) => {
                // SAFETY: the caller's strings and arrays.
                unsafe {
                    if search {
                        crate::unistd::exec::execvpe(path, argv, envp);
                    } else {
                        crate::unistd::exec::execve(path, argv, envp);
                    }
                }
                vibix_abi::errno::errno()
            }
        };
        // SAFETY: four bytes of `err` to our pipe.
        unsafe { syscall!(nr::WRITE, report, (&raw const err), 4usize) };
        vibix_abi::process::exit(127);
    }
    // SAFETY: closing our copy of the write end.
    unsafe { syscall!(nr::CLOSE, report) };
    let mut err: c_int = 0;
    let got = loop {
        // SAFETY: the kernel writes at most four bytes into `err`.
        match check(unsafe { syscall!(nr::READ, fds[0], (&raw mut err), 4usize) }) {
            Err(e) if e == Errno::EINTR.raw() => continue,
            r => break r,
        }
    };
    // SAFETY: closing our read end.
    unsafe { syscall!(nr::CLOSE, fds[0]) };
    if got == Ok(4) {
        let mut status = 0;
        // SAFETY: reaping our own child, which exits at once.
        unsafe { syscall!(nr::WAIT4, child, &raw mut status, 0, 0usize) };
        return err;
    }
    if !pid.is_null() {
        // SAFETY: a non-null `pid` is writable (the caller's contract).
        unsafe { *pid = child };
    }
    0
}

/// Starts the program at `path` with `argv` and `envp` in a new process,
/// after the attributes and file actions (either may be NULL); stores
/// its id in `*pid` (if not NULL). Returns 0, or an error number (the
/// child's, if it failed before running the program).
///
/// # Safety
///
/// `path` must be a NUL-terminated string, `argv` and `envp`
/// NULL-terminated arrays of them; `actions` and `attr` NULL or
/// initialized; `pid` NULL or writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawn(
    pid: *mut pid_t,
    path: *const c_char,
    actions: *const posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { spawn(pid, path, actions, attr, argv, envp, false) }
}

/// [`posix_spawn`] with `file` looked up in `PATH` (as `execvp`).
///
/// # Safety
///
/// As [`posix_spawn`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_spawnp(
    pid: *mut pid_t,
    file: *const c_char,
    actions: *const posix_spawn_file_actions_t,
    attr: *const posix_spawnattr_t,
    argv: *const *mut c_char,
    envp: *const *mut c_char,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { spawn(pid, file, actions, attr, argv, envp, true) }
}

#[cfg(test)]
mod tests;
