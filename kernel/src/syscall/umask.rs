//! `umask`: each process's file-creation mask, the permission bits that
//! `open(O_CREAT)`, `mkdir` and the like take away from the mode they are
//! given. It starts at 0o022 for the first process, is inherited by
//! `fork` and kept across `execve` (`proc::Process::umask`).

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use kcore::errno::KResult;

/// The bits a mask can hold: permissions, without setuid, setgid and
/// sticky (as Linux keeps them).
const MASK_BITS: u32 = 0o777;

/// `umask(mask)`: sets the mask to `mask & 0o777` and returns the old one.
/// It cannot fail.
pub fn umask(f: &mut TrapFrame) -> KResult<u64> {
    let new = f.arg(0) as u32 & MASK_BITS;
    Ok(u64::from(with_current(|p| {
        core::mem::replace(&mut p.umask, new)
    })))
}

/// The current process's mask.
pub(super) fn current() -> u32 {
    with_current(|p| p.umask)
}
