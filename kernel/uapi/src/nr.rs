//! System-call numbers: the Linux x86_64 numbering
//! (`arch/x86/entry/syscalls/syscall_64.tbl`), which vibix shares. The
//! number goes in `rax` for the `syscall` instruction. Each call's number
//! and name are written once, in the table below; a number the running
//! kernel does not answer fails with `ENOSYS`.

/// Declares the number constants, [`ALL`] and [`name`] from one table.
macro_rules! syscalls {
    ($($name:ident = $nr:literal, $lower:literal;)*) => {
        $(#[doc = concat!("`", $lower, "`")] pub const $name: usize = $nr;)*

        /// Every `(number, name)` this crate knows, in increasing number.
        pub const ALL: &[(usize, &str)] = &[$(($nr, $lower),)*];

        /// The name of system call `nr` (`"read"` for 0), if this crate
        /// knows it.
        pub const fn name(nr: usize) -> Option<&'static str> {
            match nr {
                $($nr => Some($lower),)*
                _ => None,
            }
        }
    };
}

syscalls! {
    READ = 0, "read";
    WRITE = 1, "write";
    OPEN = 2, "open";
    CLOSE = 3, "close";
    STAT = 4, "stat";
    FSTAT = 5, "fstat";
    LSTAT = 6, "lstat";
    POLL = 7, "poll";
    LSEEK = 8, "lseek";
    MMAP = 9, "mmap";
    MPROTECT = 10, "mprotect";
    MUNMAP = 11, "munmap";
    BRK = 12, "brk";
    RT_SIGACTION = 13, "rt_sigaction";
    RT_SIGPROCMASK = 14, "rt_sigprocmask";
    RT_SIGRETURN = 15, "rt_sigreturn";
    IOCTL = 16, "ioctl";
    PREAD64 = 17, "pread64";
    PWRITE64 = 18, "pwrite64";
    READV = 19, "readv";
    WRITEV = 20, "writev";
    ACCESS = 21, "access";
    PIPE = 22, "pipe";
    SCHED_YIELD = 24, "sched_yield";
    DUP = 32, "dup";
    DUP2 = 33, "dup2";
    NANOSLEEP = 35, "nanosleep";
    GETPID = 39, "getpid";
    SOCKET = 41, "socket";
    BIND = 49, "bind";
    CLONE = 56, "clone";
    FORK = 57, "fork";
    EXECVE = 59, "execve";
    EXIT = 60, "exit";
    WAIT4 = 61, "wait4";
    KILL = 62, "kill";
    UNAME = 63, "uname";
    FCNTL = 72, "fcntl";
    FLOCK = 73, "flock";
    FSYNC = 74, "fsync";
    FDATASYNC = 75, "fdatasync";
    TRUNCATE = 76, "truncate";
    FTRUNCATE = 77, "ftruncate";
    GETCWD = 79, "getcwd";
    CHDIR = 80, "chdir";
    FCHDIR = 81, "fchdir";
    RENAME = 82, "rename";
    MKDIR = 83, "mkdir";
    RMDIR = 84, "rmdir";
    LINK = 86, "link";
    UNLINK = 87, "unlink";
    SYMLINK = 88, "symlink";
    READLINK = 89, "readlink";
    CHMOD = 90, "chmod";
    FCHMOD = 91, "fchmod";
    CHOWN = 92, "chown";
    FCHOWN = 93, "fchown";
    LCHOWN = 94, "lchown";
    UMASK = 95, "umask";
    GETTIMEOFDAY = 96, "gettimeofday";
    SYSINFO = 99, "sysinfo";
    GETUID = 102, "getuid";
    GETGID = 104, "getgid";
    SETUID = 105, "setuid";
    SETGID = 106, "setgid";
    GETEUID = 107, "geteuid";
    GETEGID = 108, "getegid";
    GETPPID = 110, "getppid";
    GETGROUPS = 115, "getgroups";
    SETGROUPS = 116, "setgroups";
    SETRESUID = 117, "setresuid";
    SETRESGID = 119, "setresgid";
    RT_SIGPENDING = 127, "rt_sigpending";
    RT_SIGSUSPEND = 130, "rt_sigsuspend";
    SIGALTSTACK = 131, "sigaltstack";
    MKNOD = 133, "mknod";
    STATFS = 137, "statfs";
    FSTATFS = 138, "fstatfs";
    PRCTL = 157, "prctl";
    ARCH_PRCTL = 158, "arch_prctl";
    MOUNT = 165, "mount";
    REBOOT = 169, "reboot";
    GETTID = 186, "gettid";
    TKILL = 200, "tkill";
    FUTEX = 202, "futex";
    SCHED_GETAFFINITY = 204, "sched_getaffinity";
    GETDENTS64 = 217, "getdents64";
    SET_TID_ADDRESS = 218, "set_tid_address";
    CLOCK_GETTIME = 228, "clock_gettime";
    CLOCK_GETRES = 229, "clock_getres";
    CLOCK_NANOSLEEP = 230, "clock_nanosleep";
    EXIT_GROUP = 231, "exit_group";
    TGKILL = 234, "tgkill";
    OPENAT = 257, "openat";
    MKDIRAT = 258, "mkdirat";
    MKNODAT = 259, "mknodat";
    FCHOWNAT = 260, "fchownat";
    NEWFSTATAT = 262, "newfstatat";
    UNLINKAT = 263, "unlinkat";
    RENAMEAT = 264, "renameat";
    LINKAT = 265, "linkat";
    SYMLINKAT = 266, "symlinkat";
    READLINKAT = 267, "readlinkat";
    FCHMODAT = 268, "fchmodat";
    FACCESSAT = 269, "faccessat";
    UTIMENSAT = 280, "utimensat";
    FALLOCATE = 285, "fallocate";
    DUP3 = 292, "dup3";
    PIPE2 = 293, "pipe2";
    RENAMEAT2 = 316, "renameat2";
    GETRANDOM = 318, "getrandom";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_named() {
        for pair in ALL.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{pair:?}");
        }
        for &(nr, n) in ALL {
            assert_eq!(name(nr), Some(n));
        }
        assert_eq!(name(READ), Some("read"));
        assert_eq!(name(GETRANDOM), Some("getrandom"));
        assert_eq!(name(19), Some("readv"));
        assert_eq!(name(23), None);
    }
}
