//! Processes and the tasks (threads) in them. A *task* (`task.rs`) is what
//! runs: kernel stack, registers, TLS pointer, signal mask. A *process*
//! (a thread group; its pid is its first task's tid) is what the tasks
//! share: address space, descriptor table, working directory, umask,
//! signal dispositions and process-wide pending signals, parent and
//! children, exit status. One table holds both, under one lock (`TABLE`).
//! `sched` decides which task runs; `fork`, `clone`, `exec` and `exit` make
//! and end them; `futex` is where threads wait for each other.
//!
//! Locks (finding O-B1): `TABLE` protects every process and task, and
//! with them each process's descriptor table, address space and working
//! directory; it is a spinlock, taken only for short sections that never
//! sleep, and `sched` checks at every switch that it is free (`lockcheck`).

pub mod clone;
pub mod exec;
pub mod exit;
pub mod fork;
pub mod futex;
pub mod lockcheck;
pub mod sched;
pub mod signal;
pub mod signal_frame;
pub mod task;
pub mod timer;
pub mod waitq;

use crate::fs::fdtable::FdTable;
use crate::mm::aspace::AddressSpace;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use spin::Mutex;

pub use exit::exit_current;
pub use task::{KernelStack, State, Task, Tid};

pub type Pid = u32;

pub struct Process {
    pub pid: Pid,
    pub ppid: Pid,
    pub name: String,
    /// The live tasks (threads), the first one created first.
    pub tids: Vec<Tid>,
    /// `Some(wait status)` once every thread has ended: a zombie, until the
    /// parent collects it.
    pub zombie: Option<u32>,
    /// `Some(wait status)` once the process is ending as a whole
    /// (`exit_group`, a fatal signal): every thread ends at its next return
    /// to user mode or sleep, and the last one's end gives this status.
    pub group_exit: Option<u32>,
    /// The thread running `execve`, while it waits for the others to end.
    pub exec_by: Option<Tid>,
    /// `None` once the process has exited (its memory is freed at death).
    pub aspace: Option<AddressSpace>,
    pub files: FdTable,
    /// Unimplemented syscall numbers already logged for this process.
    pub enosys_logged: BTreeSet<u64>,
    /// Dispositions and the signals sent to the process as a whole.
    pub signals: signal::Signals,
    /// The working directory; holds an open reference on the node, so a
    /// removed directory's inode is not reused while we are in it.
    pub cwd: kcore::fs::Ino,
    /// The file-creation mask (`umask`): permission bits new files and
    /// directories do not get. Inherited by `fork`, kept by `execve`.
    pub umask: u32,
}

/// The file-creation mask of the first process, as on Linux: new files are
/// not group- or world-writable.
pub const INITIAL_UMASK: u32 = 0o022;

impl Process {
    /// The address space of a live process.
    pub fn mm(&mut self) -> &mut AddressSpace {
        self.aspace
            .as_mut()
            .expect("a live process has an address space")
    }

    /// Whether task `tid` of this process must end at its next chance
    /// (the process is ending, or another thread is running `execve`).
    pub fn dooms(&self, tid: Tid) -> bool {
        self.group_exit.is_some() || self.exec_by.is_some_and(|by| by != tid)
    }
}

pub struct Table {
    /// Processes by pid (zombies included).
    pub procs: BTreeMap<Pid, Box<Process>>,
    /// Tasks by tid (dead ones until `sched` frees them).
    pub tasks: BTreeMap<Tid, Box<Task>>,
    pub run_queue: VecDeque<Tid>,
    /// Dead tasks whose kernel stacks are still to be freed.
    pub dead: Vec<Tid>,
}

pub static TABLE: Mutex<Table> = Mutex::new(Table {
    procs: BTreeMap::new(),
    tasks: BTreeMap::new(),
    run_queue: VecDeque::new(),
    dead: Vec::new(),
});
static CURRENT_TID: AtomicU32 = AtomicU32::new(0);
static CURRENT_PID: AtomicU32 = AtomicU32::new(0);
/// Pids and tids come from one counter: a process's first task has the
/// process's pid as its tid, as on Linux.
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

/// The running task's process.
pub fn current_pid() -> Pid {
    CURRENT_PID.load(Ordering::Relaxed)
}

/// The running task.
pub fn current_tid() -> Tid {
    CURRENT_TID.load(Ordering::Relaxed)
}

fn set_current(tid: Tid, pid: Pid) {
    CURRENT_TID.store(tid, Ordering::Relaxed);
    CURRENT_PID.store(pid, Ordering::Relaxed);
}

pub fn alloc_pid() -> Pid {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Runs `f` on the current process. `f` must not sleep or switch tasks
/// (the table is locked while it runs).
pub fn with_current<R>(f: impl FnOnce(&mut Process) -> R) -> R {
    let mut table = TABLE.lock();
    let pid = current_pid();
    f(table.procs.get_mut(&pid).expect("no current process"))
}

/// Runs `f` on the current task and its process; as [`with_current`].
pub fn with_current_task<R>(f: impl FnOnce(&mut Task, &mut Process) -> R) -> R {
    let mut table = TABLE.lock();
    let t = &mut *table;
    let task = t.tasks.get_mut(&current_tid()).expect("no current task");
    let process = t.procs.get_mut(&task.tgid).expect("a task's process");
    f(task, process)
}

/// Pid and name for reports; never blocks (a fault may hit while the
/// table is locked), answering `(0, "?")` then.
pub fn current_identity() -> (u32, String) {
    match TABLE.try_lock() {
        Some(t) => t
            .procs
            .get(&current_pid())
            .map_or((0, String::from("kernel")), |p| (p.pid, p.name.clone())),
        None => (0, String::from("?")),
    }
}

/// How many tasks exist (dead ones not yet freed included): `sysinfo`'s
/// `procs`, which counts threads, as on Linux.
pub fn task_count() -> usize {
    TABLE.lock().tasks.len()
}
