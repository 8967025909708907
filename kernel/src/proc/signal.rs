//! Signals, the part the base kernel needs for processes and pipes: a
//! per-process pending set, mask and disposition table; `kill` marks a
//! signal pending and wakes a sleeping target (its sleep ends with EINTR);
//! on the way back to user mode a pending signal runs its handler (see
//! `frame.rs`) or takes its default action (terminate, or ignore for
//! SIGCHLD, SIGURG, SIGWINCH, SIGCONT).

use super::{Pid, State, TABLE, sched};
use kcore::errno::{Errno, KResult};
use kcore::signal::*;

pub const NSIG: usize = 64;
pub const SIG_DFL: u64 = vibix_uapi::signal::SIG_DFL as u64;
pub const SIG_IGN: u64 = vibix_uapi::signal::SIG_IGN as u64;

/// `sigaction` flags vibix acts on.
pub const SA_NODEFER: u64 = vibix_uapi::signal::SA_NODEFER;
pub const SA_RESETHAND: u64 = vibix_uapi::signal::SA_RESETHAND;

/// One signal's disposition: the kernel's `struct sigaction`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Action {
    pub handler: u64,
    pub flags: u64,
    pub restorer: u64,
    pub mask: u64,
}

/// What a process does with each signal, and which it holds back.
#[derive(Clone)]
pub struct Signals {
    pub pending: u64,
    pub mask: u64,
    /// Index = signal number - 1.
    pub actions: [Action; NSIG],
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
            mask: 0,
            actions: [DFL; NSIG],
        }
    }

    pub fn bit(sig: u8) -> u64 {
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
        match self.actions[usize::from(sig) - 1].handler {
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
        for a in &mut self.actions {
            if a.handler != SIG_IGN {
                *a = Action::default();
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
        let p = t
            .procs
            .get_mut(&pid)
            .filter(|p| !matches!(p.state, State::Zombie(_)))
            .ok_or(Errno::ESRCH)?;
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

/// On the way back to user mode (`frame` holds the user registers): runs
/// the handler of a deliverable pending signal, or its default action.
/// Returns true when `frame` was rewritten (every register must be
/// restored, so the return must use IRETQ).
pub fn deliver_pending(frame: &mut crate::arch::trap::TrapFrame) -> bool {
    let Some((sig, action)) = super::with_current(|p| {
        let sig = p.signals.take_deliverable()?;
        Some((sig, p.signals.actions[usize::from(sig) - 1]))
    }) else {
        return false;
    };
    if action.handler == SIG_DFL {
        super::exit_current(vibix_uapi::wait::signaled(sig));
    }
    match super::signal_frame::push(frame, sig, &action) {
        Ok(()) => true,
        // No room for the signal frame on the user stack: like Linux, die.
        Err(_) => super::exit_current(vibix_uapi::wait::signaled(kcore::signal::SIGSEGV)),
    }
}
