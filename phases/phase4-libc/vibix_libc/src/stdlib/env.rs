//! `<stdlib.h>`: the environment: `environ`, `getenv`.

use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use crate::types::c_char;

/// The environment: a NULL-terminated array of `NAME=value` strings (C's
/// `environ`, declared in `<unistd.h>`).
#[allow(non_upper_case_globals)] // C's name
#[cfg_attr(not(test), unsafe(no_mangle))]
pub static mut environ: *mut *mut c_char = ptr::null_mut();

static INITIAL: AtomicPtr<*mut c_char> = AtomicPtr::new(ptr::null_mut());

/// Points `environ` at the environment the kernel passed (program start).
pub(crate) fn set_initial(envp: *mut *mut c_char) {
    INITIAL.store(envp, Ordering::Relaxed);
    // SAFETY: only program start calls this, before any other thread
    // exists or C code reads `environ`.
    unsafe { environ = envp };
}

/// The value of the environment variable `name`, or NULL.
///
/// # Safety
///
/// `name` must be a NUL-terminated string; `environ` a NULL-terminated
/// array of NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getenv(name: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    let mut at = unsafe { environ };
    if at.is_null() || name.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `name` is NUL-terminated (the caller's contract).
    let name = unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes();
    if name.is_empty() || name.contains(&b'=') {
        return ptr::null_mut();
    }
    loop {
        // SAFETY: `at` is inside the NULL-terminated array.
        let entry = unsafe { *at };
        if entry.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: each entry is NUL-terminated.
        let bytes = unsafe { core::ffi::CStr::from_ptr(entry) }.to_bytes();
        if bytes.len() > name.len() && bytes.starts_with(name) && bytes[name.len()] == b'=' {
            // SAFETY: the value starts inside the entry, after the '='.
            return unsafe { entry.add(name.len() + 1) };
        }
        // SAFETY: not past the NULL yet.
        at = unsafe { at.add(1) };
    }
}
