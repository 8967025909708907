//! vibix: a std thread is a `vibix_abi::thread::Thread`: a mapping with a
//! guard page, the stack and a fresh TLS block, started with `clone`, and
//! joined by waiting on the word the kernel clears when the thread is gone
//! (`CLONE_CHILD_CLEARTID`); dropping it detaches it.
//!
//! What runs on the new thread is std's: [`thread_start`] sets up
//! `thread::current()`, runs the closure, then the thread's thread-local
//! destructors (std is the only runtime on vibix, so it runs them itself,
//! as on Hermit) and std's per-thread cleanup. The thread has an alternate
//! signal stack of its own meanwhile, for the stack-overflow handler
//! (`sys/pal/vibix/stack_overflow.rs`).

use crate::io;
use crate::thread::ThreadInit;

/// Linux's: 2 MiB, unless `RUST_MIN_STACK` or `Builder::stack_size` say
/// otherwise. Only the pages a thread touches cost memory.
pub const DEFAULT_MIN_STACK_SIZE: usize = 2 * 1024 * 1024;

/// A running (or finished, not yet joined) thread.
pub struct Thread(vibix_abi::thread::Thread);

impl Thread {
    // ANCHOR: new
    /// Starts a thread with a stack of at least `stack` bytes that runs
    /// `init`.
    ///
    /// # Safety
    ///
    /// See `thread::Builder::spawn_unchecked`: what `init` runs must live
    /// as long as the thread. The thread no longer uses it once `join`
    /// returns.
    pub unsafe fn new(stack: usize, init: Box<ThreadInit>) -> io::Result<Thread> {
        let data = Box::into_raw(init);
        // SAFETY: `thread_start` takes back the box it is given and runs
        // it on the new thread; it returns normally (a panic aborts).
        match unsafe { vibix_abi::thread::Thread::spawn(stack, thread_start, data.cast()) } {
            Ok(thread) => Ok(Thread(thread)),
            Err(e) => {
                // SAFETY: the thread did not start, so the box is still ours.
                drop(unsafe { Box::from_raw(data) });
                Err(io::Error::from_raw_os_error(e.raw()))
            }
        }
    }
    // ANCHOR_END: new

    /// Waits for the thread to end; frees its stack and TLS block.
    pub fn join(self) {
        self.0.join()
    }
}

// ANCHOR: thread_start
/// The new thread's first Rust code (called by `vibix_abi`'s start-up).
///
/// # Safety
///
/// `data` must be a `Box<ThreadInit>` turned into a raw pointer, given to
/// this thread only.
unsafe extern "C" fn thread_start(data: *mut u8) {
    // SAFETY: `Thread::new` leaked this box for us.
    let init = unsafe { Box::from_raw(data.cast::<ThreadInit>()) };
    // Its own alternate signal stack, for the stack-overflow handler;
    // freed after the thread's last code (below), on this thread.
    // SAFETY: dropped at the end of this function, on this thread.
    let _overflow = unsafe { crate::sys::pal::stack_overflow::Handler::new() };
    let rust_start = init.init();
    rust_start();
    // SAFETY: the thread's own code is done: nothing uses its
    // thread-locals any more.
    unsafe { crate::sys::thread_local::destructors::run() };
    crate::rt::thread_cleanup();
    // Back in `vibix_abi`, which ends the thread.
}
// ANCHOR_END: thread_start
