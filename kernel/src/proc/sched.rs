//! The scheduler: round robin over a run queue of tasks, one CPU. A task
//! runs until it blocks (on a wait queue, a timer or a futex), exits, or
//! its time slice (one timer tick, 10 ms) ends while it is in user mode.
//! The kernel itself is not preempted: syscalls run with interrupts off and
//! give up the CPU only at the explicit sleep points, holding no lock
//! (finding O-B1; `lockcheck` asserts it at every switch).

use super::{State, TABLE, Table, Tid, current_tid, set_current};
use alloc::vec::Vec;
use spin::Mutex;

unsafe extern "C" {
    fn switch_context(save_rsp: *mut u64, next_rsp: u64);
    pub fn task_first_run();
}

core::arch::global_asm!(include_str!("switch.S"), options(att_syntax));

/// Wake-ups not yet applied. Waking only records the tid; the scheduler
/// applies the list under the table lock. So waking never needs the table
/// lock, and code holding it (say, closing the last end of a pipe inside
/// `with_current`) can wake others without deadlocking.
pub(super) static WAKEUPS: Mutex<Vec<Tid>> = Mutex::new(Vec::new());

/// Makes a blocked task runnable (at the next scheduling decision).
pub fn wake(tid: Tid) {
    WAKEUPS.lock().push(tid);
}

fn apply_wakeups(t: &mut Table) {
    // Drained in place: the list keeps its capacity, so waking allocates
    // nothing once it has grown.
    for tid in WAKEUPS.lock().drain(..) {
        if let Some(task) = t.tasks.get_mut(&tid)
            && task.state == State::Blocked
        {
            task.state = State::Ready;
            t.run_queue.push_back(tid);
        }
    }
}

/// Frees the dead tasks other than the running one. A dead task that is
/// not running has switched away for good (one CPU), so its kernel stack
/// is no longer in use.
pub(super) fn reap_dead(t: &mut Table) {
    let current = current_tid();
    let mut i = 0;
    while i < t.dead.len() {
        let tid = t.dead[i];
        if tid == current {
            i += 1;
        } else {
            t.dead.swap_remove(i);
            t.tasks.remove(&tid);
        }
    }
}

/// Adds a new task to the run queue.
pub fn enqueue(tid: Tid) {
    TABLE.lock().run_queue.push_back(tid);
}

/// Gives up the CPU, staying runnable (the timer's preemption, and
/// `sched_yield`).
pub fn yield_now() {
    {
        let mut t = TABLE.lock();
        let tid = current_tid();
        match t.tasks.get_mut(&tid) {
            Some(task) if task.state == State::Running => task.state = State::Ready,
            _ => return,
        }
        t.run_queue.push_back(tid);
    }
    schedule();
}

/// Sleeps until `wake(current)` (the caller is already on a wait queue).
pub fn block_current() {
    {
        let mut t = TABLE.lock();
        if let Some(task) = t.tasks.get_mut(&current_tid()) {
            task.state = State::Blocked;
        }
    }
    schedule();
}

/// Leaves the CPU for good (the caller is dead now).
pub fn exit_to_next() -> ! {
    schedule();
    unreachable!("a dead task was scheduled again");
}

// ANCHOR: schedule
/// Switches to the next ready task; with none ready, waits (interrupts
/// on, `hlt`) until an interrupt makes one ready. Returns when the current
/// task is chosen to run again.
fn schedule() {
    loop {
        let switch = {
            let mut t = TABLE.lock();
            apply_wakeups(&mut t);
            reap_dead(&mut t);
            let current = current_tid();
            let next = loop {
                match t.run_queue.pop_front() {
                    Some(tid) if t.tasks.get(&tid).is_some_and(|p| p.state == State::Ready) => {
                        break Some(tid);
                    }
                    Some(_) => continue, // dead or already woken twice
                    None => break None,
                }
            };
            match next {
                None => None,
                Some(next) if next == current => {
                    t.tasks.get_mut(&next).expect("queued").state = State::Running;
                    return;
                }
                Some(next) => {
                    if let Some(from) = t.tasks.get_mut(&current) {
                        from.fpu.save();
                    }
                    let t = &mut *t;
                    let to = t.tasks.get_mut(&next).expect("queued");
                    to.fpu.restore();
                    to.state = State::Running;
                    if let Some(aspace) = t.procs.get(&to.tgid).and_then(|p| p.aspace.as_ref()) {
                        aspace.activate();
                    }
                    crate::arch::syscall_entry::set_kernel_stack(to.kstack.top());
                    crate::arch::cpu::set_fs_base(to.fs_base);
                    let to_rsp = to.saved_rsp;
                    set_current(next, to.tgid);
                    let from = t
                        .tasks
                        .get_mut(&current)
                        .map_or(core::ptr::null_mut(), |p| &raw mut p.saved_rsp);
                    Some((from, to_rsp))
                }
            }
        };
        match switch {
            Some((from, to_rsp)) => {
                let mut scratch = 0u64;
                let from = if from.is_null() {
                    &raw mut scratch
                } else {
                    from
                };
                super::lockcheck::assert_none_held();
                // SAFETY: `from` points into a boxed Task (or a local for a
                // task already freed) that stays put while we are away: a
                // task is freed only once dead and switched away from;
                // `to_rsp` is a stack saved by switch_context or built by
                // fork/clone. Interrupts are off and no lock is held
                // (checked just above).
                unsafe { switch_context(from, to_rsp) };
                // Back on this task: free whoever died before us.
                reap_dead(&mut TABLE.lock());
                return;
            }
            None => {
                // Nothing to run: wait for an interrupt to wake someone.
                x86_64::instructions::interrupts::enable_and_hlt();
                x86_64::instructions::interrupts::disable();
            }
        }
    }
}
// ANCHOR_END: schedule
