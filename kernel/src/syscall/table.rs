//! The syscall table: the one place a syscall is declared. Each entry gives
//! its Linux number (a `vibix_uapi::nr` constant, which also gives its
//! name), its handler and the phase that introduced it;
//! the book's syscall reference is generated from this file, so keep one
//! `sys(...)` entry per line. Later phases add their entries under their
//! cargo feature; without it, those numbers answer ENOSYS.

use vibix_uapi::nr;

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

/// The entry for system call `nr` (a `vibix_uapi::nr` constant), named as
/// that crate names it.
const fn sys(nr: usize, handler: Handler, phase: u8) -> Syscall {
    let Some(name) = nr::name(nr) else {
        panic!("a syscall table entry without a name in vibix_uapi::nr")
    };
    Syscall { nr: nr as u64, name, handler, phase }
}

// ANCHOR: phase0
/// Phase 0: the kernel RFC 0009 starts from.
const PHASE0: &[Syscall] = &[
    sys(nr::READ, fs::read, 0),
    sys(nr::WRITE, fs::write, 0),
    sys(nr::OPEN, fs::open, 0),
    sys(nr::CLOSE, fs::close, 0),
    sys(nr::STAT, fsops::stat, 0),
    sys(nr::FSTAT, fs::fstat, 0),
    sys(nr::LSTAT, fsops::lstat, 0),
    sys(nr::POLL, poll::poll, 0),
    sys(nr::LSEEK, fs::lseek, 0),
    sys(nr::MMAP, mem::mmap, 0),
    sys(nr::MPROTECT, mem::mprotect, 0),
    sys(nr::MUNMAP, mem::munmap, 0),
    sys(nr::BRK, mem::brk, 0),
    sys(nr::RT_SIGACTION, signal::rt_sigaction, 0),
    sys(nr::RT_SIGPROCMASK, signal::rt_sigprocmask, 0),
    sys(nr::RT_SIGRETURN, signal::rt_sigreturn, 0),
    sys(nr::IOCTL, fd::ioctl, 0),
    sys(nr::ACCESS, fsops::access, 0),
    sys(nr::PIPE, fd::pipe, 0),
    sys(nr::DUP, fd::dup, 0),
    sys(nr::DUP2, fd::dup2, 0),
    sys(nr::FORK, process::fork, 0),
    sys(nr::EXECVE, process::execve, 0),
    sys(nr::EXIT, process::exit, 0),
    sys(nr::WAIT4, process::wait4, 0),
    sys(nr::KILL, signal::kill, 0),
    sys(nr::FCNTL, fd::fcntl, 0),
    sys(nr::FSYNC, fsops::fsync, 0),
    sys(nr::TRUNCATE, fsops::truncate, 0),
    sys(nr::FTRUNCATE, fsops::ftruncate, 0),
    sys(nr::GETCWD, cwd::getcwd, 0),
    sys(nr::CHDIR, cwd::chdir, 0),
    sys(nr::FCHDIR, cwd::fchdir, 0),
    sys(nr::MKDIR, fsops::mkdir, 0),
    sys(nr::RMDIR, fsops::rmdir, 0),
    sys(nr::LINK, fsops::link, 0),
    sys(nr::UNLINK, fsops::unlink, 0),
    sys(nr::SYMLINK, fsops::symlink, 0),
    sys(nr::READLINK, fsops::readlink, 0),
    sys(nr::CHMOD, fsops::chmod, 0),
    sys(nr::FCHMOD, fsops::fchmod, 0),
    sys(nr::SYSINFO, sysinfo::sysinfo, 0),
    sys(nr::GETUID, cred::root_id, 0),
    sys(nr::GETGID, cred::root_id, 0),
    sys(nr::GETEUID, cred::root_id, 0),
    sys(nr::GETEGID, cred::root_id, 0),
    sys(nr::ARCH_PRCTL, process::arch_prctl, 0),
    sys(nr::GETDENTS64, fsops::getdents64, 0),
    sys(nr::OPENAT, fs::openat, 0),
    sys(nr::MKDIRAT, fsops::mkdirat, 0),
    sys(nr::NEWFSTATAT, fsops::newfstatat, 0),
    sys(nr::UNLINKAT, fsops::unlinkat, 0),
    sys(nr::FACCESSAT, fsops::faccessat, 0),
    sys(nr::DUP3, fd::dup3, 0),
    sys(nr::PIPE2, fd::pipe2, 0),
];

// ANCHOR_END: phase0
// ANCHOR: phase1
/// Phase 1: what std's first platform layer needs (`println!`, time, random).
#[cfg(feature = "phase1")]
const PHASE1: &[Syscall] = &[
    sys(nr::WRITEV, fs::writev, 1),
    sys(nr::GETPID, info::getpid, 1),
    sys(nr::CLOCK_GETTIME, info::clock_gettime, 1),
    sys(nr::EXIT_GROUP, process::exit_group, 1),
    sys(nr::GETRANDOM, info::getrandom, 1),
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
