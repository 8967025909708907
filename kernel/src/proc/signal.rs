//! Signals: per-process dispositions and pending set (`kill`), per-task
//! mask and pending set (`tgkill`, faults); sending marks a signal pending
//! and wakes a sleeping task that should act on it (its sleep ends with
//! EINTR); on the way back to user mode a pending signal runs its handler
//! (see `signal_frame.rs`) or takes its default action: terminate the
//! whole process (every thread), or ignore for SIGCHLD, SIGURG, SIGWINCH,
//! SIGCONT. A task whose process is ending (or running `execve` in another
//! thread) ends there too. A CPU exception in user mode is a signal forced
//! on the task that caused it ([`deliver_fault`]): its handler runs at
//! once, with the fault's `si_code` and address; blocked or ignored, it
//! takes its default action, as on Linux.

use super::{Pid, Process, State, TABLE, Task, Tid, sched};
use kcore::errno::{Errno, KResult};
use kcore::signal::*;

pub const NSIG: usize = 64;
pub const SIG_DFL: u64 = vibix_uapi::signal::SIG_DFL as u64;
pub const SIG_IGN: u64 = vibix_uapi::signal::SIG_IGN as u64;

/// `sigaction` flags vibix acts on.
pub const SA_NODEFER: u64 = vibix_uapi::signal::SA_NODEFER;
pub const SA_RESETHAND: u64 = vibix_uapi::signal::SA_RESETHAND;
pub const SA_ONSTACK: u64 = vibix_uapi::signal::SA_ONSTACK;

/// Who sent a pending signal: the `si_code` and `si_pid` its handler sees,
/// and for `SIGCHLD` the child's `si_status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub code: i32,
    pub pid: Pid,
    pub status: i32,
}

impl Origin {
    /// `kill` (or the kernel on the process's behalf: SIGPIPE) from `pid`.
    pub fn user(pid: Pid) -> Origin {
        Origin {
            code: vibix_uapi::signal::SI_USER,
            pid,
            status: 0,
        }
    }

    /// `tkill` or `tgkill` from `pid`.
    pub fn tkill(pid: Pid) -> Origin {
        Origin {
            code: vibix_uapi::signal::SI_TKILL,
            pid,
            status: 0,
        }
    }

    /// `SIGCHLD` for the end of child `pid` with wait status `wstatus`:
    /// `CLD_EXITED` and the exit code, or `CLD_KILLED`/`CLD_DUMPED` and
    /// the signal.
    pub fn child(pid: Pid, wstatus: u32) -> Origin {
        use vibix_uapi::signal::{CLD_DUMPED, CLD_EXITED, CLD_KILLED};
        use vibix_uapi::wait::{core_dumped, exit_code, term_signal};
        let (code, status) = match (exit_code(wstatus), term_signal(wstatus)) {
            (Some(code), _) => (CLD_EXITED, i32::from(code)),
            (None, Some(sig)) if core_dumped(wstatus) => (CLD_DUMPED, i32::from(sig)),
            (None, Some(sig)) => (CLD_KILLED, i32::from(sig)),
            (None, None) => (CLD_EXITED, 0),
        };
        Origin { code, pid, status }
    }
}

/// What a handler's `siginfo` says beyond the signal's number.
#[derive(Clone, Copy, Debug)]
pub enum Info {
    /// Sent by a process.
    Sent(Origin),
    /// Raised by a CPU exception.
    Fault(kcore::altstack::Fault),
}

/// One signal's disposition: the kernel's `struct sigaction`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Action {
    pub handler: u64,
    pub flags: u64,
    pub restorer: u64,
    pub mask: u64,
}

/// What a process does with each signal, and the signals sent to it as a
/// whole. (Each task's mask and own pending set are in `Task`.)
#[derive(Clone)]
pub struct Signals {
    pub pending: u64,
    /// Who sent each pending one (index = signal number - 1).
    pub origins: [Origin; NSIG],
    /// Index = signal number - 1.
    pub actions: [Action; NSIG],
}

pub fn bit(sig: u8) -> u64 {
    1 << (sig - 1)
}

impl Signals {
    pub const fn new() -> Signals {
        const DFL: Action = Action {
            handler: SIG_DFL,
            flags: 0,
            restorer: 0,
            mask: 0,
        };
        Signals {
            pending: 0,
            origins: [Origin {
                code: 0,
                pid: 0,
                status: 0,
            }; NSIG],
            actions: [DFL; NSIG],
        }
    }

    fn ignores(&self, sig: u8) -> bool {
        match self.actions[usize::from(sig) - 1].handler {
            SIG_IGN => sig != SIGKILL,
            SIG_DFL => matches!(sig, SIGCHLD | SIGURG | SIGWINCH | SIGCONT),
            _ => false,
        }
    }

    /// At execve: handled signals go back to their default action.
    pub fn reset_handlers(&mut self) {
        for a in &mut self.actions {
            if a.handler != SIG_IGN {
                *a = Action::default();
            }
        }
    }
}

/// The lowest signal pending for `task` (its own first, then its
/// process's) that it does not block and does not ignore, taken off its
/// pending set, with who sent it; ignored ones are dropped on the way.
fn take_deliverable(task: &mut Task, p: &mut Process) -> Option<(u8, Origin)> {
    loop {
        let own = task.sig_pending & !task.sig_mask;
        let shared = p.signals.pending & !task.sig_mask;
        let (set, origins, ready) = if own != 0 {
            (&mut task.sig_pending, &task.sig_origins, own)
        } else if shared != 0 {
            (&mut p.signals.pending, &p.signals.origins, shared)
        } else {
            return None;
        };
        let sig = ready.trailing_zeros() as u8 + 1;
        *set &= !bit(sig);
        if !p.signals.ignores(sig) {
            return Some((sig, origins[usize::from(sig) - 1]));
        }
    }
}

