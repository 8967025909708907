//! System calls: the Linux x86_64 convention (`rax` = number, arguments in
//! `rdi rsi rdx r10 r8 r9`, result or `-errno` in `rax`). `dispatch` looks
//! the number up in `table::TABLE`, the single list of every syscall vibix
//! has with the phase that introduced it, and runs its handler if this
//! kernel's phase answers it (else `ENOSYS`).

mod cred;
mod cwd;
mod fd;
mod file_times;
mod flock;
mod fs;
mod fsops;
mod futex;
mod mem;
mod poll;
mod process;
mod random;
mod signal;
mod sysinfo;
pub mod table;
mod thread;
mod time;
mod umask;

use crate::arch::trap::TrapFrame;
use crate::kprintln;
use kcore::errno::{Errno, KResult};

const RT_SIGRETURN: u64 = vibix_uapi::nr::RT_SIGRETURN as u64;

/// What a handler sees: the saved user registers.
pub type Handler = fn(&mut TrapFrame) -> KResult<u64>;

impl TrapFrame {
    /// The n-th syscall argument (0-based), as the Linux ABI places it.
    pub fn arg(&self, n: usize) -> u64 {
        [self.rdi, self.rsi, self.rdx, self.r10, self.r8, self.r9][n]
    }
}

// ANCHOR: dispatch
/// Runs the syscall in `frame` and stores its result in `frame.rax`.
/// Returns whether the return to user mode must restore every register.
pub fn dispatch(frame: &mut TrapFrame) -> bool {
    let nr = frame.rax;
    let result = match table::lookup(nr) {
        // A row of a later phase than this kernel's is not answered.
        Some(entry) if entry.answered() => (entry.handler)(frame),
        _ => {
            log_unimplemented(nr);
            Err(Errno::ENOSYS)
        }
    };
    frame.rax = match result {
        Ok(value) => value,
        Err(e) => (-(e.as_i32() as i64)) as u64,
    };
    // rt_sigreturn restored every register: SYSRET would clobber rcx/r11.
    nr == RT_SIGRETURN
}
// ANCHOR_END: dispatch

/// How many different unimplemented numbers are logged per process. A
/// program trying every number (the syscall fuzzer does, in hundreds of
/// processes) would otherwise flood the kernel log with megabytes of lines
/// and keep a growing set per process.
const ENOSYS_LOG_LIMIT: usize = 16;

/// Logs an unimplemented syscall once per number and process, for the
/// first `ENOSYS_LOG_LIMIT` numbers; then says once that it stops.
fn log_unimplemented(nr: u64) {
    crate::proc::with_current(|p| {
        if p.enosys_logged.len() < ENOSYS_LOG_LIMIT && p.enosys_logged.insert(nr) {
            kprintln!(
                "unimplemented syscall {nr} from {} (pid {}): ENOSYS",
                p.name,
                p.pid
            );
            if p.enosys_logged.len() == ENOSYS_LOG_LIMIT {
                kprintln!(
                    "{} (pid {}): further unimplemented syscalls are not logged",
                    p.name,
                    p.pid
                );
            }
        }
    });
}
