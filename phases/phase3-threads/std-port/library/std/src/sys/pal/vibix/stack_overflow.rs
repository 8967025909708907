//! vibix: a stack overflow reported as std reports it on Linux. A thread
//! that overflows its stack faults on the guard page below it; the
//! `SIGSEGV` handler installed at start-up runs on the thread's alternate
//! signal stack (the overflowed one has no room left), sees that the
//! fault's address is in the thread's guard page, prints
//! `thread '<name>' (<tid>) has overflowed its stack` and aborts
//! (`SIGABRT`). Any other fault puts the default action back and returns:
//! the faulting instruction runs again and the process dies by `SIGSEGV`
//! (or `SIGBUS`), as it would have without the handler.
//!
//! The guard pages and the alternate stacks are `vibix_abi::stack_overflow`'s:
//! the main thread's guard is the page below its stack, a spawned thread's
//! the first page of its mapping (`vibix_abi::thread`); every thread gets
//! an alternate stack of its own ([`Handler`]), freed when it ends.

use crate::sync::atomic::{AtomicBool, Ordering};
use vibix_abi::signal::{SIG_DFL, SIGBUS, SIGSEGV, set_disposition};
use vibix_abi::stack_overflow::{self as so, AltStack};

/// Whether the handler is installed (the program had no handler of its
/// own for `SIGSEGV` or `SIGBUS`): then each thread needs an alternate
/// stack.
static INSTALLED: AtomicBool = AtomicBool::new(false);

// ANCHOR: handler
/// The `SIGSEGV`/`SIGBUS` handler. Only async-signal-safe work: a
/// thread-local load (the guard), `gettid`, std's current thread name
/// (read from the thread's handle, no allocation), formatting into
/// unbuffered stderr, and `abort`.
///
/// # Safety
///
/// Called by the kernel only, with the `siginfo` of a `SA_SIGINFO`
/// handler.
unsafe extern "C" fn signal_handler(signum: i32, info: *mut u8, _context: *mut u8) {
    // SAFETY: the kernel's siginfo.
    let addr = unsafe { so::fault_address(info) };
    if so::hit_guard(addr) {
        let tid = vibix_abi::thread::gettid();
        crate::thread::with_current_name(|name| {
            let name = name.unwrap_or("<unknown>");
            rtprintpanic!("\nthread '{name}' ({tid}) has overflowed its stack\n");
        });
        rtabort!("stack overflow");
    }
    // Not an overflow: the default action, and the fault again.
    let _ = set_disposition(signum, SIG_DFL);
}
// ANCHOR_END: handler

// ANCHOR: init
/// At start-up, on the main thread: its guard page, the handler for
/// `SIGSEGV` and `SIGBUS` (unless the program has its own) and the main
/// thread's alternate stack, kept for the program's life.
///
/// # Safety
///
/// Called once, by the platform's `init`.
pub unsafe fn init() {
    so::set_guard(so::main_guard(vibix_abi::mem::PAGE_SIZE));
    let mut installed = false;
    for sig in [SIGSEGV, SIGBUS] {
        installed |= so::catch_if_default(sig, signal_handler).unwrap_or(false);
    }
    if installed {
        INSTALLED.store(true, Ordering::Release);
        // SAFETY: the main thread's, for good: never removed.
        crate::mem::forget(unsafe { Handler::new() });
    }
}
// ANCHOR_END: init

/// A thread's alternate signal stack, from its start to its end.
pub struct Handler(Option<AltStack>);

impl Handler {
    /// Gives the calling thread an alternate stack, if the handler is
    /// installed and the thread has none.
    ///
    /// # Safety
    ///
    /// Dropped on the same thread, after its last code that may overflow.
    pub unsafe fn new() -> Handler {
        if !INSTALLED.load(Ordering::Acquire) {
            return Handler(None);
        }
        Handler(AltStack::install().ok().flatten())
    }
}

impl Drop for Handler {
    fn drop(&mut self) {
        if let Some(stack) = self.0.take() {
            // SAFETY: `new`'s contract: this thread installed it, and no
            // handler runs on it now.
            unsafe { stack.remove() }
        }
    }
}
