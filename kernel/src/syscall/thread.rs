//! Thread syscalls: clone, set_tid_address, gettid, getppid, sched_yield,
//! sched_getaffinity, tgkill and tkill. (`exit` and `exit_group` are in
//! `process.rs`; `futex` has its own file.)

use crate::arch::trap::TrapFrame;
use crate::proc::{with_current, with_current_task};
use crate::uaccess;
use kcore::errno::{Errno, KResult};

/// `clone(flags, stack, parent_tid, child_tid, tls)`: a new thread (see
/// `proc::clone`).
pub fn clone(f: &mut TrapFrame) -> KResult<u64> {
    let (flags, stack, ptid, ctid, tls) = (f.arg(0), f.arg(1), f.arg(2), f.arg(3), f.arg(4));
    crate::proc::clone::clone_thread(f, flags, stack, ptid, ctid, tls).map(u64::from)
}

/// `set_tid_address(tidptr)`: where 0 is stored and woken when the thread
/// ends; returns the caller's tid.
pub fn set_tid_address(f: &mut TrapFrame) -> KResult<u64> {
    Ok(with_current_task(|t, _| {
        t.clear_child_tid = f.arg(0);
        u64::from(t.tid)
    }))
}

pub fn gettid(_: &mut TrapFrame) -> KResult<u64> {
    Ok(u64::from(crate::proc::current_tid()))
}

/// The parent process's pid (0 for init), the same for every thread.
pub fn getppid(_: &mut TrapFrame) -> KResult<u64> {
    Ok(with_current(|p| u64::from(p.ppid)))
}

pub fn sched_yield(_: &mut TrapFrame) -> KResult<u64> {
    crate::proc::sched::yield_now();
    Ok(0)
}

/// `sched_getaffinity(pid, len, mask)`: vibix runs on one CPU, so every
/// task's mask is CPU 0 alone. Returns the bytes written (one `u64`).
pub fn sched_getaffinity(f: &mut TrapFrame) -> KResult<u64> {
    let (pid, len, mask) = (f.arg(0) as i32, f.arg(1), f.arg(2));
    // As on Linux: room for every CPU, in whole longs.
    if len == 0 || !len.is_multiple_of(8) {
        return Err(Errno::EINVAL);
    }
    if pid != 0 && !thread_exists(pid) {
        return Err(Errno::ESRCH);
    }
    with_current(|p| uaccess::copy_to_user(p.mm(), mask, &1u64.to_le_bytes()))?;
    Ok(8)
}

fn thread_exists(tid: i32) -> bool {
    u32::try_from(tid).is_ok_and(|tid| {
        crate::proc::TABLE
            .lock()
            .tasks
            .get(&tid)
            .is_some_and(|t| t.state != crate::proc::State::Dead)
    })
}

fn signal_number(sig: u64) -> KResult<u8> {
    u8::try_from(sig)
        .ok()
        .filter(|&s| usize::from(s) <= crate::proc::signal::NSIG)
        .ok_or(Errno::EINVAL)
}

fn positive_id(id: u64) -> KResult<u32> {
    u32::try_from(id as i32)
        .ok()
        .filter(|&id| id > 0)
        .ok_or(Errno::EINVAL)
}

/// `tgkill(tgid, tid, sig)`: a signal to one thread of process `tgid`.
pub fn tgkill(f: &mut TrapFrame) -> KResult<u64> {
    let (tgid, tid) = (positive_id(f.arg(0))?, positive_id(f.arg(1))?);
    let sig = signal_number(f.arg(2))?;
    let from = crate::proc::signal::Origin::tkill(crate::proc::current_pid());
    crate::proc::signal::send_thread(Some(tgid), tid, sig, from).map(|()| 0)
}

/// `tkill(tid, sig)`: a signal to one thread, whatever its process.
pub fn tkill(f: &mut TrapFrame) -> KResult<u64> {
    let tid = positive_id(f.arg(0))?;
    let sig = signal_number(f.arg(1))?;
    let from = crate::proc::signal::Origin::tkill(crate::proc::current_pid());
    crate::proc::signal::send_thread(None, tid, sig, from).map(|()| 0)
}
