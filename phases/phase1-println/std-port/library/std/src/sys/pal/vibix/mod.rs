//! The vibix platform layer: how std starts, ends and aborts on vibix.
//!
//! This file is part of vibix's std port (phase 1), copied into std's source
//! by the vibix runner. Everything std needs from the kernel goes through the
//! `vibix_abi` crate.

#![forbid(unsafe_op_in_unsafe_fn)]

use crate::ffi::{c_char, c_int};
use crate::io as std_io;

// ANCHOR: entry
/// std's entry on vibix, called by `vibix_abi`'s `_start` once it has
/// recorded the initial stack. `main` is the C-ABI function rustc generates
/// for the binary crate; it runs `std::rt::lang_start`, which runs [`init`],
/// the user's `fn main`, and the runtime's cleanup, and returns the status.
#[cfg(not(test))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vibix_runtime_entry(
    argc: isize,
    argv: *const *const c_char,
    _envp: *const *const c_char,
) -> ! {
    unsafe extern "C" {
        fn main(argc: c_int, argv: *const *const c_char) -> c_int;
    }
    // SAFETY: `main` is the binary's entry with exactly this signature, and
    // argv is the kernel's NULL-terminated array of `argc` strings.
    let status = unsafe { main(argc as c_int, argv) };
    exit(status)
}

/// Ends the process the way C's `exit` does: first the calling thread's
/// thread-local destructors (std is the only runtime on vibix, so it runs
/// them itself), then `exit_group`. Returning from `main` and
/// `std::process::exit` both end here.
pub fn exit(code: i32) -> ! {
    // SAFETY: the thread is ending; nothing uses its thread-locals after
    // this point.
    unsafe { crate::sys::thread_local::destructors::run() };
    crate::rt::thread_cleanup();
    vibix_abi::process::exit(code)
}
// ANCHOR_END: entry

// ANCHOR: init
// SAFETY: must be called only once during runtime initialization.
// NOTE: this is not guaranteed to run, for example when Rust code is called externally.
pub unsafe fn init(_argc: isize, _argv: *const *const u8, sigpipe: u8) {
    // `_start` has recorded argv, envp and the auxiliary vector already, and
    // the kernel has set up the main thread's TLS block. What is left is
    // SIGPIPE, which vibix sends as Linux does: like std on Linux, ignore it
    // (so a write to a closed pipe is an `EPIPE` error, not death) unless
    // the program's `#[unix_sigpipe]`-style choice says otherwise. The
    // values are rustc's (`rustc_session::config::sigpipe`), as the Unix
    // layer spells them too.
    const INHERIT: u8 = 1;
    const SIG_DFL: u8 = 3;
    use vibix_abi::signal::{SIGPIPE, set_disposition};
    let disposition = match sigpipe {
        INHERIT => return,
        SIG_DFL => vibix_abi::signal::SIG_DFL,
        _ => vibix_abi::signal::SIG_IGN,
    };
    // A kernel without signals would answer ENOSYS: nothing to ignore then.
    let _ = set_disposition(SIGPIPE, disposition);
}

// SAFETY: must be called only once during runtime cleanup.
// NOTE: this is not guaranteed to run, for example when the program aborts.
pub unsafe fn cleanup() {}
// ANCHOR_END: init

pub fn unsupported<T>() -> std_io::Result<T> {
    Err(unsupported_err())
}

pub fn unsupported_err() -> std_io::Error {
    std_io::Error::UNSUPPORTED_PLATFORM
}

// ANCHOR: abort
/// `std::process::abort`, and a panic with `panic = "abort"`: `SIGABRT` if
/// the kernel can send it, otherwise `SIGILL` (see `vibix_abi::process::abort`).
pub fn abort_internal() -> ! {
    vibix_abi::process::abort()
}
// ANCHOR_END: abort
