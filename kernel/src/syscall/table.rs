//! The syscall table: the one place a syscall is declared. Each entry gives
//! its Linux number, its name, its handler and the phase that introduced it;
//! the book's syscall reference is generated from this file, so keep one
//! `sys(...)` entry per line. Later phases add their entries under their
//! cargo feature; without it, those numbers answer ENOSYS.

use super::{Handler, cred, cwd, fd, fs, fsops, mem, poll, process, signal, sysinfo};
#[cfg(feature = "phase1")]
use super::info;

pub struct Syscall {
    pub nr: u64,
    pub name: &'static str,
    pub handler: Handler,
    /// The phase that introduced the syscall (0: the kernel RFC 0009 starts from).
    pub phase: u8,
}

const fn sys(nr: u64, name: &'static str, handler: Handler, phase: u8) -> Syscall {
    Syscall { nr, name, handler, phase }
}

// ANCHOR: phase0
/// Phase 0: the kernel RFC 0009 starts from.
const PHASE0: &[Syscall] = &[
    sys(0, "read", fs::read, 0),
    sys(1, "write", fs::write, 0),
    sys(2, "open", fs::open, 0),
    sys(3, "close", fs::close, 0),
    sys(4, "stat", fsops::stat, 0),
    sys(5, "fstat", fs::fstat, 0),
    sys(6, "lstat", fsops::lstat, 0),
    sys(7, "poll", poll::poll, 0),
    sys(8, "lseek", fs::lseek, 0),
    sys(9, "mmap", mem::mmap, 0),
    sys(10, "mprotect", mem::mprotect, 0),
    sys(11, "munmap", mem::munmap, 0),
    sys(12, "brk", mem::brk, 0),
    sys(13, "rt_sigaction", signal::rt_sigaction, 0),
    sys(14, "rt_sigprocmask", signal::rt_sigprocmask, 0),
    sys(15, "rt_sigreturn", signal::rt_sigreturn, 0),
    sys(16, "ioctl", fd::ioctl, 0),
    sys(21, "access", fsops::access, 0),
    sys(22, "pipe", fd::pipe, 0),
    sys(32, "dup", fd::dup, 0),
    sys(33, "dup2", fd::dup2, 0),
    sys(57, "fork", process::fork, 0),
    sys(59, "execve", process::execve, 0),
    sys(60, "exit", process::exit, 0),
    sys(61, "wait4", process::wait4, 0),
    sys(62, "kill", signal::kill, 0),
    sys(72, "fcntl", fd::fcntl, 0),
    sys(74, "fsync", fsops::fsync, 0),
    sys(76, "truncate", fsops::truncate, 0),
    sys(77, "ftruncate", fsops::ftruncate, 0),
    sys(79, "getcwd", cwd::getcwd, 0),
    sys(80, "chdir", cwd::chdir, 0),
    sys(81, "fchdir", cwd::fchdir, 0),
    sys(83, "mkdir", fsops::mkdir, 0),
    sys(84, "rmdir", fsops::rmdir, 0),
    sys(86, "link", fsops::link, 0),
    sys(87, "unlink", fsops::unlink, 0),
    sys(88, "symlink", fsops::symlink, 0),
    sys(89, "readlink", fsops::readlink, 0),
    sys(90, "chmod", fsops::chmod, 0),
    sys(91, "fchmod", fsops::fchmod, 0),
    sys(99, "sysinfo", sysinfo::sysinfo, 0),
    sys(102, "getuid", cred::root_id, 0),
    sys(104, "getgid", cred::root_id, 0),
    sys(107, "geteuid", cred::root_id, 0),
    sys(108, "getegid", cred::root_id, 0),
    sys(158, "arch_prctl", process::arch_prctl, 0),
    sys(217, "getdents64", fsops::getdents64, 0),
    sys(257, "openat", fs::openat, 0),
    sys(258, "mkdirat", fsops::mkdirat, 0),
    sys(262, "newfstatat", fsops::newfstatat, 0),
    sys(263, "unlinkat", fsops::unlinkat, 0),
    sys(269, "faccessat", fsops::faccessat, 0),
    sys(292, "dup3", fd::dup3, 0),
    sys(293, "pipe2", fd::pipe2, 0),
];

// ANCHOR_END: phase0
// ANCHOR: phase1
/// Phase 1: what std's first platform layer needs (`println!`, time, random).
#[cfg(feature = "phase1")]
const PHASE1: &[Syscall] = &[
    sys(20, "writev", fs::writev, 1),
    sys(39, "getpid", info::getpid, 1),
    sys(228, "clock_gettime", info::clock_gettime, 1),
    sys(231, "exit_group", process::exit_group, 1),
    sys(318, "getrandom", info::getrandom, 1),
];
// ANCHOR_END: phase1

/// Every table of the phases this kernel is built with.
const PHASES: &[&[Syscall]] = &[
    PHASE0,
    #[cfg(feature = "phase1")]
    PHASE1,
];

/// One past the highest syscall number any entry uses.
const MAX_NR: usize = 512;

/// `INDEX[nr]` = (phase table, entry) + 1, or 0: built at compile time.
static INDEX: [(u8, u16); MAX_NR] = {
    let mut index = [(0u8, 0u16); MAX_NR];
    let mut p = 0;
    while p < PHASES.len() {
        let mut i = 0;
        while i < PHASES[p].len() {
            let nr = PHASES[p][i].nr as usize;
            assert!(nr < MAX_NR && index[nr].0 == 0, "syscall number out of range or declared twice");
            index[nr] = (p as u8 + 1, i as u16);
            i += 1;
        }
        p += 1;
    }
    index
};

// ANCHOR: signature_check
/// Every entry has a signature in `kcore::sysargs` with the same number and
/// name (the table the EFAULT test and the fuzzer read), checked when the
/// kernel is compiled, so the two cannot drift apart.
const _: () = {
    let mut p = 0;
    while p < PHASES.len() {
        let mut i = 0;
        while i < PHASES[p].len() {
            let entry = &PHASES[p][i];
            assert!(
                kcore::sysargs::matches(entry.nr, entry.name),
                "a syscall table entry has no signature in kcore::sysargs (number and name must match)"
            );
            i += 1;
        }
        p += 1;
    }
};
// ANCHOR_END: signature_check

/// Logs the whole table (`vibix.syscalls` on the command line): the book's
/// syscall reference is generated from this output, per phase.
pub fn log_table() {
    for entry in PHASES.iter().flat_map(|p| p.iter()) {
        crate::kprintln!("syscall {} {} phase {}", entry.nr, entry.name, entry.phase);
    }
}

/// The entry for syscall number `nr`, if this kernel has it.
pub fn lookup(nr: u64) -> Option<&'static Syscall> {
    let &(p, i) = INDEX.get(usize::try_from(nr).ok()?)?;
    (p != 0).then(|| &PHASES[p as usize - 1][i as usize])
}
