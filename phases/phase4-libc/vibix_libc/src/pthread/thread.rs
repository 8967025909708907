//! `<pthread.h>`: threads: `pthread_create`, `pthread_join`,
//! `pthread_detach`, `pthread_self`, `pthread_equal`, `pthread_exit`,
//! `pthread_kill`, and thread attributes (`pthread_attr_*`).
//!
//! A thread is `vibix_abi::thread`'s (a guard-paged stack and a fresh TLS
//! block in one mapping, joined through the kernel's clearing of its
//! thread-id word) plus a descriptor of ours on the heap, which
//! `pthread_t` points to: its start routine and argument, its result, and
//! the state that decides who frees the descriptor (the joiner; or for a
//! detached thread, whichever of the thread's end and `pthread_detach`
//! comes second). The first thread's descriptor is static.
//!
//! `pthread_exit` returns to the thread's first frame: the start routine
//! is called through a small assembly routine that saves the callee-saved
//! registers and the stack pointer, and `pthread_exit` restores them and
//! returns from it with the thread's result (C frames have nothing to
//! unwind). Then the key destructors run, and the thread ends. The
//! process ends when its last thread does (with status 0, through `exit`),
//! even if the first thread called `pthread_exit`; `exit` from any thread,
//! or a return from `main`, ends every thread.

use core::cell::{Cell, UnsafeCell};
use core::ptr;
use core::sync::atomic::{AtomicU8, AtomicU32, AtomicUsize, Ordering};

use vibix_abi::Errno;
use vibix_abi::thread::Thread;
use vibix_uapi::{nr, syscall};

use crate::types::{c_int, c_ulong, c_void, size_t};

extern crate alloc;

/// A thread: its descriptor's address.
pub type pthread_t = c_ulong;

/// A start routine.
pub type __pthread_start_routine = unsafe extern "C" fn(*mut c_void) -> *mut c_void;

/// Joinable: its end waits for a `pthread_join`.
pub const PTHREAD_CREATE_JOINABLE: c_int = 0;
/// Detached: it frees itself when it ends.
pub const PTHREAD_CREATE_DETACHED: c_int = 1;
/// The smallest stack a thread gets.
pub const PTHREAD_STACK_MIN: c_int = 16384;

/// The default stack size: glibc's under the usual 8 MiB `RLIMIT_STACK`
/// (memory is only used as the stack grows).
const DEFAULT_STACK: usize = 8 << 20;

/// A thread's attributes: 56 bytes, glibc's size.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct pthread_attr_t {
    /// The stack size (0: the default).
    pub __stacksize: size_t,
    /// The guard size (kept; the guard is always one page).
    pub __guardsize: size_t,
    /// `PTHREAD_CREATE_JOINABLE` or `PTHREAD_CREATE_DETACHED`.
    pub __detachstate: c_int,
    __flags: c_int,
    /// The stack's lowest address (`pthread_getattr_np` fills it in).
    pub __stackaddr: size_t,
    __reserved: [c_ulong; 3],
}

impl pthread_attr_t {
    /// `pthread_attr_init`'s attributes.
    pub(super) const DEFAULT: pthread_attr_t = pthread_attr_t {
        __stacksize: 0,
        __guardsize: vibix_abi::mem::PAGE_SIZE,
        __detachstate: PTHREAD_CREATE_JOINABLE,
        __flags: 0,
        __stackaddr: 0,
        __reserved: [0; 3],
    };
}

const RUNNING: u32 = 0;
pub(super) const DETACHED: u32 = 1;
const EXITED: u32 = 2;

/// A thread's descriptor.
pub(super) struct Desc {
    start: Option<__pthread_start_routine>,
    arg: *mut c_void,
    /// The result: the start routine's, or `pthread_exit`'s.
    result: UnsafeCell<*mut c_void>,
    /// The stack pointer `pthread_exit` returns with.
    exit_sp: UnsafeCell<usize>,
    /// The handle to join or detach (none: joined, detached, or the first
    /// thread).
    handle: UnsafeCell<Option<Thread>>,
    /// `RUNNING`, `DETACHED` or `EXITED`.
    pub(super) state: AtomicU32,
    /// Its thread id (0: the first thread's, which is the process id).
    tid: i32,
    /// The stack size asked for (0: the first thread's).
    pub(super) stack_request: usize,
    /// Its stack's lowest and highest address, which the thread itself
    /// records first thing (0: not yet; the first thread's are known).
    pub(super) stack: [AtomicUsize; 2],
    /// Its name (`pthread_setname_np`), NUL-padded; empty: none set.
    pub(super) name: [AtomicU8; 16],
}

