//! `fork`: a new process that is a copy of the caller. Memory is shared
//! copy-on-write (see `mm/aspace.rs`); open files are shared, as POSIX
//! wants (the descriptor table is copied, the descriptions are not). In a
//! process with several threads, the child gets a copy of the calling
//! thread only (finding A-A6), as on Linux: the other threads' stacks and
//! memory are copied like any memory, but they do not run in the child.

use super::sched::{enqueue, task_first_run};
use super::{KernelStack, Pid, Process, TABLE, Task, alloc_pid, with_current_task};
use crate::arch::trap::TrapFrame;
use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use alloc::vec;
use kcore::errno::KResult;

// ANCHOR: prepare_stack
/// Lays out a new kernel stack so that the first `switch_context` into it
/// "returns" to `task_first_run`, which leaves for user mode with `frame`.
pub(super) fn prepare_stack(kstack: &KernelStack, frame: TrapFrame) -> u64 {
    let top = kstack.top();
    let frame_at = top - core::mem::size_of::<TrapFrame>() as u64;
    let ret_at = frame_at - 8;
    let regs_at = ret_at - 6 * 8; // rbp rbx r12 r13 r14 r15, popped as zeros
    // SAFETY: all three writes land inside the new, unshared kernel stack.
    unsafe {
        (frame_at as *mut TrapFrame).write(frame);
        (ret_at as *mut u64).write(task_first_run as *const () as u64);
        core::ptr::write_bytes(regs_at as *mut u64, 0, 6);
    }
    regs_at
}
// ANCHOR_END: prepare_stack

/// The caller's x87/SSE registers, live on the CPU, for a new task.
pub(super) fn copy_fpu() -> Box<crate::arch::fpu::FpuState> {
    let mut fpu = Box::new(crate::arch::fpu::FpuState::initial());
    fpu.save();
    fpu
}

/// Forks the current process, whose saved user registers are `frame`.
/// Returns the child's pid; the child sees 0.
pub fn fork(frame: &TrapFrame) -> KResult<Pid> {
    let pid = alloc_pid();
    let (child, mut task) = with_current_task(|me, p| -> KResult<(Box<Process>, Box<Task>)> {
        let child = Box::new(Process {
            pid,
            ppid: p.pid,
            name: p.name.clone(),
            tids: vec![pid],
            zombie: None,
            group_exit: None,
            exec_by: None,
            aspace: Some(p.mm().duplicate()?),
            files: p.files.clone(),
            enosys_logged: BTreeSet::new(),
            // Handlers are inherited; pending signals are not.
            signals: super::signal::Signals {
                pending: 0,
                ..p.signals.clone()
            },
            cwd: {
                crate::fs::with_tree(|t| t.open_ref(p.cwd));
                p.cwd
            },
            umask: p.umask,
        });
        // The calling thread alone, with its TLS pointer, mask and
        // alternate signal stack (the same addresses in the copied memory).
        let mut task = Box::new(Task::new(pid, pid, me.fs_base, copy_fpu()));
        task.sig_mask = me.sig_mask;
        task.alt_stack = me.alt_stack;
        Ok((child, task))
    })?;
    let child_frame = TrapFrame { rax: 0, ..*frame };
    task.saved_rsp = prepare_stack(&task.kstack, child_frame);
    {
        let mut t = TABLE.lock();
        t.procs.insert(pid, child);
        t.tasks.insert(pid, task);
    }
    enqueue(pid);
    Ok(pid)
}
