//! Credentials. Every vibix process runs as root: user and group 0, real
//! and effective alike (the auxiliary vector says the same).

use crate::arch::trap::TrapFrame;
use kcore::errno::KResult;

/// `getuid`, `geteuid`, `getgid`, `getegid`: always 0.
pub fn root_id(_: &mut TrapFrame) -> KResult<u64> {
    Ok(0)
}
