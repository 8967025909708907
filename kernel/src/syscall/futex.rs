//! `futex(uaddr, op, val, timeout, uaddr2, val3)`: the arguments read and
//! checked in Linux's order (the operation, the timeout, the bitset, the
//! address), then `proc::futex` waits or wakes.

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::KResult;
use kcore::futex::{Cmd, bitset, check_addr, deadline, decode};
use vibix_uapi::time::Timespec;

pub fn futex(f: &mut TrapFrame) -> KResult<u64> {
    let (uaddr, op, val, timeout, val3) = (f.arg(0), f.arg(1), f.arg(2), f.arg(3), f.arg(5));
    let op = decode(op)?;
    let deadline = if op.waits() && timeout != 0 {
        let mut ts = [0u8; size_of::<Timespec>()];
        with_current(|p| uaccess::copy_from_user(p.mm(), &mut ts, timeout))?;
        let sec = i64::from_le_bytes(ts[..8].try_into().expect("8 bytes"));
        let nsec = i64::from_le_bytes(ts[8..].try_into().expect("8 bytes"));
        let (mono, real) = (crate::time::monotonic_ns(), crate::time::realtime_ns());
        Some(deadline(op, sec, nsec, mono, real)?)
    } else {
        None
    };
    let bits = bitset(op.cmd, val3)?;
    check_addr(uaddr)?;
    match op.cmd {
        Cmd::Wait | Cmd::WaitBitset => {
            crate::proc::futex::wait(uaddr, op.private, val as u32, bits, deadline)
        }
        Cmd::Wake | Cmd::WakeBitset => {
            if !op.private {
                // A shared futex is found through its page, as on Linux: an
                // unmapped one is EFAULT. (A private one is only a number.)
                let mut word = [0u8; 4];
                with_current(|p| uaccess::copy_from_user(p.mm(), &mut word, uaddr))?;
            }
            // As on Linux, a count of 0 or less still wakes one waiter.
            let n = (val as i32).max(1) as usize;
            let pid = crate::proc::current_pid();
            Ok(crate::proc::futex::wake(pid, uaddr, op.private, n, bits) as u64)
        }
    }
}
