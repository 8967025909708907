//! Signal syscalls: kill, rt_sigaction, rt_sigprocmask, rt_sigreturn.

use crate::arch::trap::TrapFrame;
use crate::proc::signal::{Action, NSIG};
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::signal::{SIGKILL, SIGSTOP};

pub fn kill(f: &mut TrapFrame) -> KResult<u64> {
    let (pid, sig) = (f.arg(0) as i32, f.arg(1));
    let sig = u8::try_from(sig)
        .ok()
        .filter(|&s| usize::from(s) <= NSIG)
        .ok_or(Errno::EINVAL)?;
    // Process groups and "everyone" (pid <= 0) are not supported yet.
    let pid = u32::try_from(pid)
        .ok()
        .filter(|&p| p > 0)
        .ok_or(Errno::ESRCH)?;
    crate::proc::signal::send(pid, sig).map(|()| 0)
}

/// `rt_sigaction(sig, *act, *oldact, sigsetsize)`. The kernel's
/// `struct sigaction` is { handler, flags, restorer, mask } (8 bytes each).
pub fn rt_sigaction(f: &mut TrapFrame) -> KResult<u64> {
    let (sig, act, oldact, setsize) = (f.arg(0), f.arg(1), f.arg(2), f.arg(3));
    if setsize != 8 {
        return Err(Errno::EINVAL);
    }
    let sig = u8::try_from(sig)
        .ok()
        .filter(|&s| s >= 1 && usize::from(s) <= NSIG)
        .ok_or(Errno::EINVAL)?;
    with_current(|p| {
        let slot = usize::from(sig) - 1;
        let old = p.signals.actions[slot];
        if act != 0 {
            let mut raw = [0u8; 32];
            uaccess::copy_from_user(p.mm(), &mut raw, act)?;
            let word =
                |i: usize| u64::from_le_bytes(raw[8 * i..8 * i + 8].try_into().expect("8 bytes"));
            if sig == SIGKILL || sig == SIGSTOP {
                return Err(Errno::EINVAL);
            }
            p.signals.actions[slot] = Action {
                handler: word(0),
                flags: word(1),
                restorer: word(2),
                mask: word(3),
            };
        }
        if oldact != 0 {
            let mut raw = [0u8; 32];
            for (i, v) in [old.handler, old.flags, old.restorer, old.mask]
                .iter()
                .enumerate()
            {
                raw[8 * i..8 * i + 8].copy_from_slice(&v.to_le_bytes());
            }
            uaccess::copy_to_user(p.mm(), oldact, &raw)?;
        }
        Ok(0)
    })
}

const SIG_BLOCK: u64 = vibix_uapi::signal::SIG_BLOCK as u64;
const SIG_UNBLOCK: u64 = vibix_uapi::signal::SIG_UNBLOCK as u64;
const SIG_SETMASK: u64 = vibix_uapi::signal::SIG_SETMASK as u64;

pub fn rt_sigprocmask(f: &mut TrapFrame) -> KResult<u64> {
    let (how, set, oldset, setsize) = (f.arg(0), f.arg(1), f.arg(2), f.arg(3));
    if setsize != 8 {
        return Err(Errno::EINVAL);
    }
    crate::proc::with_current_task(|t, p| {
        let old = t.sig_mask;
        if set != 0 {
            let mut raw = [0u8; 8];
            uaccess::copy_from_user(p.mm(), &mut raw, set)?;
            let set = u64::from_le_bytes(raw);
            let mask = match how {
                SIG_BLOCK => old | set,
                SIG_UNBLOCK => old & !set,
                SIG_SETMASK => set,
                _ => return Err(Errno::EINVAL),
            };
            // SIGKILL and SIGSTOP cannot be blocked.
            t.sig_mask = mask & !((1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1)));
        }
        if oldset != 0 {
            uaccess::copy_to_user(p.mm(), oldset, &old.to_le_bytes())?;
        }
        Ok(0)
    })
}

/// `rt_sigreturn()`: back from a signal handler (see `proc::signal_frame`).
/// Returns the restored `rax`, so the dispatcher's store keeps it.
pub fn rt_sigreturn(f: &mut TrapFrame) -> KResult<u64> {
    match crate::proc::signal_frame::sigreturn(f) {
        Ok(()) => Ok(f.rax),
        // A corrupt frame cannot be returned to: like Linux, SIGSEGV.
        Err(_) => crate::proc::exit_current(vibix_uapi::wait::signaled(kcore::signal::SIGSEGV)),
    }
}