// SAFETY: `result` is written by the thread before `state` or the kernel's
// thread-id word publishes its end, and read after; `exit_sp` by the thread
// alone; `handle` by the creator before the `pthread_t` is out, then by the
// one joiner or detacher. The rest is written once before sharing.
unsafe impl Sync for Desc {}

/// The first thread's descriptor.
pub(super) static MAIN: Desc = Desc {
    start: None,
    arg: ptr::null_mut(),
    result: UnsafeCell::new(ptr::null_mut()),
    exit_sp: UnsafeCell::new(0),
    handle: UnsafeCell::new(None),
    state: AtomicU32::new(RUNNING),
    tid: 0,
    stack_request: 0,
    stack: [const { AtomicUsize::new(0) }; 2],
    name: [const { AtomicU8::new(0) }; 16],
};

/// The calling thread's descriptor (null: the first thread's).
#[thread_local]
static SELF: Cell<*const Desc> = Cell::new(ptr::null());

/// Threads that have not ended, the first one included.
static LIVE: AtomicUsize = AtomicUsize::new(1);

pub(super) fn current() -> *const Desc {
    let d = SELF.get();
    if d.is_null() { &raw const MAIN } else { d }
}

#[cfg(not(miri))]
core::arch::global_asm!(
    ".pushsection .text.__vibix_pthread_call,\"ax\",@progbits",
    ".p2align 4",
    ".hidden __vibix_pthread_call",
    ".globl __vibix_pthread_call",
    ".type __vibix_pthread_call,@function",
    // (start, arg, slot): saves the callee-saved registers, stores the
    // stack pointer in *slot, returns start(arg).
    "__vibix_pthread_call:",
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "mov qword ptr [rdx], rsp",
    "sub rsp, 8",
    "mov rax, rdi",
    "mov rdi, rsi",
    "call rax",
    "add rsp, 8",
    "2:",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size __vibix_pthread_call, . - __vibix_pthread_call",
    ".hidden __vibix_pthread_jump",
    ".globl __vibix_pthread_jump",
    ".type __vibix_pthread_jump,@function",
    // (sp, value): back to the stack pointer `__vibix_pthread_call` saved,
    // returning `value` from it.
    "__vibix_pthread_jump:",
    "mov rsp, rdi",
    "mov rax, rsi",
    "jmp 2b",
    ".size __vibix_pthread_jump, . - __vibix_pthread_jump",
    ".popsection",
);

#[cfg(not(miri))]
unsafe extern "C" {
    fn __vibix_pthread_call(
        start: __pthread_start_routine,
        arg: *mut c_void,
        slot: *mut usize,
    ) -> *mut c_void;
    fn __vibix_pthread_jump(sp: usize, value: *mut c_void) -> !;
}

/// Runs `start(arg)`, a return point for `pthread_exit` saved in `*slot`.
///
/// # Safety
///
/// `start(arg)` must be sound to call; `slot` valid until it returns.
unsafe fn call(start: __pthread_start_routine, arg: *mut c_void, slot: *mut usize) -> *mut c_void {
    #[cfg(not(miri))]
    // SAFETY: the routine keeps the ABI's callee-saved registers and stack
    // alignment; the caller's contract covers the rest.
    return unsafe { __vibix_pthread_call(start, arg, slot) };
    #[cfg(miri)]
    {
        let _ = slot;
        // SAFETY: the caller's contract.
        unsafe { start(arg) }
    }
}

/// What every thread made by `pthread_create` runs first.
unsafe extern "C" fn entry(arg: *mut u8) {
    let d = arg.cast::<Desc>().cast_const();
    SELF.set(d);
    // SAFETY: the descriptor lives until the thread's end (see `Desc`).
    super::stack::record_own(unsafe { &*d });
    // SAFETY: the descriptor lives until the thread's end publishes it
    // (see `Desc`); its start routine is the creator's.
    let result = unsafe {
        let start = (*d).start.expect("a start routine");
        call(start, (*d).arg, (*d).exit_sp.get())
    };
    // SAFETY: as above.
    unsafe { finish(d, result) }
}

