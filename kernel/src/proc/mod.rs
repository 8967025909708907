//! Processes: the process table, the current process, and what a process
//! owns (address space, descriptor table, TLS pointer, kernel stack).
//! `sched` decides who runs; `fork`, `exec` and `exit` make and end them.

pub mod exec;
pub mod exit;
pub mod fork;
pub mod sched;
pub mod signal;
pub mod signal_frame;
pub mod timer;
pub mod waitq;

use crate::fs::fdtable::FdTable;
use crate::mm::aspace::AddressSpace;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::String;
use core::sync::atomic::{AtomicU32, Ordering};
use spin::Mutex;

pub use exit::exit_current;

pub type Pid = u32;

/// Each process's kernel stack: syscalls and traps from user mode run on it.
pub const KERNEL_STACK_SIZE: usize = 32 * 1024;

#[repr(C, align(16))]
pub struct KernelStack([u8; KERNEL_STACK_SIZE]);

impl KernelStack {
    pub fn new() -> Box<KernelStack> {
        // Built in place on the heap: the array is too big for the stack.
        let mut stack = Box::<KernelStack>::new_uninit();
        // SAFETY: zero bytes are a valid `[u8; N]`; `write_bytes` covers
        // the whole allocation, so it is initialized afterwards.
        unsafe {
            stack.as_mut_ptr().write_bytes(0, 1);
            stack.assume_init()
        }
    }

    pub fn top(&self) -> u64 {
        self.0.as_ptr() as u64 + KERNEL_STACK_SIZE as u64
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    /// On the run queue.
    Ready,
    /// On the CPU.
    Running,
    /// Waiting on a wait queue.
    Blocked,
    /// Dead, holding its wait status until the parent collects it.
    Zombie(u32),
}

pub struct Process {
    pub pid: Pid,
    pub ppid: Pid,
    pub name: String,
    pub state: State,
    /// `None` once the process has exited (its memory is freed at death).
    pub aspace: Option<AddressSpace>,
    pub files: FdTable,
    /// The FS base (TLS thread pointer) this process runs with.
    pub fs_base: u64,
    pub kstack: Box<KernelStack>,
    /// The kernel stack pointer saved by `switch_context` while not running.
    pub saved_rsp: u64,
    /// Unimplemented syscall numbers already logged for this process.
    pub enosys_logged: BTreeSet<u64>,
    pub signals: signal::Signals,
    /// The x87/SSE registers while the process is not on the CPU.
    pub fpu: Box<crate::arch::fpu::FpuState>,
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
}

pub struct Table {
    pub procs: BTreeMap<Pid, Box<Process>>,
    pub run_queue: VecDeque<Pid>,
}

pub static TABLE: Mutex<Table> = Mutex::new(Table {
    procs: BTreeMap::new(),
    run_queue: VecDeque::new(),
});
static CURRENT: AtomicU32 = AtomicU32::new(0);
static NEXT_PID: AtomicU32 = AtomicU32::new(1);

pub fn current_pid() -> Pid {
    CURRENT.load(Ordering::Relaxed)
}

fn set_current_pid(pid: Pid) {
    CURRENT.store(pid, Ordering::Relaxed);
}

pub fn alloc_pid() -> Pid {
    NEXT_PID.fetch_add(1, Ordering::Relaxed)
}

/// Runs `f` on the current process. `f` must not sleep or switch tasks
/// (the table is locked while it runs).
pub fn with_current<R>(f: impl FnOnce(&mut Process) -> R) -> R {
    let mut table = TABLE.lock();
    let pid = current_pid();
    f(table.procs.get_mut(&pid).expect("no current process"))
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
