//! The syscall table: the one place a syscall is declared, and the one place
//! that decides which a kernel answers. Each row gives its Linux number (a
//! `vibix_uapi::nr` constant, which also gives its name), its handler and
//! the phase that introduced it. Every row is compiled into every kernel;
//! `dispatch` answers `ENOSYS` for a row whose phase is above the kernel's
//! (`crate::phase::PHASE`). The book's syscall reference is generated from
//! this table, so keep one `sys(...)` row per line, grouped by phase.

use vibix_uapi::nr;

use super::futex;
use super::{
    Handler, cred, cwd, fd, file_times, flock, fs, fsops, mem, poll, process, random, signal,
    sysinfo, thread, time, umask,
};
use crate::phase::PHASE;

pub struct Syscall {
    pub nr: u64,
    pub name: &'static str,
    pub handler: Handler,
    /// The phase that introduced the syscall (0: the kernel RFC 0009 starts
    /// from): kernels of an earlier phase answer `ENOSYS`.
    pub phase: u8,
}

impl Syscall {
    /// Whether this kernel answers the syscall: its phase is not above the
    /// kernel's.
    #[allow(
        clippy::absurd_extreme_comparisons,
        reason = "in the phase-0 kernel, PHASE is 0: only phase-0 rows"
    )]
    pub fn answered(&self) -> bool {
        self.phase <= PHASE
    }
}

/// The row for system call `nr` (a `vibix_uapi::nr` constant), named as
/// that crate names it.
const fn sys(nr: usize, handler: Handler, phase: u8) -> Syscall {
    let Some(name) = nr::name(nr) else {
        panic!("a syscall table entry without a name in vibix_uapi::nr")
    };
    Syscall {
        nr: nr as u64,
        name,
        handler,
        phase,
    }
}

/// Every syscall vibix has, by the phase that introduced it.
pub const TABLE: &[Syscall] = &[
    // ANCHOR: phase0
    // Phase 0: the kernel RFC 0009 starts from.
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
    // ANCHOR_END: phase0
    // ANCHOR: phase1
    // Phase 1: what std's first platform layer needs (`println!`, time, random).
    sys(nr::WRITEV, fs::writev, 1),
    sys(nr::GETPID, process::getpid, 1),
    sys(nr::CLOCK_GETTIME, time::clock_gettime, 1),
    sys(nr::EXIT_GROUP, process::exit_group, 1),
    sys(nr::GETRANDOM, random::getrandom, 1),
    // ANCHOR_END: phase1
    // ANCHOR: phase2
    // Phase 2: what std::fs, std::process and thread::sleep need.
    sys(nr::PREAD64, fs::pread64, 2),
    sys(nr::PWRITE64, fs::pwrite64, 2),
    sys(nr::READV, fs::readv, 2),
    sys(nr::NANOSLEEP, time::nanosleep, 2),
    sys(nr::UNAME, sysinfo::uname, 2),
    sys(nr::RENAME, fsops::rename, 2),
    sys(nr::CLOCK_NANOSLEEP, time::clock_nanosleep, 2),
    sys(nr::RENAMEAT, fsops::renameat, 2),
    sys(nr::RENAMEAT2, fsops::renameat2, 2),
    // What std::fs's timestamps, permissions and locks need.
    sys(nr::FLOCK, flock::flock, 2),
    // Everything is in memory: syncing data only is syncing.
    sys(nr::FDATASYNC, fsops::fsync, 2),
    sys(nr::UMASK, umask::umask, 2),
    sys(nr::LINKAT, fsops::linkat, 2),
    sys(nr::SYMLINKAT, fsops::symlinkat, 2),
    sys(nr::READLINKAT, fsops::readlinkat, 2),
    sys(nr::FCHMODAT, fsops::fchmodat, 2),
    sys(nr::UTIMENSAT, file_times::utimensat, 2),
    // ANCHOR_END: phase2
    // ANCHOR: phase3
    // Phase 3: threads (std::thread) and what std::sync waits on.
    sys(nr::SCHED_YIELD, thread::sched_yield, 3),
    sys(nr::CLONE, thread::clone, 3),
    sys(nr::GETPPID, thread::getppid, 3),
    sys(nr::GETTID, thread::gettid, 3),
    sys(nr::TKILL, thread::tkill, 3),
    sys(nr::FUTEX, futex::futex, 3),
    sys(nr::SCHED_GETAFFINITY, thread::sched_getaffinity, 3),
    sys(nr::SET_TID_ADDRESS, thread::set_tid_address, 3),
    sys(nr::TGKILL, thread::tgkill, 3),
    sys(nr::SIGALTSTACK, signal::sigaltstack, 3),
    // ANCHOR_END: phase3
    // ANCHOR: phase4
    // Phase 4: what the C library's callers need beyond std (pjdfstest).
    sys(nr::MKNOD, fsops::mknod, 4),
    sys(nr::MKNODAT, fsops::mknodat, 4),
    // ANCHOR_END: phase4
];

/// One past the highest syscall number any row uses.
const MAX_NR: usize = 512;

/// `INDEX[nr]` = row + 1, or 0: built at compile time.
static INDEX: [u16; MAX_NR] = {
    let mut index = [0u16; MAX_NR];
    let mut i = 0;
    while i < TABLE.len() {
        let nr = TABLE[i].nr as usize;
        assert!(
            nr < MAX_NR && index[nr] == 0,
            "syscall number out of range or declared twice"
        );
        index[nr] = i as u16 + 1;
        i += 1;
    }
    index
};

/// Rows are grouped by phase, in order (the book shows each phase's rows).
const _: () = {
    let mut i = 1;
    while i < TABLE.len() {
        assert!(
            TABLE[i - 1].phase <= TABLE[i].phase,
            "syscall table rows out of phase order"
        );
        i += 1;
    }
};

// ANCHOR: signature_check
/// Every entry has a signature in `kcore::sysargs` with the same number and
/// name (the table the EFAULT test and the fuzzer read), checked when the
/// kernel is compiled, so the two cannot drift apart.
const _: () = {
    let mut i = 0;
    while i < TABLE.len() {
        let entry = &TABLE[i];
        assert!(
            kcore::sysargs::matches(entry.nr, entry.name),
            "a syscall table entry has no signature in kcore::sysargs (number and name must match)"
        );
        i += 1;
    }
};
// ANCHOR_END: signature_check

/// Logs the rows this kernel answers (`vibix.syscalls` on the command
/// line): the book's syscall reference is generated from this output, per
/// phase.
pub fn log_table() {
    for entry in TABLE.iter().filter(|e| e.answered()) {
        crate::kprintln!("syscall {} {} phase {}", entry.nr, entry.name, entry.phase);
    }
}

/// The row for syscall number `nr`, if the table has one (answered by this
/// kernel or not: see [`Syscall::answered`]).
pub fn lookup(nr: u64) -> Option<&'static Syscall> {
    let &i = INDEX.get(usize::try_from(nr).ok()?)?;
    (i != 0).then(|| &TABLE[i as usize - 1])
}
