//! Signals, the part the base kernel needs for processes and pipes: a
//! per-process pending set, mask and disposition table; `kill` marks a
//! signal pending and wakes a sleeping target (its sleep ends with EINTR);
//! on the way back to user mode a pending signal takes its default action
//! (terminate, or ignore for SIGCHLD, SIGURG, SIGWINCH, SIGCONT) unless the
//! process ignores it. Running user handlers is not implemented yet.

use super::{Pid, State, TABLE, current_pid, sched};
use kcore::errno::{Errno, KResult};
use kcore::signal::*;

pub const NSIG: usize = 64;
pub const SIG_DFL: u64 = 0;
pub const SIG_IGN: u64 = 1;

/// What a process does with each signal, and which it holds back.
#[derive(Clone)]
pub struct Signals {
    pub pending: u64,
    pub mask: u64,
    /// `sa_handler` per signal (index = signal number - 1).
    pub handlers: [u64; NSIG],
}

impl Signals {
    pub const fn new() -> Signals {
        Signals { pending: 0, mask: 0, handlers: [SIG_DFL; NSIG] }
    }

    fn bit(sig: u8) -> u64 {
        1 << (sig - 1)
    }

    /// The lowest pending signal that is not blocked and not ignored,
    /// dropping ignored ones on the way.
    fn take_deliverable(&mut self) -> Option<u8> {
        loop {
            let ready = self.pending & !self.mask;
            if ready == 0 {
                return None;
            }
            let sig = ready.trailing_zeros() as u8 + 1;
            self.pending &= !Self::bit(sig);
            if !self.ignores(sig) {
                return Some(sig);
            }
        }
    }

    fn ignores(&self, sig: u8) -> bool {
        match self.handlers[usize::from(sig) - 1] {
            SIG_IGN => sig != SIGKILL,
            SIG_DFL => matches!(sig, SIGCHLD | SIGURG | SIGWINCH | SIGCONT),
            _ => false,
        }
    }

    /// Whether a sleep should end with EINTR.
    pub fn interrupted(&self) -> bool {
        let ready = self.pending & !self.mask;
        (1..=NSIG as u8).any(|s| ready & Self::bit(s) != 0 && !self.ignores(s))
    }

    /// At execve: handled signals go back to their default action.
    pub fn reset_handlers(&mut self) {
        for h in &mut self.handlers {
            if *h != SIG_IGN {
                *h = SIG_DFL;
            }
        }
    }
}

/// `kill(pid, sig)` for one process.
pub fn send(pid: Pid, sig: u8) -> KResult<()> {
    if usize::from(sig) > NSIG {
        return Err(Errno::EINVAL);
    }
    let blocked = {
        let mut t = TABLE.lock();
        let p = t.procs.get_mut(&pid).filter(|p| !matches!(p.state, State::Zombie(_))).ok_or(Errno::ESRCH)?;
        if sig == 0 {
            return Ok(());
        }
        p.signals.pending |= Signals::bit(sig);
        p.state == State::Blocked && p.signals.interrupted()
    };
    if blocked {
        sched::wake(pid);
    }
    Ok(())
}

/// Whether the current process has a signal that should end its sleep.
pub fn current_interrupted() -> bool {
    super::with_current(|p| p.signals.interrupted())
}

/// On the way back to user mode: acts on a deliverable pending signal.
/// Every default action that is not "ignore" terminates the process.
pub fn deliver_pending() {
    let Some(sig) = super::with_current(|p| p.signals.take_deliverable()) else { return };
    let handler = super::with_current(|p| p.signals.handlers[usize::from(sig) - 1]);
    if handler != SIG_DFL {
        crate::kprintln!("signal {sig}: user handlers are not delivered yet; terminating pid {}", current_pid());
    }
    super::exit_current(kcore::wait_status::signaled(sig))
}