/// Whether `task`'s sleep should end with EINTR: its process is ending,
/// or a signal it does not block and does not ignore is pending for it.
pub fn interrupted(task: &Task, p: &Process) -> bool {
    if p.dooms(task.tid) {
        return true;
    }
    // Only the pending signals are looked at (a futex wait asks before
    // every sleep, and usually none is).
    let mut ready = (task.sig_pending | p.signals.pending) & !task.sig_mask;
    while ready != 0 {
        let sig = ready.trailing_zeros() as u8 + 1;
        if !p.signals.ignores(sig) {
            return true;
        }
        ready &= ready - 1;
    }
    false
}

fn check_signal(sig: u8) -> KResult<()> {
    if usize::from(sig) > NSIG {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// `kill(pid, sig)` for one process: pending for the process; the first
/// thread that does not block it is woken if it sleeps. A signal already
/// pending keeps its first sender, as on Linux (standard signals do not
/// queue).
pub fn send(pid: Pid, sig: u8, from: Origin) -> KResult<()> {
    check_signal(sig)?;
    let wake = {
        let mut t = TABLE.lock();
        let t = &mut *t;
        let p = t
            .procs
            .get_mut(&pid)
            .filter(|p| p.zombie.is_none())
            .ok_or(Errno::ESRCH)?;
        if sig == 0 {
            return Ok(());
        }
        if p.signals.pending & bit(sig) == 0 {
            p.signals.origins[usize::from(sig) - 1] = from;
        }
        p.signals.pending |= bit(sig);
        let target = p
            .tids
            .iter()
            .filter_map(|tid| t.tasks.get(tid))
            .find(|task| task.sig_mask & bit(sig) == 0);
        target
            .filter(|task| task.state == State::Blocked && interrupted(task, p))
            .map(|task| task.tid)
    };
    if let Some(tid) = wake {
        sched::wake(tid);
    }
    Ok(())
}

/// `tgkill(tgid, tid, sig)` (`tgid` `None`: `tkill`): pending for that
/// thread alone.
pub fn send_thread(tgid: Option<Pid>, tid: Tid, sig: u8, from: Origin) -> KResult<()> {
    check_signal(sig)?;
    let wake = {
        let mut t = TABLE.lock();
        let t = &mut *t;
        let task = t
            .tasks
            .get_mut(&tid)
            .filter(|task| task.state != State::Dead && tgid.is_none_or(|g| g == task.tgid))
            .ok_or(Errno::ESRCH)?;
        if sig == 0 {
            return Ok(());
        }
        if task.sig_pending & bit(sig) == 0 {
            task.sig_origins[usize::from(sig) - 1] = from;
        }
        task.sig_pending |= bit(sig);
        let p = t.procs.get(&task.tgid).expect("a task's process");
        task.state == State::Blocked && interrupted(task, p)
    };
    if wake {
        sched::wake(tid);
    }
    Ok(())
}

/// Whether the current task has a reason to end its sleep.
pub fn current_interrupted() -> bool {
    super::with_current_task(|task, p| interrupted(task, p))
}

/// On the way back to user mode (`frame` holds the user registers): ends
/// the task if its process is ending, else runs the handler of a
/// deliverable pending signal, or its default action. Returns true when
/// `frame` was rewritten (every register must be restored, so the return
/// must use IRETQ).
pub fn deliver_pending(frame: &mut crate::arch::trap::TrapFrame) -> bool {
    let taken = super::with_current_task(|task, p| {
        if p.dooms(task.tid) {
            return Err(());
        }
        let sig = take_deliverable(task, p);
        Ok(sig.map(|(sig, from)| (sig, from, p.signals.actions[usize::from(sig) - 1])))
    });
    let Some((sig, from, action)) = (match taken {
        Ok(taken) => taken,
        Err(()) => super::exit::exit_thread(0),
    }) else {
        return false;
    };
    if action.handler == SIG_DFL {
        super::exit_current(vibix_uapi::wait::signaled(sig));
    }
    match super::signal_frame::push(frame, sig, &action, Info::Sent(from)) {
        Ok(()) => true,
        // No room for the signal frame on the user stack: like Linux, die.
        Err(_) => super::exit_current(vibix_uapi::wait::signaled(kcore::signal::SIGSEGV)),
    }
}

// ANCHOR: deliver_fault
/// A CPU exception in user mode (`frame`: the faulting registers): runs the
/// handler of its signal now, on the task that faulted, and returns true;
/// or returns false when the signal takes its default action (the caller
/// ends the process). As Linux forces such a signal: if the task blocks
/// it or the process ignores it, it is unblocked and its action reset to
/// the default, so a fault is never lost. A handler that returns goes back
/// to the faulting instruction, which faults again.
pub fn deliver_fault(
    frame: &mut crate::arch::trap::TrapFrame,
    fault: kcore::altstack::Fault,
) -> bool {
    let sig = fault.sig;
    let action = super::with_current_task(|task, p| {
        let slot = &mut p.signals.actions[usize::from(sig) - 1];
        let blocked = task.sig_mask & bit(sig) != 0;
        if blocked || slot.handler == SIG_IGN {
            slot.handler = SIG_DFL;
            task.sig_mask &= !bit(sig);
        }
        *slot
    });
    if action.handler == SIG_DFL {
        return false;
    }
    match super::signal_frame::push(frame, sig, &action, Info::Fault(fault)) {
        Ok(()) => true,
        // No room for the frame (a stack overflow with no alternate stack,
        // or one that overflowed too): like Linux, die by SIGSEGV.
        Err(_) => super::exit_current(vibix_uapi::wait::signaled(kcore::signal::SIGSEGV)),
    }
}
// ANCHOR_END: deliver_fault