/// A created thread's end: destructors, result, the descriptor's fate,
/// the process's end if this was the last thread.
///
/// # Safety
///
/// `d` must be the calling thread's descriptor, not the first thread's.
unsafe fn finish(d: *const Desc, result: *mut c_void) {
    super::key::run_destructors();
    if LIVE.fetch_sub(1, Ordering::AcqRel) == 1 {
        crate::stdlib::exit::exit(0);
    }
    // SAFETY: only this thread writes its result, before publishing it.
    unsafe { *(*d).result.get() = result };
    // SAFETY: the descriptor is live until the swap below hands it over.
    if unsafe { &(*d).state }.swap(EXITED, Ordering::AcqRel) == DETACHED {
        // SAFETY: detached and ended: nobody else refers to it.
        drop(unsafe { alloc::boxed::Box::from_raw(d.cast_mut()) });
    }
}

/// In the child of a `fork`: only the calling thread exists there, so it
/// is the last one (for `pthread_exit`'s end of the process). `fork`
/// calls it in the child.
pub fn forked_child() {
    LIVE.store(1, Ordering::Relaxed);
}

/// Starts a thread running `start(arg)`, with the attributes `*attr`
/// (NULL: the default); its id goes into `*thread`. `EAGAIN` if it cannot
/// be made.
///
/// # Safety
///
/// `thread` must be writable; `attr` NULL or initialized attributes;
/// `start(arg)` sound to run on another thread.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_create(
    thread: *mut pthread_t,
    attr: *const pthread_attr_t,
    start: Option<__pthread_start_routine>,
    arg: *mut c_void,
) -> c_int {
    let (stack, detached) = if attr.is_null() {
        (DEFAULT_STACK, false)
    } else {
        // SAFETY: the caller's contract.
        let a = unsafe { &*attr };
        let stack = if a.__stacksize == 0 {
            DEFAULT_STACK
        } else {
            a.__stacksize
        };
        (stack, a.__detachstate == PTHREAD_CREATE_DETACHED)
    };
    if start.is_none() {
        return Errno::EINVAL.raw();
    }
    let desc = alloc::boxed::Box::into_raw(alloc::boxed::Box::new(Desc {
        start,
        arg,
        result: UnsafeCell::new(ptr::null_mut()),
        exit_sp: UnsafeCell::new(0),
        handle: UnsafeCell::new(None),
        state: AtomicU32::new(RUNNING),
        tid: 0,
        stack_request: stack,
        stack: [const { AtomicUsize::new(0) }; 2],
        name: [const { AtomicU8::new(0) }; 16],
    }));
    // A new thread starts with its creator's name, as Linux's threads do.
    // SAFETY: the creator's descriptor is live; the new one is ours yet.
    unsafe { super::name::inherit(&*current(), &*desc) };
    LIVE.fetch_add(1, Ordering::AcqRel);
    // SAFETY: `entry` runs the caller's routine, returns, does not unwind.
    let spawned = unsafe { Thread::spawn(stack, entry, desc.cast()) };
    let handle = match spawned {
        Ok(h) => h,
        Err(_) => {
            LIVE.fetch_sub(1, Ordering::AcqRel);
            // SAFETY: no thread refers to it.
            drop(unsafe { alloc::boxed::Box::from_raw(desc) });
            return Errno::EAGAIN.raw();
        }
    };
    // SAFETY: the thread reads `start`, `arg`, and writes `result`,
    // `exit_sp` and `state`; the id and handle are the creator's to
    // write, before the `pthread_t` is out.
    unsafe {
        (&raw mut (*desc).tid).write(handle.tid());
        if detached {
            drop(handle);
            if (*desc).state.swap(DETACHED, Ordering::AcqRel) == EXITED {
                drop(alloc::boxed::Box::from_raw(desc));
            }
        } else {
            *(*desc).handle.get() = Some(handle);
        }
        thread.write(desc.expose_provenance() as pthread_t);
    }
    0
}

/// Waits for `thread` to end; its result goes into `*result` (unless
/// NULL). `EDEADLK` for the caller itself, `EINVAL` for a thread that is
/// not joinable.
///
/// # Safety
///
/// `thread` must be a thread of this process not yet joined nor
/// detached; `result` NULL or writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_join(thread: pthread_t, result: *mut *mut c_void) -> c_int {
    let d = ptr::with_exposed_provenance_mut::<Desc>(thread as usize);
    if d.cast_const() == current() {
        return Errno::EDEADLK.raw();
    }
    // SAFETY: the caller's contract: a live descriptor, and this is its
    // one joiner.
    let Some(handle) = (unsafe { (*(*d).handle.get()).take() }) else {
        return Errno::EINVAL.raw();
    };
    handle.join();
    // SAFETY: the thread is gone: its result is written, and nobody else
    // refers to the descriptor.
    unsafe {
        if !result.is_null() {
            result.write(*(*d).result.get());
        }
        drop(alloc::boxed::Box::from_raw(d));
    }
    0
}

