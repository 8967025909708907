//! `fork`: a new process that is a copy of the caller. Memory is copied
//! eagerly, page by page (no copy-on-write yet); open files are shared, as
//! POSIX wants (the descriptor table is copied, the descriptions are not).

use super::sched::{enqueue, task_first_run};
use super::{KernelStack, Pid, Process, State, TABLE, alloc_pid, with_current};
use crate::arch::trap::TrapFrame;
use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use kcore::errno::KResult;

// ANCHOR: prepare_stack
/// Lays out a new kernel stack so that the first `switch_context` into it
/// "returns" to `task_first_run`, which leaves for user mode with `frame`.
fn prepare_stack(kstack: &KernelStack, frame: TrapFrame) -> u64 {
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

/// Forks the current process, whose saved user registers are `frame`.
/// Returns the child's pid; the child sees 0.
pub fn fork(frame: &TrapFrame) -> KResult<Pid> {
    let pid = alloc_pid();
    let mut child = with_current(|p| -> KResult<Box<Process>> {
        Ok(Box::new(Process {
            pid,
            ppid: p.pid,
            name: p.name.clone(),
            state: State::Ready,
            aspace: Some(p.mm().duplicate()?),
            files: p.files.clone(),
            fs_base: p.fs_base,
            kstack: KernelStack::new(),
            saved_rsp: 0,
            enosys_logged: BTreeSet::new(),
            // Handlers and mask are inherited; pending signals are not.
            signals: super::signal::Signals {
                pending: 0,
                ..p.signals.clone()
            },
            cwd: {
                crate::fs::with_tree(|t| t.open_ref(p.cwd));
                p.cwd
            },
            umask: p.umask,
            fpu: {
                // The parent is on the CPU: its registers are live.
                let mut fpu = Box::new(crate::arch::fpu::FpuState::initial());
                fpu.save();
                fpu
            },
        }))
    })?;
    let child_frame = TrapFrame { rax: 0, ..*frame };
    child.saved_rsp = prepare_stack(&child.kstack, child_frame);
    TABLE.lock().procs.insert(pid, child);
    enqueue(pid);
    Ok(pid)
}
