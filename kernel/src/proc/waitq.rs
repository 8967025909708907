//! Wait queues: where blocked processes wait for something (a child's
//! exit, pipe data, console input). A waiter re-checks its condition after
//! every wake-up. Syscalls run with interrupts off on one CPU, so nothing
//! can happen between checking a condition and going to sleep: no lost
//! wake-ups, and no lock is ever held across the sleep (finding O-B1).

use super::{Pid, sched};
use alloc::collections::VecDeque;
use kcore::errno::{Errno, KResult};
use spin::Mutex;

pub struct WaitQueue {
    waiters: Mutex<VecDeque<Pid>>,
}

impl WaitQueue {
    pub const fn new() -> WaitQueue {
        WaitQueue {
            waiters: Mutex::new(VecDeque::new()),
        }
    }

    // ANCHOR: sleep
    /// Blocks the current process until a `wake_all` on this queue. The
    /// caller re-checks its condition afterwards. A signal that should be
    /// acted on ends the sleep (and the syscall) with EINTR.
    pub fn sleep(&self) -> KResult<()> {
        if super::signal::current_interrupted() {
            return Err(Errno::EINTR);
        }
        let pid = super::current_pid();
        self.waiters.lock().push_back(pid);
        sched::block_current();
        if super::signal::current_interrupted() {
            return Err(Errno::EINTR);
        }
        Ok(())
    }
    // ANCHOR_END: sleep

    /// Makes every waiter runnable again.
    pub fn wake_all(&self) {
        let waiters: VecDeque<Pid> = core::mem::take(&mut *self.waiters.lock());
        for pid in waiters {
            sched::wake(pid);
        }
    }
}
