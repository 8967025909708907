//! System call signatures: for every system call the kernel's table declares
//! (`kernel/src/syscall/table.rs`), its Linux number, its name and what kind
//! of value each argument is.
//!
//! The kernel checks at compile time that every entry of its table has a
//! signature here with the same number and name, so the two cannot drift.
//! User programs read the table too: the EFAULT test (`efault_table`) calls
//! every system call with each pointer argument bad, and the syscall fuzzer
//! (`fuzz`) chooses adversarial values by argument kind.

/// What one argument of a system call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A number with no more specific kind (a command, `how`, an offset, a
    /// timeout, an exit status, a clock id).
    Int,
    /// A file descriptor.
    Fd,
    /// A directory file descriptor, or `AT_FDCWD` (-100).
    DirFd,
    /// A process id (`kill`, `wait4`).
    Pid,
    /// A signal number.
    Signal,
    /// A size or count: of bytes, or of the elements a pointer argument
    /// points to.
    Len,
    /// A set of flag bits.
    Flags,
    /// Permission bits (`open`'s and `chmod`'s mode) or an access mode.
    Mode,
    /// An address the kernel does not read or write through (a mapping
    /// hint, the range of `munmap`, the program break).
    Addr,
    /// A pointer to memory the kernel reads.
    PtrIn(Size),
    /// A pointer to memory the kernel writes.
    PtrOut(Size),
    /// A pointer to memory the kernel reads and then writes back.
    PtrInOut(Size),
    /// A pointer to a NUL-terminated path name the kernel reads.
    Path,
    /// A pointer to a NULL-terminated array of pointers to NUL-terminated
    /// strings (`execve`'s argv and envp).
    StrArray,
}

/// How many bytes a pointer argument covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// Always this many bytes.
    Fixed(usize),
    /// Argument `arg` (0-based) times `elem` bytes.
    Arg { arg: usize, elem: usize },
}

impl Size {
    /// The byte count for the argument values `args`; `None` if it
    /// overflows.
    pub fn bytes(self, args: &[u64; 6]) -> Option<u64> {
        match self {
            Size::Fixed(n) => Some(n as u64),
            Size::Arg { arg, elem } => args[arg].checked_mul(elem as u64),
        }
    }
}

impl Arg {
    /// Whether the kernel dereferences this argument as a user pointer.
    pub const fn is_pointer(self) -> bool {
        matches!(
            self,
            Arg::PtrIn(_) | Arg::PtrOut(_) | Arg::PtrInOut(_) | Arg::Path | Arg::StrArray
        )
    }

    /// Whether the kernel writes through this argument.
    pub const fn is_written(self) -> bool {
        matches!(self, Arg::PtrOut(_) | Arg::PtrInOut(_))
    }
}

/// One system call: its number, its name and its arguments, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    pub nr: u64,
    pub name: &'static str,
    pub args: &'static [Arg],
}

impl Signature {
    /// The positions (0-based) and kinds of the pointer arguments.
    pub fn pointer_args(&self) -> impl Iterator<Item = (usize, Arg)> + '_ {
        self.args
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, a)| a.is_pointer())
    }
}

/// The signature of system call `nr` (a `vibix_uapi::nr` constant), named
/// as that crate names it.
const fn sig(nr: usize, args: &'static [Arg]) -> Signature {
    let Some(name) = nr::name(nr) else {
        panic!("a system call without a name in vibix_uapi::nr")
    };
    Signature {
        nr: nr as u64,
        name,
        args,
    }
}

use Arg::*;
use vibix_uapi::nr;

/// `n` bytes.
const fn fixed(n: usize) -> Size {
    Size::Fixed(n)
}

/// As many bytes as argument `arg` says, times `elem`.
const fn counted(arg: usize, elem: usize) -> Size {
    Size::Arg { arg, elem }
}

/// Sizes of the structures the kernel copies (Linux x86_64).
const STAT: usize = size_of::<vibix_uapi::stat::Stat>();
const SIGACTION: usize = size_of::<vibix_uapi::signal::SigAction>();
const SIGSET: usize = size_of::<vibix_uapi::signal::SigSet>();
const STACK_T: usize = size_of::<vibix_uapi::signal::StackT>();
const RUSAGE: usize = size_of::<vibix_uapi::wait::Rusage>();
const SYSINFO: usize = size_of::<vibix_uapi::sysinfo::Sysinfo>();
const POLLFD: usize = size_of::<vibix_uapi::poll::PollFd>();
const IOVEC: usize = size_of::<vibix_uapi::uio::Iovec>();
const TIMESPEC: usize = size_of::<vibix_uapi::time::Timespec>();
const UTSNAME: usize = size_of::<vibix_uapi::utsname::Utsname>();