/// Lets `thread` free itself when it ends; `EINVAL` if it is not
/// joinable.
///
/// # Safety
///
/// `thread` must be a thread of this process not yet joined nor
/// detached.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_detach(thread: pthread_t) -> c_int {
    let d = ptr::with_exposed_provenance_mut::<Desc>(thread as usize);
    // SAFETY: the caller's contract: a live descriptor, and this is its
    // one detacher.
    let Some(handle) = (unsafe { (*(*d).handle.get()).take() }) else {
        return Errno::EINVAL.raw();
    };
    drop(handle);
    // SAFETY: as above; the descriptor is freed by whichever of this and
    // the thread's end is second.
    unsafe {
        if (*d).state.swap(DETACHED, Ordering::AcqRel) == EXITED {
            drop(alloc::boxed::Box::from_raw(d));
        }
    }
    0
}

/// The calling thread.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn pthread_self() -> pthread_t {
    current().expose_provenance() as pthread_t
}

/// Nonzero if `a` and `b` are the same thread.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn pthread_equal(a: pthread_t, b: pthread_t) -> c_int {
    c_int::from(a == b)
}

/// Ends the calling thread with `result` (for `pthread_join`), after its
/// key destructors.
///
/// # Safety
///
/// No Rust frame of the caller's may need its destructors: only C frames
/// (and the library's own) may lie between the thread's start and here.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_exit(result: *mut c_void) -> ! {
    let d = SELF.get();
    if d.is_null() {
        // The first thread: it has no start routine to return to.
        super::key::run_destructors();
        if LIVE.fetch_sub(1, Ordering::AcqRel) == 1 {
            crate::stdlib::exit::exit(0);
        }
        vibix_abi::thread::clone::exit_thread();
    }
    #[cfg(not(miri))]
    // SAFETY: the stack pointer `entry`'s call saved, on this thread's
    // stack, whose frames above it are C's or the library's.
    unsafe {
        __vibix_pthread_jump(*(*d).exit_sp.get(), result)
    }
    #[cfg(miri)]
    {
        let _ = result;
        panic!("Miri cannot run pthread_exit's assembly")
    }
}

/// Sends `sig` to `thread`. Returns 0 or an error number.
///
/// # Safety
///
/// `thread` must be a thread of this process that has not been joined.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_kill(thread: pthread_t, sig: c_int) -> c_int {
    let pid = match vibix_abi::process::getpid() {
        Ok(p) => p,
        Err(e) => return e.raw(),
    };
    let d = ptr::with_exposed_provenance::<Desc>(thread as usize);
    let tid = if d == &raw const MAIN {
        pid
    } else {
        // SAFETY: the caller's contract: a live descriptor.
        unsafe { (*d).tid }
    };
    // SAFETY: sending a signal touches no memory of ours.
    match Errno::from_ret(unsafe { syscall!(nr::TGKILL, pid, tid, sig) }) {
        Ok(_) => 0,
        Err(e) => e.raw(),
    }
}

/// Default attributes: joinable, the default stack, a page of guard.
///
/// # Safety
///
/// `attr` must be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_init(attr: *mut pthread_attr_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { attr.write(pthread_attr_t::DEFAULT) };
    0
}

/// Destroys attributes (nothing to free).
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_destroy(_attr: *mut pthread_attr_t) -> c_int {
    0
}

/// Sets the stack size: at least `PTHREAD_STACK_MIN`, else `EINVAL`.
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_setstacksize(
    attr: *mut pthread_attr_t,
    size: size_t,
) -> c_int {
    if size < PTHREAD_STACK_MIN as size_t {
        return Errno::EINVAL.raw();
    }
    // SAFETY: the caller's contract.
    unsafe { (*attr).__stacksize = size };
    0
}

/// The stack size, into `*size`.
///
/// # Safety
///
/// `attr` must point to initialized attributes, `size` be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_getstacksize(
    attr: *const pthread_attr_t,
    size: *mut size_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        let s = (*attr).__stacksize;
        size.write(if s == 0 { DEFAULT_STACK } else { s });
    }
    0
}

