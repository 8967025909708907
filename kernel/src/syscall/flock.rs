//! `flock(fd, operation)`: whole-file advisory locks, shared or exclusive,
//! held by open file descriptions (`fs::flock` keeps them, `kcore::flock`
//! has the rules). The checks come in Linux's order: the operation, then
//! the descriptor.

use super::fs::file;
use crate::arch::trap::TrapFrame;
use kcore::errno::{Errno, KResult};
use kcore::flock::LockKind;
use vibix_uapi::fcntl::{LOCK_EX, LOCK_MAND, LOCK_NB, LOCK_SH, LOCK_UN};

const SH: u32 = LOCK_SH as u32;
const EX: u32 = LOCK_EX as u32;
const UN: u32 = LOCK_UN as u32;
const NB: u32 = LOCK_NB as u32;
const MAND: u32 = LOCK_MAND as u32;

/// `flock(fd, operation)`: `LOCK_SH`, `LOCK_EX` or `LOCK_UN`, maybe with
/// `LOCK_NB` (a conflict is then `EWOULDBLOCK` instead of a wait). Any
/// other operation is `EINVAL`, except that one with the obsolete
/// `LOCK_MAND` bit does nothing and succeeds, as on Linux.
pub fn flock(f: &mut TrapFrame) -> KResult<u64> {
    // Both arguments are C `unsigned int`s: the upper halves of the
    // registers are not looked at.
    let (fd, op) = (f.arg(0) as u32 as i32, f.arg(1) as u32);
    if op & MAND != 0 {
        return Ok(0);
    }
    let kind = match op & !NB {
        SH => Some(LockKind::Shared),
        EX => Some(LockKind::Exclusive),
        UN => None,
        _ => return Err(Errno::EINVAL),
    };
    let file = file(fd)?;
    match kind {
        Some(kind) => crate::fs::flock::lock(&file, kind, op & NB != 0)?,
        None => crate::fs::flock::unlock(&file),
    }
    Ok(0)
}