// ANCHOR: table
/// Every system call the kernel's table declares, in increasing number.
pub const SIGNATURES: &[Signature] = &[
    sig(nr::READ, &[Fd, PtrOut(counted(2, 1)), Len]),
    sig(nr::WRITE, &[Fd, PtrIn(counted(2, 1)), Len]),
    sig(nr::OPEN, &[Path, Flags, Mode]),
    sig(nr::CLOSE, &[Fd]),
    sig(nr::STAT, &[Path, PtrOut(fixed(STAT))]),
    sig(nr::FSTAT, &[Fd, PtrOut(fixed(STAT))]),
    sig(nr::LSTAT, &[Path, PtrOut(fixed(STAT))]),
    sig(nr::POLL, &[PtrInOut(counted(1, POLLFD)), Len, Int]),
    sig(nr::LSEEK, &[Fd, Int, Int]),
    sig(nr::MMAP, &[Addr, Len, Flags, Flags, Fd, Int]),
    sig(nr::MPROTECT, &[Addr, Len, Flags]),
    sig(nr::MUNMAP, &[Addr, Len]),
    sig(nr::BRK, &[Addr]),
    sig(
        nr::RT_SIGACTION,
        &[
            Signal,
            PtrIn(fixed(SIGACTION)),
            PtrOut(fixed(SIGACTION)),
            Len,
        ],
    ),
    sig(
        nr::RT_SIGPROCMASK,
        &[Int, PtrIn(fixed(SIGSET)), PtrOut(fixed(SIGSET)), Len],
    ),
    // Reads its frame from the user stack, not from an argument.
    sig(nr::RT_SIGRETURN, &[]),
    // The third argument depends on the request: the terminal requests the
    // kernel answers (TIOCGWINSZ: 8 bytes, TCGETS) write a structure there
    // (FIONBIO reads an `int` there; FIOCLEX and FIONCLEX ignore it).
    sig(nr::IOCTL, &[Fd, Int, PtrOut(fixed(8))]),
    // The offset is a plain number (negative: EINVAL).
    sig(nr::PREAD64, &[Fd, PtrOut(counted(2, 1)), Len, Int]),
    sig(nr::PWRITE64, &[Fd, PtrIn(counted(2, 1)), Len, Int]),
    // The array is read; the buffers it names are written (as writev's
    // are read): their addresses are data, not arguments.
    sig(nr::READV, &[Fd, PtrIn(counted(2, IOVEC)), Len]),
    sig(nr::WRITEV, &[Fd, PtrIn(counted(2, IOVEC)), Len]),
    sig(nr::ACCESS, &[Path, Mode]),
    sig(nr::PIPE, &[PtrOut(fixed(8))]),
    sig(nr::SCHED_YIELD, &[]),
    sig(nr::DUP, &[Fd]),
    sig(nr::DUP2, &[Fd, Fd]),
    // `rem` is written only when a signal ends the sleep early.
    sig(
        nr::NANOSLEEP,
        &[PtrIn(fixed(TIMESPEC)), PtrOut(fixed(TIMESPEC))],
    ),
    sig(nr::GETPID, &[]),
    // The tid pointers are written only as a courtesy (a bad one is no
    // error, as on Linux) and the stack and TLS are just stored: no
    // argument is checked as a pointer.
    sig(nr::CLONE, &[Flags, Addr, Addr, Addr, Int]),
    sig(nr::FORK, &[]),
    sig(nr::EXECVE, &[Path, StrArray, StrArray]),
    sig(nr::EXIT, &[Int]),
    sig(
        nr::WAIT4,
        &[Pid, PtrOut(fixed(4)), Flags, PtrOut(fixed(RUSAGE))],
    ),
    sig(nr::KILL, &[Pid, Signal]),
    sig(nr::UNAME, &[PtrOut(fixed(UTSNAME))]),
    // The commands the kernel knows take integers, not pointers.
    sig(nr::FCNTL, &[Fd, Int, Int]),
    sig(nr::FLOCK, &[Fd, Flags]),
    sig(nr::FSYNC, &[Fd]),
    sig(nr::FDATASYNC, &[Fd]),
    sig(nr::TRUNCATE, &[Path, Len]),
    sig(nr::FTRUNCATE, &[Fd, Len]),
    sig(nr::GETCWD, &[PtrOut(counted(1, 1)), Len]),
    sig(nr::CHDIR, &[Path]),
    sig(nr::FCHDIR, &[Fd]),
    sig(nr::RENAME, &[Path, Path]),
    sig(nr::MKDIR, &[Path, Mode]),
    sig(nr::RMDIR, &[Path]),
    sig(nr::LINK, &[Path, Path]),
    sig(nr::UNLINK, &[Path]),
    sig(nr::SYMLINK, &[Path, Path]),
    sig(nr::READLINK, &[Path, PtrOut(counted(2, 1)), Len]),
    sig(nr::CHMOD, &[Path, Mode]),
    sig(nr::FCHMOD, &[Fd, Mode]),
    sig(nr::UMASK, &[Mode]),
    sig(nr::SYSINFO, &[PtrOut(fixed(SYSINFO))]),
    sig(nr::GETUID, &[]),
    sig(nr::GETGID, &[]),
    sig(nr::GETEUID, &[]),
    sig(nr::GETEGID, &[]),
    sig(nr::GETPPID, &[]),
    // Either may be NULL: set nothing, report nothing.
    sig(
        nr::SIGALTSTACK,
        &[PtrIn(fixed(STACK_T)), PtrOut(fixed(STACK_T))],
    ),
    // mode carries the file type too; the last argument is the device number.
    sig(nr::MKNOD, &[Path, Mode, Int]),
    // ARCH_GET_FS writes the base (8 bytes) there; ARCH_SET_FS takes it as
    // an address.
    sig(nr::ARCH_PRCTL, &[Int, PtrOut(fixed(8))]),
    sig(nr::GETTID, &[]),
    sig(nr::TKILL, &[Pid, Signal]),
    // The word is read (a wait) or only named (a private wake); the
    // timeout is read by the waits; `uaddr2` is unused by the operations
    // vibix has.
    sig(
        nr::FUTEX,
        &[PtrIn(fixed(4)), Int, Int, PtrIn(fixed(TIMESPEC)), Addr, Int],
    ),
    sig(nr::SCHED_GETAFFINITY, &[Pid, Len, PtrOut(fixed(8))]),
    sig(nr::GETDENTS64, &[Fd, PtrOut(counted(2, 1)), Len]),
    // Stored, not dereferenced until the thread ends.
    sig(nr::SET_TID_ADDRESS, &[Addr]),
    sig(nr::CLOCK_GETTIME, &[Int, PtrOut(fixed(TIMESPEC))]),
    sig(
        nr::CLOCK_NANOSLEEP,
        &[Int, Flags, PtrIn(fixed(TIMESPEC)), PtrOut(fixed(TIMESPEC))],
    ),
    sig(nr::EXIT_GROUP, &[Int]),
    sig(nr::TGKILL, &[Pid, Pid, Signal]),
    sig(nr::OPENAT, &[DirFd, Path, Flags, Mode]),
    sig(nr::MKDIRAT, &[DirFd, Path, Mode]),
    // mode carries the file type too; the last argument is the device number.
    sig(nr::MKNODAT, &[DirFd, Path, Mode, Int]),
    sig(nr::NEWFSTATAT, &[DirFd, Path, PtrOut(fixed(STAT)), Flags]),
    sig(nr::UNLINKAT, &[DirFd, Path, Flags]),
    sig(nr::RENAMEAT, &[DirFd, Path, DirFd, Path]),
    sig(nr::LINKAT, &[DirFd, Path, DirFd, Path, Flags]),
    sig(nr::SYMLINKAT, &[Path, DirFd, Path]),
    sig(nr::READLINKAT, &[DirFd, Path, PtrOut(counted(3, 1)), Len]),
    // The system call has no flags argument (the C library's has).
    sig(nr::FCHMODAT, &[DirFd, Path, Mode]),
    sig(nr::FACCESSAT, &[DirFd, Path, Mode]),
    // A NULL path is the descriptor itself (futimens); a NULL `times`
    // means now.
    sig(
        nr::UTIMENSAT,
        &[DirFd, Path, PtrIn(fixed(2 * TIMESPEC)), Flags],
    ),
    sig(nr::DUP3, &[Fd, Fd, Flags]),
    sig(nr::PIPE2, &[PtrOut(fixed(8)), Flags]),
    sig(nr::RENAMEAT2, &[DirFd, Path, DirFd, Path, Flags]),
    sig(nr::GETRANDOM, &[PtrOut(counted(1, 1)), Len, Flags]),
];
// ANCHOR_END: table

