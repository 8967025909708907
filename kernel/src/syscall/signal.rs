//! Signal syscalls: kill, rt_sigaction, rt_sigprocmask, rt_sigreturn,
//! sigaltstack.

use crate::arch::trap::TrapFrame;
use crate::proc::signal::{Action, NSIG};
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::signal::{SIGKILL, SIGSTOP};
use vibix_uapi::signal::StackT;

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
    let from = crate::proc::signal::Origin::user(crate::proc::current_pid());
    crate::proc::signal::send(pid, sig, from).map(|()| 0)
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

// ANCHOR: sigaltstack
/// `sigaltstack(ss, old_ss)`: the calling thread's alternate signal stack.
/// `old_ss` gets the one before the call, as seen from the caller's stack
/// pointer (`SS_ONSTACK` while a handler runs on it); `ss` sets a new one
/// by `kcore::altstack`'s rules. Either may be NULL. As on Linux, the new
/// one is set before `old_ss` is written, so a bad `old_ss` is `EFAULT`
/// with the change made.
pub fn sigaltstack(f: &mut TrapFrame) -> KResult<u64> {
    let (ss, old_ss, sp) = (f.arg(0), f.arg(1), f.rsp);
    crate::proc::with_current_task(|t, p| {
        let new = if ss != 0 {
            let mut raw = [0u8; size_of::<StackT>()];
            uaccess::copy_from_user(p.mm(), &mut raw, ss)?;
            let word = |at: usize| u64::from_le_bytes(raw[at..at + 8].try_into().expect("8 bytes"));
            Some(StackT {
                ss_sp: word(0) as usize,
                ss_flags: word(8) as u32 as i32,
                ss_size: word(16) as usize,
            })
        } else {
            None
        };
        let old = t.alt_stack.report(sp);
        if let Some(new) = new {
            t.alt_stack.change(new, sp)?;
        }
        if old_ss != 0 {
            let mut raw = [0u8; size_of::<StackT>()];
            raw[0..8].copy_from_slice(&(old.ss_sp as u64).to_le_bytes());
            raw[8..12].copy_from_slice(&old.ss_flags.to_le_bytes());
            raw[16..24].copy_from_slice(&(old.ss_size as u64).to_le_bytes());
            uaccess::copy_to_user(p.mm(), old_ss, &raw)?;
        }
        Ok(0)
    })
}
// ANCHOR_END: sigaltstack
