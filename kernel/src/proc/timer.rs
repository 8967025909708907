//! Timed sleeps: a process that sleeps with a deadline (in timer ticks)
//! is also woken by the timer interrupt once the deadline passes.

use super::{Pid, sched};
use alloc::vec::Vec;
use spin::Mutex;

static DEADLINES: Mutex<Vec<(u64, Pid)>> = Mutex::new(Vec::new());

/// Asks for `pid` to be woken at timer tick `deadline`.
pub fn wake_at(deadline: u64, pid: Pid) {
    DEADLINES.lock().push((deadline, pid));
}

/// Called on every timer tick: wakes the processes whose deadline passed.
pub fn on_tick(now: u64) {
    let mut deadlines = DEADLINES.lock();
    deadlines.retain(|&(deadline, pid)| {
        let due = deadline <= now;
        if due {
            sched::wake(pid);
        }
        !due
    });
}

/// Blocks the current process until timer tick `deadline` (or a little
/// later); the caller re-checks its clock, since other wake-ups may come
/// first. A signal that should be acted on ends the sleep with EINTR.
pub fn sleep_until(deadline: u64) -> kcore::errno::KResult<()> {
    use kcore::errno::Errno;
    if super::signal::current_interrupted() {
        return Err(Errno::EINTR);
    }
    wake_at(deadline, super::current_pid());
    super::sched::block_current();
    if super::signal::current_interrupted() {
        return Err(Errno::EINTR);
    }
    Ok(())
}
