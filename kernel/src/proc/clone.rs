//! `clone`: a new thread in the caller's process. It shares everything
//! the process holds (address space, descriptors, working directory,
//! signal handlers) simply by belonging to the same `Process`: nothing is
//! copied, and the fork path is never taken (finding O-A1). What is its
//! own: a fresh kernel stack, the user stack the caller gives, its TLS
//! pointer (exactly the `tls` argument with `CLONE_SETTLS`: the kernel
//! neither copies nor makes a TLS block, finding O-A3), the caller's
//! signal mask and x87/SSE registers, and a new tid.

use super::sched::enqueue;
use super::{TABLE, Task, Tid, alloc_pid, with_current_task};
use crate::arch::trap::TrapFrame;
use alloc::boxed::Box;
use kcore::errno::{Errno, KResult};
use kcore::layout::USER_END;

/// The most threads one process may have (Linux's limit is far higher;
/// this keeps a runaway program from eating the kernel heap with kernel
/// stacks).
pub const MAX_THREADS: usize = 1024;

// ANCHOR: clone
/// `clone(flags, stack, parent_tid, child_tid, tls)` from the caller whose
/// user registers are `frame`. Returns the new thread's tid; the thread
/// starts where the caller returns, with `rax = 0` and `rsp = stack`.
pub fn clone_thread(
    frame: &TrapFrame,
    flags: u64,
    stack: u64,
    parent_tid: u64,
    child_tid: u64,
    tls: u64,
) -> KResult<Tid> {
    let request = kcore::clone::check(flags)?;
    if request.set_tls && tls >= USER_END {
        return Err(Errno::EPERM); // as arch_prctl(ARCH_SET_FS) answers
    }
    let tid = alloc_pid();
    let mut task = with_current_task(|me, p| -> KResult<Box<Task>> {
        if p.tids.len() >= MAX_THREADS || p.dooms(me.tid) {
            return Err(Errno::EAGAIN);
        }
        let fs_base = if request.set_tls { tls } else { me.fs_base };
        let mut task = Box::new(Task::new(tid, p.pid, fs_base, super::fork::copy_fpu()));
        task.sig_mask = me.sig_mask;
        // No alternate signal stack (`Task::new`'s), as on Linux for a
        // thread: the creator's is its own.
        if request.child_cleartid {
            task.clear_child_tid = child_tid;
        }
        if request.parent_settid {
            // As on Linux, a bad address is not an error: the thread exists.
            let _ = crate::uaccess::copy_to_user(p.mm(), parent_tid, &tid.to_le_bytes());
        }
        p.tids.push(tid);
        Ok(task)
    })?;
    let child_frame = TrapFrame {
        rax: 0,
        rsp: if stack != 0 { stack } else { frame.rsp },
        ..*frame
    };
    task.saved_rsp = super::fork::prepare_stack(&task.kstack, child_frame);
    TABLE.lock().tasks.insert(tid, task);
    enqueue(tid);
    Ok(tid)
}
// ANCHOR_END: clone