/// Sets the guard size (kept and reported; the guard is one page).
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_setguardsize(
    attr: *mut pthread_attr_t,
    size: size_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { (*attr).__guardsize = size };
    0
}

/// The guard size, into `*size`.
///
/// # Safety
///
/// `attr` must point to initialized attributes, `size` be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_getguardsize(
    attr: *const pthread_attr_t,
    size: *mut size_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { size.write((*attr).__guardsize) };
    0
}

/// Sets joinable or detached; `EINVAL` for another value.
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_setdetachstate(
    attr: *mut pthread_attr_t,
    state: c_int,
) -> c_int {
    if state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED {
        return Errno::EINVAL.raw();
    }
    // SAFETY: the caller's contract.
    unsafe { (*attr).__detachstate = state };
    0
}

/// Joinable or detached, into `*state`.
///
/// # Safety
///
/// `attr` must point to initialized attributes, `state` be writable.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_attr_getdetachstate(
    attr: *const pthread_attr_t,
    state: *mut c_int,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { state.write((*attr).__detachstate) };
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{size_of, zeroed};

    #[test]
    fn layout_is_glibcs() {
        assert_eq!(
            size_of::<pthread_attr_t>(),
            size_of::<libc::pthread_attr_t>()
        );
        assert_eq!(
            align_of::<pthread_attr_t>(),
            align_of::<libc::pthread_attr_t>()
        );
        assert_eq!(size_of::<pthread_t>(), size_of::<libc::pthread_t>());
        assert_eq!(PTHREAD_CREATE_DETACHED, libc::PTHREAD_CREATE_DETACHED);
        assert_eq!(PTHREAD_STACK_MIN as usize, libc::PTHREAD_STACK_MIN);
    }

    unsafe extern "C" {
        // Not in the libc crate.
        #[link_name = "pthread_attr_getdetachstate"]
        fn host_getdetachstate(attr: *const libc::pthread_attr_t, state: *mut c_int) -> c_int;
    }

    #[test]
    #[cfg_attr(miri, ignore = "the host's C library")]
    fn attributes_like_glibc() {
        // SAFETY: valid pointers.
        unsafe {
            let mut ours: pthread_attr_t = zeroed();
            let mut host: libc::pthread_attr_t = zeroed();
            pthread_attr_init(&mut ours);
            libc::pthread_attr_init(&mut host);
            let (mut a, mut b) = (0usize, 0usize);
            pthread_attr_getstacksize(&ours, &mut a);
            libc::pthread_attr_getstacksize(&host, &mut b);
            assert_eq!(a, b);
            pthread_attr_getguardsize(&ours, &mut a);
            libc::pthread_attr_getguardsize(&host, &mut b);
            assert_eq!(a, b);
            for size in [0, 100, 16383, 16384, 65536, 1 << 30] {
                assert_eq!(
                    pthread_attr_setstacksize(&mut ours, size),
                    libc::pthread_attr_setstacksize(&mut host, size),
                    "{size}"
                );
                pthread_attr_getstacksize(&ours, &mut a);
                libc::pthread_attr_getstacksize(&host, &mut b);
                assert_eq!(a, b);
            }
            let (mut x, mut y) = (9, 9);
            pthread_attr_getdetachstate(&ours, &mut x);
            host_getdetachstate(&host, &mut y);
            assert_eq!(x, y);
            for s in [0, 1, 2, -1] {
                assert_eq!(
                    pthread_attr_setdetachstate(&mut ours, s),
                    libc::pthread_attr_setdetachstate(&mut host, s)
                );
            }
            pthread_attr_getdetachstate(&ours, &mut x);
            host_getdetachstate(&host, &mut y);
            assert_eq!(x, y);
            assert_eq!(pthread_attr_destroy(&mut ours), 0);
            libc::pthread_attr_destroy(&mut host);
        }
    }

    #[test]
    fn self_and_equal() {
        let me = pthread_self();
        assert_eq!(pthread_equal(me, pthread_self()), 1);
        assert_eq!(pthread_equal(me, me + 8), 0);
        // SAFETY: the first thread's descriptor has no handle.
        let r = unsafe { pthread_join(me, ptr::null_mut()) };
        assert_eq!(r, Errno::EDEADLK.raw());
    }
}
