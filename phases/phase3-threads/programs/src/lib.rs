//! What phase 3's programs share: waiting, with a limit, for something
//! another thread does, so that a broken port fails a test instead of
//! hanging it.

use std::time::{Duration, Instant};

/// Polls `done` until it is true or `limit` has passed; whether it became
/// true. Sleeps briefly between polls, so other threads get the CPU.
pub fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}