/// The signature of system call `nr`, if the table has one.
pub const fn lookup(nr: u64) -> Option<&'static Signature> {
    // Binary search over the table, which is sorted by number (a unit test
    // checks that); written with `while` so the kernel can call it in a
    // constant.
    let (mut lo, mut hi) = (0, SIGNATURES.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let s = &SIGNATURES[mid];
        if s.nr == nr {
            return Some(s);
        } else if s.nr < nr {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    None
}

/// The signature named `name`, if the table has one.
pub fn by_name(name: &str) -> Option<&'static Signature> {
    SIGNATURES.iter().find(|s| s.name == name)
}

/// Whether the table has a signature for syscall `nr` named `name`, usable
/// in a constant (the kernel's compile-time check of its own table).
pub const fn matches(nr: u64, name: &str) -> bool {
    match lookup(nr) {
        Some(s) => str_eq(s.name, name),
        None => false,
    }
}

/// `a == b` in a `const fn`.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// One past the highest number in the table.
pub const fn table_end() -> u64 {
    match SIGNATURES.last() {
        Some(s) => s.nr + 1,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn the_table_is_sorted_without_duplicates() {
        for pair in SIGNATURES.windows(2) {
            assert!(
                pair[0].nr < pair[1].nr,
                "{} then {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn names_are_unique() {
        for (i, a) in SIGNATURES.iter().enumerate() {
            for b in &SIGNATURES[i + 1..] {
                assert_ne!(a.name, b.name);
            }
        }
    }

    #[test]
    fn lookup_finds_every_entry_and_nothing_else() {
        for s in SIGNATURES {
            assert_eq!(lookup(s.nr), Some(s));
            assert_eq!(by_name(s.name), Some(s));
        }
        let known: Vec<u64> = SIGNATURES.iter().map(|s| s.nr).collect();
        for nr in (0..1000).chain([u64::MAX, 1 << 32, 0x4000_0000]) {
            assert_eq!(lookup(nr).is_some(), known.contains(&nr), "{nr}");
        }
        assert_eq!(by_name("rename").map(|s| s.nr), Some(82));
        assert_eq!(by_name("renameat3"), None);
    }

    #[test]
    fn lookup_knows_the_linux_numbers() {
        // From the Linux x86_64 syscall table (arch/x86/entry/syscalls).
        for (nr, name) in [
            (0, "read"),
            (7, "poll"),
            (59, "execve"),
            (61, "wait4"),
            (217, "getdents64"),
            (318, "getrandom"),
        ] {
            assert_eq!(lookup(nr).map(|s| s.name), Some(name));
        }
    }

    #[test]
    fn matches_compares_number_and_name() {
        assert!(matches(1, "write"));
        assert!(!matches(1, "writ"));
        assert!(!matches(1, "writev"));
        assert!(matches(19, "readv"));
        assert!(!matches(19, "writev"));
        assert!(!str_eq("ab", "ac"));
    }

    #[test]
    fn pointer_arguments_by_kind() {
        let read = by_name("read").unwrap();
        assert_eq!(
            read.pointer_args().collect::<Vec<_>>(),
            [(1, PtrOut(Size::Arg { arg: 2, elem: 1 }))]
        );
        let link = by_name("link").unwrap();
        assert_eq!(
            link.pointer_args().map(|(i, _)| i).collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(
            by_name("mmap").unwrap().pointer_args().count(),
            0,
            "mmap's address is not dereferenced"
        );
        assert_eq!(by_name("execve").unwrap().args[1], StrArray);
        assert!(PtrInOut(fixed(8)).is_written() && PtrOut(fixed(8)).is_written());
        assert!(!PtrIn(fixed(8)).is_written() && !Path.is_written() && !Addr.is_pointer());
    }

    #[test]
    fn sizes_follow_their_count_argument() {
        let poll = by_name("poll").unwrap();
        let Arg::PtrInOut(size) = poll.args[0] else {
            panic!("poll's first argument")
        };
        assert_eq!(size.bytes(&[0, 3, 0, 0, 0, 0]), Some(24));
        assert_eq!(size.bytes(&[0, u64::MAX, 0, 0, 0, 0]), None);
        assert_eq!(fixed(144).bytes(&[9; 6]), Some(144));
    }

    #[test]
    fn count_arguments_are_lengths_and_in_range() {
        for s in SIGNATURES {
            assert!(s.args.len() <= 6, "{}", s.name);
            for (_, a) in s.pointer_args() {
                if let PtrIn(Size::Arg { arg, .. })
                | PtrOut(Size::Arg { arg, .. })
                | PtrInOut(Size::Arg { arg, .. }) = a
                {
                    assert_eq!(
                        s.args.get(arg),
                        Some(&Len),
                        "{}: the count of a pointer is a Len",
                        s.name
                    );
                }
            }
        }
    }

    #[test]
    fn table_end_is_past_the_last_number() {
        assert_eq!(table_end(), 319);
        assert!(lookup(table_end()).is_none());
    }
}
