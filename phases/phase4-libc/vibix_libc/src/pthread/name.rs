//! `<pthread.h>`: a thread's name: `pthread_setname_np` and
//! `pthread_getname_np` (glibc's, and musl's). On Linux the name is the
//! kernel's (the thread's `comm`, at most 15 bytes, shown in `/proc`);
//! vibix keeps no name for a thread, so the library keeps it in the
//! thread's descriptor, with Linux's rules: at most 15 bytes (`ERANGE`
//! beyond), a buffer of at least 16 bytes to read it into (`ERANGE`
//! below), and a new thread starts with its creator's name, the first
//! thread with the program's (the last part of the path it was started
//! from, cut to 15 bytes, as Linux names a process).

use core::sync::atomic::Ordering;

use vibix_abi::Errno;
use vibix_uapi::auxv::AT_EXECFN;

use super::thread::{Desc, pthread_t};
use crate::types::{c_char, c_int, size_t};

/// The longest name, in bytes (Linux's `TASK_COMM_LEN` less the NUL).
const MAX: usize = 15;

/// The descriptor `thread` names.
///
/// # Safety
///
/// `thread` must be a live thread of the process.
unsafe fn desc<'a>(thread: pthread_t) -> &'a Desc {
    // SAFETY: the caller's contract: a live thread's descriptor.
    unsafe { &*core::ptr::with_exposed_provenance::<Desc>(thread as usize) }
}

/// Gives `new` the name `from` has (a thread's creation).
pub(super) fn inherit(from: &Desc, new: &Desc) {
    for (a, b) in from.name.iter().zip(&new.name) {
        b.store(a.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

/// Names `thread` `name`: 0, or `ERANGE` if it is longer than 15 bytes.
///
/// # Safety
///
/// `thread` must be a live thread; `name` a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_setname_np(thread: pthread_t, name: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    let bytes = unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes();
    if bytes.len() > MAX {
        return Errno::ERANGE.raw();
    }
    // SAFETY: the caller's contract.
    let d = unsafe { desc(thread) };
    for (i, slot) in d.name.iter().enumerate() {
        slot.store(bytes.get(i).copied().unwrap_or(0), Ordering::Relaxed);
    }
    0
}

/// Copies `thread`'s name into `buf` (`len` bytes, NUL-terminated): 0, or
/// `ERANGE` if `len` is below 16.
///
/// # Safety
///
/// `thread` must be a live thread; `buf` writable for `len` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_getname_np(
    thread: pthread_t,
    buf: *mut c_char,
    len: size_t,
) -> c_int {
    if len < MAX + 1 {
        return Errno::ERANGE.raw();
    }
    // SAFETY: the caller's contract.
    let d = unsafe { desc(thread) };
    let mut name = [0u8; MAX + 1];
    for (b, slot) in name.iter_mut().zip(&d.name) {
        *b = slot.load(Ordering::Relaxed);
    }
    if name[0] == 0 {
        program_name(&mut name);
    }
    // SAFETY: `buf` holds at least 16 bytes; `name` ends in a NUL.
    unsafe { core::ptr::copy_nonoverlapping(name.as_ptr().cast(), buf, MAX + 1) };
    0
}

/// The program's name, as Linux names a process: the last part of the path
/// it was started from (`AT_EXECFN`), cut to 15 bytes; empty if unknown.
fn program_name(out: &mut [u8; MAX + 1]) {
    let Some(path) = vibix_abi::start::recorded().and_then(|s| s.getauxval(AT_EXECFN)) else {
        return;
    };
    // SAFETY: the kernel's `AT_EXECFN` is a NUL-terminated string on the
    // initial stack, which lives as long as the program.
    let path = unsafe { core::ffi::CStr::from_ptr(core::ptr::with_exposed_provenance(path)) };
    let path = path.to_bytes();
    let base = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let n = base.len().min(MAX);
    out[..n].copy_from_slice(&base[..n]);
    out[n] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_up_to_fifteen_bytes() {
        // The tests' threads are not `pthread_create`'s: each is the first
        // thread to the library. Only this test names it.
        let me = super::super::thread::pthread_self();
        let mut buf = [0x55 as c_char; 16];
        // SAFETY: a live thread; NUL-terminated names; 16-byte buffers.
        unsafe {
            assert_eq!(pthread_setname_np(me, c"worker-1".as_ptr()), 0);
            assert_eq!(pthread_getname_np(me, buf.as_mut_ptr(), 16), 0);
            assert_eq!(core::ffi::CStr::from_ptr(buf.as_ptr()), c"worker-1");
            assert_eq!(
                pthread_getname_np(me, buf.as_mut_ptr(), 15),
                Errno::ERANGE.raw()
            );
            let long = c"sixteen-bytes-xx";
            assert_eq!(pthread_setname_np(me, long.as_ptr()), Errno::ERANGE.raw());
            let fifteen = c"fifteen-bytes-x";
            assert_eq!(pthread_setname_np(me, fifteen.as_ptr()), 0);
            assert_eq!(pthread_getname_np(me, buf.as_mut_ptr(), 16), 0);
            assert_eq!(core::ffi::CStr::from_ptr(buf.as_ptr()), fifteen);
        }
    }
}
