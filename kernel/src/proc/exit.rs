//! The end of threads and processes. `exit` ends the calling thread;
//! `exit_group` and a fatal signal end every thread of the process. The
//! last thread to end ends the process: its memory and descriptors are
//! freed at once, a zombie holds the wait status, its children pass to
//! init and its parent is woken; `wait4` collects zombies. When init
//! itself ends, the machine does: the kernel logs init's wait status and
//! powers off, handing that status to QEMU (see `power`).

use super::waitq::WaitQueue;
use super::{Pid, State, TABLE, current_pid, current_tid, sched};
use crate::kprintln;
use kcore::errno::{Errno, KResult};

/// Where parents wait for a child to change state.
pub static CHILD_EXIT: WaitQueue = WaitQueue::new();

/// Where a thread running `execve` waits for the other threads to end.
pub static THREAD_EXIT: WaitQueue = WaitQueue::new();

pub const INIT_PID: Pid = 1;

/// Ends the current process, every thread of it, with Linux wait status
/// `status` (`exit_group`, a fatal signal, a fault). The other threads end
/// at their next return to user mode or sleep (`Process::dooms`).
pub fn exit_current(status: u32) -> ! {
    let others = super::with_current(|p| {
        p.group_exit.get_or_insert(status);
        p.tids.clone()
    });
    for tid in others.into_iter().filter(|&t| t != current_tid()) {
        sched::wake(tid);
    }
    exit_thread(status)
}

// ANCHOR: exit_thread
/// Ends the current thread (`exit`). If other threads share its memory,
/// `CLONE_CHILD_CLEARTID`'s word is set to 0 and woken (how `join`
/// learns of the end). The last thread's end is the process's, with
/// `status` unless the process was already ending with another.
pub fn exit_thread(status: u32) -> ! {
    let tid = current_tid();
    let pid = current_pid();
    let clear = super::with_current_task(|task, p| {
        let addr = core::mem::take(&mut task.clear_child_tid);
        (addr != 0 && p.tids.len() > 1).then_some(addr)
    });
    if let Some(addr) = clear {
        // A bad address is ignored, as on Linux: the thread ends anyway.
        let zero = super::with_current(|p| crate::uaccess::copy_to_user(p.mm(), addr, &[0; 4]));
        if zero.is_ok() {
            // A shared wake, as Linux does it.
            super::futex::wake(pid, addr, false, 1, u32::MAX);
        }
    }
    let ending = {
        let mut t = TABLE.lock();
        let t = &mut *t;
        t.tasks.get_mut(&tid).expect("the current task").state = State::Dead;
        t.dead.push(tid);
        let p = t.procs.get_mut(&pid).expect("the current process");
        p.tids.retain(|&x| x != tid);
        if p.tids.is_empty() {
            let status = p.group_exit.unwrap_or(status);
            p.zombie = Some(status);
            let taken = (
                p.name.clone(),
                p.ppid,
                status,
                p.aspace.take(),
                core::mem::take(&mut p.files),
                p.cwd,
            );
            for child in t.procs.values_mut().filter(|c| c.ppid == pid) {
                child.ppid = INIT_PID;
            }
            Some(taken)
        } else {
            None
        }
    };
    let Some((name, ppid, status, aspace, files, cwd)) = ending else {
        // Another thread may be waiting in execve for this one to end.
        THREAD_EXIT.wake_all();
        sched::exit_to_next()
    };
    // Memory, descriptors and the working directory go now, outside the
    // table lock (closing files and directories takes the file tree's lock).
    drop(aspace);
    drop(files);
    crate::fs::with_tree(|t| t.close_ref(cwd));
    if pid == INIT_PID {
        let ticks = crate::arch::pit::ticks();
        kprintln!("{name} (pid {pid}) ended after {ticks} timer ticks");
        kprintln!("init exited, wait status {:#06x}", status);
        crate::power::exit_qemu(status)
    }
    // The parent learns of it as on Linux: SIGCHLD (ignored unless it has
    // a handler), and a wake-up if it waits.
    let _ = super::signal::send(
        ppid,
        kcore::signal::SIGCHLD,
        super::signal::Origin::child(pid, status),
    );
    CHILD_EXIT.wake_all();
    sched::exit_to_next()
}
// ANCHOR_END: exit_thread

pub const WNOHANG: u64 = vibix_uapi::wait::WNOHANG as u64;

/// Waits for a child process matching `want` (-1 or 0: any child; > 0:
/// that pid) to end, reaps it and returns its pid and wait status;
/// `Ok(None)` with WNOHANG when no child has ended yet. Threads are never
/// children: only processes are waited for.
pub fn wait_child(want: i64, options: u64) -> KResult<Option<(Pid, u32)>> {
    let me = current_pid();
    // A signal that woke the wait (often the child's SIGCHLD) ends it with
    // EINTR only if no child has ended meanwhile, as on Linux.
    let mut interrupted = None;
    loop {
        {
            let mut t = TABLE.lock();
            let matches = |pid: Pid, ppid: Pid| ppid == me && (want <= 0 || i64::from(pid) == want);
            let mut any = false;
            let mut zombie = None;
            for p in t.procs.values() {
                if matches(p.pid, p.ppid) {
                    any = true;
                    if let Some(status) = p.zombie {
                        zombie = Some((p.pid, status));
                        break;
                    }
                }
            }
            if let Some((pid, status)) = zombie {
                t.procs.remove(&pid);
                return Ok(Some((pid, status)));
            }
            if !any {
                return Err(Errno::ECHILD);
            }
            if options & WNOHANG != 0 {
                return Ok(None);
            }
            if let Some(e) = interrupted {
                return Err(e);
            }
        }
        if let Err(e) = CHILD_EXIT.sleep() {
            interrupted = Some(e);
        }
    }
}
