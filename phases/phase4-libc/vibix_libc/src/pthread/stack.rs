//! `<pthread.h>`: a running thread's stack, as attributes show it:
//! `pthread_getattr_np` (glibc's, and musl's) fills attributes with the
//! thread's actual stack, guard size and detach state, and
//! `pthread_attr_getstack` reads the stack's lowest address and size from
//! them. Rust's std asks for the calling thread's, to know where its guard
//! page is (and so which faults are stack overflows).
//!
//! A created thread's stack is part of its `vibix_abi::thread` region, laid
//! out by `region::plan`: the thread finds it from its own thread pointer
//! (the TLS block, and so the thread pointer, sits just above the stack's
//! top) and records it in its descriptor first thing; another thread's
//! call waits for that. The first thread's stack is the kernel's: it ends
//! at the page above the program's path (`AT_EXECFN`, the highest thing
//! on it; `MAIN_STACK_TOP` on vibix) and is `MAIN_STACK_SIZE` bytes long,
//! all mapped at `execve` on vibix (glibc reports the size the stack may
//! grow to under `RLIMIT_STACK`, 8 MiB by default too), with no guard of
//! the library's (guard size 0, as glibc reports for it).

use core::sync::atomic::Ordering;

use vibix_abi::mem::PAGE_SIZE;
use vibix_abi::thread::region;
use vibix_uapi::auxv::AT_EXECFN;
use vibix_uapi::start::{MAIN_STACK_SIZE, MAIN_STACK_TOP};

use super::thread::{
    DETACHED, Desc, MAIN, PTHREAD_CREATE_DETACHED, PTHREAD_CREATE_JOINABLE, pthread_attr_t,
    pthread_t,
};
use crate::types::{c_int, c_void, size_t};

/// Records the calling thread's stack in `d`, its descriptor (a created
/// thread's first act).
pub(super) fn record_own(d: &Desc) {
    let Some(layout) = vibix_abi::thread::tls::program_template().and_then(|t| t.layout()) else {
        return;
    };
    // The same plan `Thread::spawn` made (the control record's size moves
    // nothing below the thread pointer).
    let Some(r) = region::plan(d.stack_request, PAGE_SIZE, &layout, 1, 1) else {
        return;
    };
    let base = thread_pointer().wrapping_sub(r.tp);
    d.stack[0].store(base + r.guard, Ordering::Release);
    d.stack[1].store(base + r.stack_top, Ordering::Release);
}

/// The calling thread's thread pointer (`%fs:0`, the TCB's self pointer).
fn thread_pointer() -> usize {
    #[cfg(not(miri))]
    {
        let tp: usize;
        // SAFETY: every thread of the program has a TCB whose first word
        // points to itself (`start` and `Thread::spawn` see to it).
        unsafe {
            core::arch::asm!("mov {}, fs:0", out(reg) tp, options(nostack, readonly, preserves_flags));
        }
        tp
    }
    #[cfg(miri)]
    0
}

/// The top of the first thread's stack: the page above the path the
/// program was started from (`AT_EXECFN`), the highest thing the kernel
/// puts there (vibix and Linux alike); `MAIN_STACK_TOP` if there is none.
fn main_stack_top() -> usize {
    let Some(path) = vibix_abi::start::recorded().and_then(|s| s.getauxval(AT_EXECFN)) else {
        return MAIN_STACK_TOP;
    };
    // SAFETY: the kernel's `AT_EXECFN` is a NUL-terminated string on the
    // initial stack, which lives as long as the program.
    let len = unsafe { core::ffi::CStr::from_ptr(core::ptr::with_exposed_provenance(path)) }
        .count_bytes();
    (path + len + 1).next_multiple_of(PAGE_SIZE)
}

/// Fills `*attr` with `thread`'s attributes: its stack (lowest address and
/// size), guard size and detach state. 0, or `ENOSYS` if its stack is not
/// known (a program without the auxiliary vector's headers).
///
/// # Safety
///
/// `thread` must be a live thread of the process; `attr` writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_getattr_np(thread: pthread_t, attr: *mut pthread_attr_t) -> c_int {
    let d = core::ptr::with_exposed_provenance::<Desc>(thread as usize);
    let (lo, hi, guard) = if core::ptr::eq(d, &raw const MAIN) {
        let top = main_stack_top();
        (top - MAIN_STACK_SIZE, top, 0)
    } else {
        // SAFETY: the caller's contract: a live thread's descriptor.
        let d = unsafe { &*d };
        if vibix_abi::thread::tls::program_template().is_none() {
            return vibix_abi::Errno::ENOSYS.raw();
        }
        // The thread records its stack first thing; wait for that.
        while d.stack[1].load(Ordering::Acquire) == 0 {
            vibix_abi::thread::yield_now();
        }
        (
            d.stack[0].load(Ordering::Acquire),
            d.stack[1].load(Ordering::Acquire),
            PAGE_SIZE,
        )
    };
    // SAFETY: as above.
    let detached = unsafe { &(*d).state }.load(Ordering::Acquire) == DETACHED;
    let mut a = pthread_attr_t::DEFAULT;
    a.__stacksize = hi - lo;
    a.__guardsize = guard;
    a.__detachstate = if detached {
        PTHREAD_CREATE_DETACHED
    } else {
        PTHREAD_CREATE_JOINABLE
    };
    a.__stackaddr = lo;
    // SAFETY: the caller's contract.
    unsafe { attr.write(a) };
    0
}

/// The stack's lowest address and its size, from `*attr`.
///
/// # Safety
///
/// `attr` must point to initialized attributes; `addr` and `size` be
/// writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_getstack(
    attr: *const pthread_attr_t,
    addr: *mut *mut c_void,
    size: *mut size_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        addr.write(core::ptr::with_exposed_provenance_mut((*attr).__stackaddr));
        size.write((*attr).__stacksize);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getstack_reads_what_getattr_wrote() {
        let mut attr = pthread_attr_t::DEFAULT;
        attr.__stacksize = 0x4000;
        attr.__stackaddr = 0x10_0000;
        let mut addr = core::ptr::null_mut();
        let mut size = 0;
        // SAFETY: initialized attributes, writable results.
        let r = unsafe { pthread_attr_getstack(&attr, &mut addr, &mut size) };
        assert_eq!(r, 0);
        assert_eq!((addr.addr(), size), (0x10_0000, 0x4000));
    }

    #[test]
    fn the_first_threads_stack_is_the_kernels() {
        let mut attr = pthread_attr_t::DEFAULT;
        let main = (&raw const MAIN).expose_provenance() as pthread_t;
        // SAFETY: the first thread's descriptor; writable attributes.
        assert_eq!(unsafe { pthread_getattr_np(main, &mut attr) }, 0);
        // No recorded start in the tests: vibix's fixed top.
        assert_eq!(attr.__stackaddr + attr.__stacksize, MAIN_STACK_TOP);
        assert_eq!((attr.__stacksize, attr.__guardsize), (MAIN_STACK_SIZE, 0));
        assert_eq!(attr.__detachstate, PTHREAD_CREATE_JOINABLE);
    }
}
