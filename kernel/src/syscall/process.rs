//! Process syscalls: exit and arch_prctl (the TLS pointer).

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::layout::USER_END;

const ARCH_SET_FS: u64 = 0x1002;
const ARCH_GET_FS: u64 = 0x1003;

pub fn exit(f: &mut TrapFrame) -> KResult<u64> {
    crate::proc::exit_current(kcore::wait_status::exited(f.arg(0) as u8))
}

pub fn arch_prctl(f: &mut TrapFrame) -> KResult<u64> {
    let (code, addr) = (f.arg(0), f.arg(1));
    match code {
        ARCH_SET_FS => {
            if addr >= USER_END {
                return Err(Errno::EPERM);
            }
            with_current(|p| p.fs_base = addr);
            crate::arch::cpu::set_fs_base(addr);
            Ok(0)
        }
        ARCH_GET_FS => with_current(|p| uaccess::copy_to_user(&mut p.aspace, addr, &p.fs_base.to_le_bytes())).map(|()| 0),
        _ => Err(Errno::EINVAL),
    }
}

/// `exit_group`: ends every thread of the process; with one thread per
/// process (until phase 3) that is `exit`.
#[cfg(feature = "phase1")]
pub fn exit_group(f: &mut TrapFrame) -> KResult<u64> {
    exit(f)
}
