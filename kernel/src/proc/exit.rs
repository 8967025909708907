//! The end of a process: `exit` frees its memory and descriptors at once,
//! leaves a zombie holding the wait status, hands its children to init and
//! wakes its parent; `wait4` collects zombies. When init itself ends, the
//! machine does: the kernel logs init's wait status and powers off, handing
//! that status to QEMU (see `power`).

use super::waitq::WaitQueue;
use super::{Pid, State, TABLE, current_pid, sched};
use crate::kprintln;
use kcore::errno::{Errno, KResult};

/// Where parents wait for a child to change state.
pub static CHILD_EXIT: WaitQueue = WaitQueue::new();

pub const INIT_PID: Pid = 1;

/// Ends the current process with Linux wait status `status`.
pub fn exit_current(status: u32) -> ! {
    let pid = current_pid();
    let (name, aspace, files, cwd) = {
        let mut t = TABLE.lock();
        let p = t.procs.get_mut(&pid).expect("the current process exists");
        p.state = State::Zombie(status);
        let taken = (
            p.name.clone(),
            p.aspace.take(),
            core::mem::take(&mut p.files),
            p.cwd,
        );
        for child in t.procs.values_mut().filter(|c| c.ppid == pid) {
            child.ppid = INIT_PID;
        }
        taken
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
    CHILD_EXIT.wake_all();
    sched::exit_to_next()
}

pub const WNOHANG: u64 = vibix_uapi::wait::WNOHANG as u64;

/// Waits for a child matching `want` (-1 or 0: any child; > 0: that pid)
/// to end, reaps it and returns its pid and wait status; `Ok(None)` with
/// WNOHANG when no child has ended yet.
pub fn wait_child(want: i64, options: u64) -> KResult<Option<(Pid, u32)>> {
    let me = current_pid();
    loop {
        {
            let mut t = TABLE.lock();
            let matches = |pid: Pid, ppid: Pid| ppid == me && (want <= 0 || i64::from(pid) == want);
            let mut any = false;
            let mut zombie = None;
            for p in t.procs.values() {
                if matches(p.pid, p.ppid) {
                    any = true;
                    if let State::Zombie(status) = p.state {
                        zombie = Some((p.pid, status));
                        break;
                    }
                }
            }
            if let Some((pid, status)) = zombie {
                // The zombie's kernel stack is no longer in use: free it all.
                t.procs.remove(&pid);
                return Ok(Some((pid, status)));
            }
            if !any {
                return Err(Errno::ECHILD);
            }
            if options & WNOHANG != 0 {
                return Ok(None);
            }
        }
        CHILD_EXIT.sleep()?;
    }
}
