//! The few C-library names std's shared `std::os::fd` code calls (it was
//! written for Unix, where they come from the `libc` crate): `close`,
//! `fcntl` and the standard descriptors' numbers. std's `os::fd` imports
//! this module as `libc` on vibix, so that code is used as it is instead of
//! being edited call by call. They follow C's convention: -1 and `errno`.
//!
//! Phase 3: also the C types std's copy of backtrace-rs names through
//! `libc` in its bindings of the unwinder (`_Unwind_GetIP` returns a
//! `libc::uintptr_t`), which the `libc` crate defines only for the systems
//! it knows; those bindings import this module as `libc` on vibix too.

pub use core::ffi::{c_int, c_uint, c_void};

/// C's `uintptr_t`: an address as an integer, `usize` on every Rust target.
#[allow(non_camel_case_types)]
pub type uintptr_t = usize;

use crate::errno::check;
use crate::{nr, syscall};

pub use vibix_uapi::fcntl::{F_DUPFD, F_DUPFD_CLOEXEC, STDERR_FILENO, STDIN_FILENO, STDOUT_FILENO};

/// C's `close`: 0, or -1 with `errno` set.
///
/// # Safety
///
/// The caller owns `fd` and does not use it afterwards.
pub unsafe fn close(fd: c_int) -> c_int {
    match crate::fd::close(fd) {
        Ok(()) => 0,
        Err(_) => -1,
    }
}

/// C's `fcntl` with an integer argument: its result, or -1 with `errno` set.
///
/// # Safety
///
/// `cmd` must be a command whose argument is an integer (never a pointer).
pub unsafe fn fcntl(fd: c_int, cmd: c_int, arg: c_int) -> c_int {
    // SAFETY: the caller passes a command whose argument is an integer, so
    // the kernel dereferences nothing of ours.
    match check(unsafe { syscall!(nr::FCNTL, fd, cmd, arg) }) {
        Ok(v) => v as c_int,
        Err(_) => -1,
    }
}
