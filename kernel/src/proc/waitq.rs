//! Wait queues: where blocked tasks wait for something (a child's
//! exit, pipe data, console input). A waiter re-checks its condition after
//! every wake-up. Syscalls run with interrupts off on one CPU, so nothing
//! can happen between checking a condition and going to sleep: no lost
//! wake-ups, and no lock is ever held across the sleep (finding O-B1).

use super::{Tid, sched};
use alloc::collections::VecDeque;
use kcore::errno::{Errno, KResult};
use spin::Mutex;

pub struct WaitQueue {
    waiters: Mutex<VecDeque<Tid>>,
}

impl WaitQueue {
    pub const fn new() -> WaitQueue {
        WaitQueue {
            waiters: Mutex::new(VecDeque::new()),
        }
    }

    // ANCHOR: sleep
    /// Blocks the current task until a `wake_all` on this queue. The
    /// caller re-checks its condition afterwards. A signal that should be
    /// acted on ends the sleep (and the syscall) with EINTR.
    pub fn sleep(&self) -> KResult<()> {
        if super::signal::current_interrupted() {
            return Err(Errno::EINTR);
        }
        let tid = super::current_tid();
        self.waiters.lock().push_back(tid);
        sched::block_current();
        if super::signal::current_interrupted() {
            return Err(Errno::EINTR);
        }
        Ok(())
    }
    // ANCHOR_END: sleep

    /// Makes every waiter runnable again.
    pub fn wake_all(&self) {
        let waiters: VecDeque<Tid> = core::mem::take(&mut *self.waiters.lock());
        for tid in waiters {
            sched::wake(tid);
        }
    }
}
