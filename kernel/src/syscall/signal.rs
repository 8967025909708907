//! Signal syscalls: kill, rt_sigaction (default and ignore), rt_sigprocmask.

use crate::arch::trap::TrapFrame;
use crate::proc::signal::{NSIG, SIG_DFL, SIG_IGN};
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::signal::{SIGKILL, SIGSTOP};

pub fn kill(f: &mut TrapFrame) -> KResult<u64> {
    let (pid, sig) = (f.arg(0) as i32, f.arg(1));
    let sig = u8::try_from(sig).ok().filter(|&s| usize::from(s) <= NSIG).ok_or(Errno::EINVAL)?;
    // Process groups and "everyone" (pid <= 0) are not supported yet.
    let pid = u32::try_from(pid).ok().filter(|&p| p > 0).ok_or(Errno::ESRCH)?;
    crate::proc::signal::send(pid, sig).map(|()| 0)
}

/// `rt_sigaction(sig, *act, *oldact, sigsetsize)`. The kernel's
/// `struct sigaction` is { handler, flags, restorer, mask } (8 bytes each).
/// Handlers other than SIG_DFL/SIG_IGN are refused with EINVAL for now:
/// vibix cannot run them yet, and pretending would lose signals.
pub fn rt_sigaction(f: &mut TrapFrame) -> KResult<u64> {
    let (sig, act, oldact, setsize) = (f.arg(0), f.arg(1), f.arg(2), f.arg(3));
    if setsize != 8 {
        return Err(Errno::EINVAL);
    }
    let sig = u8::try_from(sig).ok().filter(|&s| s >= 1 && usize::from(s) <= NSIG).ok_or(Errno::EINVAL)?;
    with_current(|p| {
        let slot = usize::from(sig) - 1;
        let old = p.signals.handlers[slot];
        if act != 0 {
            let mut raw = [0u8; 32];
            uaccess::copy_from_user(p.mm(), &mut raw, act)?;
            let handler = u64::from_le_bytes(raw[..8].try_into().expect("8 bytes"));
            if sig == SIGKILL || sig == SIGSTOP || !matches!(handler, SIG_DFL | SIG_IGN) {
                return Err(Errno::EINVAL);
            }
            p.signals.handlers[slot] = handler;
        }
        if oldact != 0 {
            let mut raw = [0u8; 32];
            raw[..8].copy_from_slice(&old.to_le_bytes());
            uaccess::copy_to_user(p.mm(), oldact, &raw)?;
        }
        Ok(0)
    })
}

const SIG_BLOCK: u64 = 0;
const SIG_UNBLOCK: u64 = 1;
const SIG_SETMASK: u64 = 2;

pub fn rt_sigprocmask(f: &mut TrapFrame) -> KResult<u64> {
    let (how, set, oldset, setsize) = (f.arg(0), f.arg(1), f.arg(2), f.arg(3));
    if setsize != 8 {
        return Err(Errno::EINVAL);
    }
    with_current(|p| {
        let old = p.signals.mask;
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
            p.signals.mask = mask & !((1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1)));
        }
        if oldset != 0 {
            uaccess::copy_to_user(p.mm(), oldset, &old.to_le_bytes())?;
        }
        Ok(0)
    })
}
