//! The scheduler: round robin over a run queue, one CPU. A process runs
//! until it blocks (on a wait queue), exits, or its time slice (one timer
//! tick, 10 ms) ends while it is in user mode. The kernel itself is not
//! preempted: syscalls run with interrupts off and give up the CPU only at
//! the explicit sleep points, holding no lock (finding O-B1).

use super::{Pid, State, TABLE, Table, current_pid, set_current_pid};
use alloc::vec::Vec;
use spin::Mutex;

unsafe extern "C" {
    fn switch_context(save_rsp: *mut u64, next_rsp: u64);
    pub fn task_first_run();
}

core::arch::global_asm!(include_str!("switch.S"), options(att_syntax));

/// Wake-ups not yet applied. Waking only records the pid; the scheduler
/// applies the list under the table lock. So waking never needs the table
/// lock, and code holding it (say, closing the last end of a pipe inside
/// `with_current`) can wake others without deadlocking.
static WAKEUPS: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

/// Makes a blocked process runnable (at the next scheduling decision).
pub fn wake(pid: Pid) {
    WAKEUPS.lock().push(pid);
}

fn apply_wakeups(t: &mut Table) {
    for pid in core::mem::take(&mut *WAKEUPS.lock()) {
        if let Some(p) = t.procs.get_mut(&pid)
            && p.state == State::Blocked
        {
            p.state = State::Ready;
            t.run_queue.push_back(pid);
        }
    }
}

/// Adds a new process to the run queue.
pub fn enqueue(pid: Pid) {
    TABLE.lock().run_queue.push_back(pid);
}

/// Gives up the CPU, staying runnable (the timer's preemption).
pub fn yield_now() {
    {
        let mut t = TABLE.lock();
        let pid = current_pid();
        match t.procs.get_mut(&pid) {
            Some(p) if p.state == State::Running => p.state = State::Ready,
            _ => return,
        }
        t.run_queue.push_back(pid);
    }
    schedule();
}

/// Sleeps until `wake(current)` (the caller is already on a wait queue).
pub fn block_current() {
    {
        let mut t = TABLE.lock();
        let pid = current_pid();
        if let Some(p) = t.procs.get_mut(&pid) {
            p.state = State::Blocked;
        }
    }
    schedule();
}

/// Leaves the CPU for good (the caller is a zombie now).
pub fn exit_to_next() -> ! {
    schedule();
    unreachable!("a zombie was scheduled again");
}

/// Switches to the next ready process; with none ready, waits (interrupts
/// on, `hlt`) until an interrupt makes one ready. Returns when the current
/// process is chosen to run again.
fn schedule() {
    loop {
        let switch = {
            let mut t = TABLE.lock();
            apply_wakeups(&mut t);
            let current = current_pid();
            let next = loop {
                match t.run_queue.pop_front() {
                    Some(pid) if t.procs.get(&pid).is_some_and(|p| p.state == State::Ready) => {
                        break Some(pid);
                    }
                    Some(_) => continue, // exited or already woken twice
                    None => break None,
                }
            };
            match next {
                None => None,
                Some(next) if next == current => {
                    t.procs.get_mut(&next).expect("queued").state = State::Running;
                    return;
                }
                Some(next) => {
                    if let Some(from) = t.procs.get_mut(&current) {
                        from.fpu.save();
                    }
                    let to = t.procs.get_mut(&next).expect("queued");
                    to.fpu.restore();
                    to.state = State::Running;
                    if let Some(aspace) = &to.aspace {
                        aspace.activate();
                    }
                    crate::arch::syscall_entry::set_kernel_stack(to.kstack.top());
                    crate::arch::cpu::set_fs_base(to.fs_base);
                    let to_rsp = to.saved_rsp;
                    let from = t
                        .procs
                        .get_mut(&current)
                        .map_or(core::ptr::null_mut(), |p| &raw mut p.saved_rsp);
                    set_current_pid(next);
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
                // SAFETY: `from` points into a boxed Process (or a local for
                // a process already reaped) that stays put while we are away;
                // `to_rsp` is a stack saved by switch_context or built by
                // fork. Interrupts are off and no lock is held.
                unsafe { switch_context(from, to_rsp) };
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
