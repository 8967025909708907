//! vibix: what `std::thread` offers before threads: sleeping
//! (`thread::sleep`, and `sleep_until` through std's generic loop over
//! it), yielding, and the machine's parallelism. Spawning a thread is
//! `Unsupported` until phase 3 brings `clone` and `futex`.

use crate::io;
use crate::num::NonZero;
use crate::thread::ThreadInit;
use crate::time::Duration;

// `ThreadInit::init` is called by the platforms that start threads.
#[expect(dead_code)]
fn keep_thread_init_used(init: Box<ThreadInit>) {
    drop(init.init());
}

/// A thread that cannot exist yet.
pub struct Thread(!);

pub const DEFAULT_MIN_STACK_SIZE: usize = 64 * 1024;

impl Thread {
    /// # Safety
    ///
    /// See `thread::Builder::spawn_unchecked`; nothing is spawned here.
    pub unsafe fn new(_stack: usize, _init: Box<ThreadInit>) -> io::Result<Thread> {
        Err(io::const_error!(
            io::ErrorKind::Unsupported,
            "threads arrive on vibix in phase 3"
        ))
    }

    pub fn join(self) {
        self.0
    }
}

/// One: a program gets one thread of execution until phase 3.
pub fn available_parallelism() -> io::Result<NonZero<usize>> {
    Ok(NonZero::<usize>::MIN)
}

/// Nothing to yield to within the process (one thread); the kernel
/// preempts between processes.
pub fn yield_now() {}

// ANCHOR: sleep
/// Sleeps at least `dur` (`nanosleep`, resumed with the time left after a
/// signal).
pub fn sleep(dur: Duration) {
    vibix_abi::time::sleep(dur.as_secs(), dur.subsec_nanos());
}
// ANCHOR_END: sleep
