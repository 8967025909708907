//! `<sched.h>`: giving up the processor (`sched_yield`).

use crate::types::c_int;

/// Lets another runnable thread run first; always succeeds.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sched_yield() -> c_int {
    vibix_abi::thread::yield_now();
    0
}
