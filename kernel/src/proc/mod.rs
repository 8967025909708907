//! Processes. Until the scheduler lands there is exactly one: init, run
//! from the command line. A process owns its address space, descriptor
//! table, TLS pointer and kernel stack.

pub mod exec;
pub mod exit;

use crate::fs::fdtable::FdTable;
use crate::mm::aspace::AddressSpace;
use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use alloc::string::String;
use spin::Mutex;

pub use exit::exit_current;

/// Each process's kernel stack: syscalls and traps from user mode run on it.
pub const KERNEL_STACK_SIZE: usize = 32 * 1024;

#[repr(C, align(16))]
pub struct KernelStack([u8; KERNEL_STACK_SIZE]);

impl KernelStack {
    pub fn new() -> Box<KernelStack> {
        Box::new(KernelStack([0; KERNEL_STACK_SIZE]))
    }

    pub fn top(&self) -> u64 {
        self.0.as_ptr() as u64 + KERNEL_STACK_SIZE as u64
    }
}

pub struct Process {
    pub pid: u32,
    pub name: String,
    pub aspace: AddressSpace,
    pub files: FdTable,
    /// The FS base (TLS thread pointer) this process runs with.
    pub fs_base: u64,
    pub kstack: Box<KernelStack>,
    /// Unimplemented syscall numbers already logged for this process.
    pub enosys_logged: BTreeSet<u64>,
}

static CURRENT: Mutex<Option<Box<Process>>> = Mutex::new(None);

/// Runs `f` on the current process. Panics without one (a kernel bug: only
/// user-mode traps and syscalls call this).
pub fn with_current<R>(f: impl FnOnce(&mut Process) -> R) -> R {
    let mut guard = CURRENT.lock();
    f(guard.as_mut().expect("no current process"))
}

/// Makes `p` the current process, replacing (and freeing) any previous one.
pub fn set_current(p: Box<Process>) -> Option<Box<Process>> {
    CURRENT.lock().replace(p)
}

/// Pid and name for reports; never blocks (a fault may hit while the
/// process is locked), answering `(0, "?")` then.
pub fn current_identity() -> (u32, String) {
    match CURRENT.try_lock() {
        Some(guard) => guard.as_ref().map_or((0, String::from("kernel")), |p| (p.pid, p.name.clone())),
        None => (0, String::from("?")),
    }
}
