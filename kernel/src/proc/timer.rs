//! Timed sleeps: a task that sleeps with a deadline (in timer ticks) is
//! also woken by the timer interrupt once the deadline passes.

use super::{Tid, sched};
use alloc::vec::Vec;
use spin::Mutex;

static DEADLINES: Mutex<Vec<(u64, Tid)>> = Mutex::new(Vec::new());

/// Asks for `tid` to be woken at timer tick `deadline`.
pub fn wake_at(deadline: u64, tid: Tid) {
    DEADLINES.lock().push((deadline, tid));
}

/// Forgets `tid`'s deadlines (a wait that ended another way).
pub fn cancel(tid: Tid) {
    DEADLINES.lock().retain(|&(_, t)| t != tid);
}

/// Whether the deadline list is locked (the scheduler's lock check).
pub fn is_locked() -> bool {
    DEADLINES.is_locked()
}

/// Called on every timer tick: wakes the tasks whose deadline passed.
pub fn on_tick(now: u64) {
    let mut deadlines = DEADLINES.lock();
    deadlines.retain(|&(deadline, tid)| {
        let due = deadline <= now;
        if due {
            sched::wake(tid);
        }
        !due
    });
}

/// Blocks the current task until timer tick `deadline` (or a little
/// later); the caller re-checks its clock, since other wake-ups may come
/// first. A signal that should be acted on ends the sleep with EINTR.
pub fn sleep_until(deadline: u64) -> kcore::errno::KResult<()> {
    use kcore::errno::Errno;
    if super::signal::current_interrupted() {
        return Err(Errno::EINTR);
    }
    wake_at(deadline, super::current_tid());
    super::sched::block_current();
    if super::signal::current_interrupted() {
        return Err(Errno::EINTR);
    }
    Ok(())
}
