//! vibix: `std::thread`. Spawning and joining (`vibix/spawn.rs`, over
//! `vibix_abi::thread`: `clone`, a guard-paged stack, a fresh TLS block,
//! join on the thread-id futex), yielding (`sched_yield`), the number of
//! CPUs (`sched_getaffinity`), and sleeping (`nanosleep`, and
//! `sleep_until` through std's generic loop over it).

mod spawn;

pub use spawn::{DEFAULT_MIN_STACK_SIZE, Thread};

use crate::io;
use crate::num::NonZero;
use crate::time::Duration;

/// The CPUs this thread may run on (`sched_getaffinity`); one if the
/// kernel cannot say.
pub fn available_parallelism() -> io::Result<NonZero<usize>> {
    let n = vibix_abi::thread::cpu_count().unwrap_or(1);
    Ok(NonZero::new(n).unwrap_or(NonZero::<usize>::MIN))
}

/// Lets another runnable thread have the CPU (`sched_yield`).
pub fn yield_now() {
    vibix_abi::thread::yield_now()
}

/// Sleeps at least `dur` (`nanosleep`, resumed with the time left after a
/// signal).
pub fn sleep(dur: Duration) {
    vibix_abi::time::sleep(dur.as_secs(), dur.subsec_nanos());
}
