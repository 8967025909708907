//! Linux is the oracle: every value of `vibix_uapi` against the host's
//! `libc` crate (x86_64-unknown-linux-gnu, whose values come from Linux's
//! and glibc's headers), and every structure's size, alignment and field
//! offsets. A wrong number fails here, naming the constant. Every table of
//! the crate (`nr::ALL`, `errno::ALL`) is covered entry by entry: the tests
//! also check that they compared as many entries as the table has.

#![cfg(all(target_os = "linux", target_arch = "x86_64", target_env = "gnu"))]

use core::mem::{align_of, offset_of, size_of};
use std::ffi::CStr;

use vibix_uapi::*;

/// Compares constants by value, whatever their integer types: `same!(a, b)`
/// or, for a whole module, `same!(module: A, B, …)` against `libc::A`, ….
macro_rules! same {
    ($ours:expr, $linux:expr) => {
        assert_eq!(
            $ours as i128,
            $linux as i128,
            "{} is {} here, {} on Linux",
            stringify!($ours),
            $ours as i128,
            $linux as i128
        )
    };
    ($module:ident: $($name:ident),* $(,)?) => {
        $(same!($module::$name, libc::$name);)*
    };
}

/// Compares a structure's size and alignment, and the offset of each named
/// field, with libc's.
macro_rules! layout {
    ($ours:ty, $linux:ty $(, $field:ident)* $(,)?) => {
        assert_eq!(size_of::<$ours>(), size_of::<$linux>(), "size of {}", stringify!($ours));
        assert_eq!(align_of::<$ours>(), align_of::<$linux>(), "alignment of {}", stringify!($ours));
        $(assert_eq!(
            offset_of!($ours, $field),
            offset_of!($linux, $field),
            "offset of {}.{}",
            stringify!($ours),
            stringify!($field)
        );)*
    };
}

#[test]
fn syscall_numbers() {
    use nr::*;
    let linux = [
        (READ, libc::SYS_read),
        (WRITE, libc::SYS_write),
        (OPEN, libc::SYS_open),
        (CLOSE, libc::SYS_close),
        (STAT, libc::SYS_stat),
        (FSTAT, libc::SYS_fstat),
        (LSTAT, libc::SYS_lstat),
        (POLL, libc::SYS_poll),
        (LSEEK, libc::SYS_lseek),
        (MMAP, libc::SYS_mmap),
        (MPROTECT, libc::SYS_mprotect),
        (MUNMAP, libc::SYS_munmap),
        (BRK, libc::SYS_brk),
        (RT_SIGACTION, libc::SYS_rt_sigaction),
        (RT_SIGPROCMASK, libc::SYS_rt_sigprocmask),
        (RT_SIGRETURN, libc::SYS_rt_sigreturn),
        (IOCTL, libc::SYS_ioctl),
        (PREAD64, libc::SYS_pread64),
        (PWRITE64, libc::SYS_pwrite64),
        (READV, libc::SYS_readv),
        (WRITEV, libc::SYS_writev),
        (ACCESS, libc::SYS_access),
        (PIPE, libc::SYS_pipe),
        (SCHED_YIELD, libc::SYS_sched_yield),
        (DUP, libc::SYS_dup),
        (DUP2, libc::SYS_dup2),
        (NANOSLEEP, libc::SYS_nanosleep),
        (GETPID, libc::SYS_getpid),
        (SOCKET, libc::SYS_socket),
        (BIND, libc::SYS_bind),
        (CLONE, libc::SYS_clone),
        (FORK, libc::SYS_fork),
        (EXECVE, libc::SYS_execve),
        (EXIT, libc::SYS_exit),
        (WAIT4, libc::SYS_wait4),
        (KILL, libc::SYS_kill),
        (UNAME, libc::SYS_uname),
        (FCNTL, libc::SYS_fcntl),
        (FLOCK, libc::SYS_flock),
        (FSYNC, libc::SYS_fsync),
        (FDATASYNC, libc::SYS_fdatasync),
        (TRUNCATE, libc::SYS_truncate),
        (FTRUNCATE, libc::SYS_ftruncate),
        (GETCWD, libc::SYS_getcwd),
        (CHDIR, libc::SYS_chdir),
        (FCHDIR, libc::SYS_fchdir),
        (RENAME, libc::SYS_rename),
        (MKDIR, libc::SYS_mkdir),
        (RMDIR, libc::SYS_rmdir),
        (LINK, libc::SYS_link),
        (UNLINK, libc::SYS_unlink),
        (SYMLINK, libc::SYS_symlink),
        (READLINK, libc::SYS_readlink),
        (CHMOD, libc::SYS_chmod),
        (FCHMOD, libc::SYS_fchmod),
        (CHOWN, libc::SYS_chown),
        (FCHOWN, libc::SYS_fchown),
        (LCHOWN, libc::SYS_lchown),
        (UMASK, libc::SYS_umask),
        (GETTIMEOFDAY, libc::SYS_gettimeofday),
        (SYSINFO, libc::SYS_sysinfo),
        (GETUID, libc::SYS_getuid),
        (GETGID, libc::SYS_getgid),
        (SETUID, libc::SYS_setuid),
        (SETGID, libc::SYS_setgid),
        (GETEUID, libc::SYS_geteuid),
        (GETEGID, libc::SYS_getegid),
        (GETPPID, libc::SYS_getppid),
        (GETGROUPS, libc::SYS_getgroups),
        (SETGROUPS, libc::SYS_setgroups),
        (SETRESUID, libc::SYS_setresuid),
        (SETRESGID, libc::SYS_setresgid),
        (RT_SIGPENDING, libc::SYS_rt_sigpending),
        (RT_SIGSUSPEND, libc::SYS_rt_sigsuspend),
        (SIGALTSTACK, libc::SYS_sigaltstack),
        (MKNOD, libc::SYS_mknod),
        (STATFS, libc::SYS_statfs),
        (FSTATFS, libc::SYS_fstatfs),
        (PRCTL, libc::SYS_prctl),
        (ARCH_PRCTL, libc::SYS_arch_prctl),
        (MOUNT, libc::SYS_mount),
        (REBOOT, libc::SYS_reboot),
        (GETTID, libc::SYS_gettid),
        (TKILL, libc::SYS_tkill),
        (FUTEX, libc::SYS_futex),
        (SCHED_GETAFFINITY, libc::SYS_sched_getaffinity),
        (GETDENTS64, libc::SYS_getdents64),
        (SET_TID_ADDRESS, libc::SYS_set_tid_address),
        (CLOCK_GETTIME, libc::SYS_clock_gettime),
        (CLOCK_GETRES, libc::SYS_clock_getres),
        (CLOCK_NANOSLEEP, libc::SYS_clock_nanosleep),
        (EXIT_GROUP, libc::SYS_exit_group),
        (TGKILL, libc::SYS_tgkill),
        (OPENAT, libc::SYS_openat),
        (MKDIRAT, libc::SYS_mkdirat),
        (MKNODAT, libc::SYS_mknodat),
        (FCHOWNAT, libc::SYS_fchownat),
        (NEWFSTATAT, libc::SYS_newfstatat),
        (UNLINKAT, libc::SYS_unlinkat),
        (RENAMEAT, libc::SYS_renameat),
        (LINKAT, libc::SYS_linkat),
        (SYMLINKAT, libc::SYS_symlinkat),
        (READLINKAT, libc::SYS_readlinkat),
        (FCHMODAT, libc::SYS_fchmodat),
        (FACCESSAT, libc::SYS_faccessat),
        (UTIMENSAT, libc::SYS_utimensat),
        (FALLOCATE, libc::SYS_fallocate),
        (DUP3, libc::SYS_dup3),
        (PIPE2, libc::SYS_pipe2),
        (RENAMEAT2, libc::SYS_renameat2),
        (GETRANDOM, libc::SYS_getrandom),
    ];
    assert_eq!(linux.len(), ALL.len(), "every entry of nr::ALL is compared");
    for ((ours, theirs), (n, name)) in linux.iter().zip(ALL) {
        assert_eq!(*ours, *n);
        assert_eq!(
            *ours as i64, *theirs,
            "syscall {name} is {ours} here, {theirs} on Linux"
        );
    }
}

#[test]
fn errno_values_and_messages() {
    use errno::*;
    let linux = [
        (EPERM, libc::EPERM),
        (ENOENT, libc::ENOENT),
        (ESRCH, libc::ESRCH),
        (EINTR, libc::EINTR),
        (EIO, libc::EIO),
        (ENXIO, libc::ENXIO),
        (E2BIG, libc::E2BIG),
        (ENOEXEC, libc::ENOEXEC),
        (EBADF, libc::EBADF),
        (ECHILD, libc::ECHILD),
        (EAGAIN, libc::EAGAIN),
        (ENOMEM, libc::ENOMEM),
        (EACCES, libc::EACCES),
        (EFAULT, libc::EFAULT),
        (ENOTBLK, libc::ENOTBLK),
        (EBUSY, libc::EBUSY),
        (EEXIST, libc::EEXIST),
        (EXDEV, libc::EXDEV),
        (ENODEV, libc::ENODEV),
        (ENOTDIR, libc::ENOTDIR),
        (EISDIR, libc::EISDIR),
        (EINVAL, libc::EINVAL),
        (ENFILE, libc::ENFILE),
        (EMFILE, libc::EMFILE),
        (ENOTTY, libc::ENOTTY),
        (ETXTBSY, libc::ETXTBSY),
        (EFBIG, libc::EFBIG),
        (ENOSPC, libc::ENOSPC),
        (ESPIPE, libc::ESPIPE),
        (EROFS, libc::EROFS),
        (EMLINK, libc::EMLINK),
        (EPIPE, libc::EPIPE),
        (EDOM, libc::EDOM),
        (ERANGE, libc::ERANGE),
        (EDEADLK, libc::EDEADLK),
        (ENAMETOOLONG, libc::ENAMETOOLONG),
        (ENOLCK, libc::ENOLCK),
        (ENOSYS, libc::ENOSYS),
        (ENOTEMPTY, libc::ENOTEMPTY),
        (ELOOP, libc::ELOOP),
        (ENOMSG, libc::ENOMSG),
        (EIDRM, libc::EIDRM),
        (ECHRNG, libc::ECHRNG),
        (EL2NSYNC, libc::EL2NSYNC),
        (EL3HLT, libc::EL3HLT),
        (EL3RST, libc::EL3RST),
        (ELNRNG, libc::ELNRNG),
        (EUNATCH, libc::EUNATCH),
        (ENOCSI, libc::ENOCSI),
        (EL2HLT, libc::EL2HLT),
        (EBADE, libc::EBADE),
        (EBADR, libc::EBADR),
        (EXFULL, libc::EXFULL),
        (ENOANO, libc::ENOANO),
        (EBADRQC, libc::EBADRQC),
        (EBADSLT, libc::EBADSLT),
        (EBFONT, libc::EBFONT),
        (ENOSTR, libc::ENOSTR),
        (ENODATA, libc::ENODATA),
        (ETIME, libc::ETIME),
        (ENOSR, libc::ENOSR),
        (ENONET, libc::ENONET),
        (ENOPKG, libc::ENOPKG),
        (EREMOTE, libc::EREMOTE),
        (ENOLINK, libc::ENOLINK),
        (EADV, libc::EADV),
        (ESRMNT, libc::ESRMNT),
        (ECOMM, libc::ECOMM),
        (EPROTO, libc::EPROTO),
        (EMULTIHOP, libc::EMULTIHOP),
        (EDOTDOT, libc::EDOTDOT),
        (EBADMSG, libc::EBADMSG),
        (EOVERFLOW, libc::EOVERFLOW),
        (ENOTUNIQ, libc::ENOTUNIQ),
        (EBADFD, libc::EBADFD),
        (EREMCHG, libc::EREMCHG),
        (ELIBACC, libc::ELIBACC),
        (ELIBBAD, libc::ELIBBAD),
        (ELIBSCN, libc::ELIBSCN),
        (ELIBMAX, libc::ELIBMAX),
        (ELIBEXEC, libc::ELIBEXEC),
        (EILSEQ, libc::EILSEQ),
        (ERESTART, libc::ERESTART),
        (ESTRPIPE, libc::ESTRPIPE),
        (EUSERS, libc::EUSERS),
        (ENOTSOCK, libc::ENOTSOCK),
        (EDESTADDRREQ, libc::EDESTADDRREQ),
        (EMSGSIZE, libc::EMSGSIZE),
        (EPROTOTYPE, libc::EPROTOTYPE),
        (ENOPROTOOPT, libc::ENOPROTOOPT),
        (EPROTONOSUPPORT, libc::EPROTONOSUPPORT),
        (ESOCKTNOSUPPORT, libc::ESOCKTNOSUPPORT),
        (EOPNOTSUPP, libc::EOPNOTSUPP),
        (EPFNOSUPPORT, libc::EPFNOSUPPORT),
        (EAFNOSUPPORT, libc::EAFNOSUPPORT),
        (EADDRINUSE, libc::EADDRINUSE),
        (EADDRNOTAVAIL, libc::EADDRNOTAVAIL),
        (ENETDOWN, libc::ENETDOWN),
        (ENETUNREACH, libc::ENETUNREACH),
        (ENETRESET, libc::ENETRESET),
        (ECONNABORTED, libc::ECONNABORTED),
        (ECONNRESET, libc::ECONNRESET),
        (ENOBUFS, libc::ENOBUFS),
        (EISCONN, libc::EISCONN),
        (ENOTCONN, libc::ENOTCONN),
        (ESHUTDOWN, libc::ESHUTDOWN),
        (ETOOMANYREFS, libc::ETOOMANYREFS),
        (ETIMEDOUT, libc::ETIMEDOUT),
        (ECONNREFUSED, libc::ECONNREFUSED),
        (EHOSTDOWN, libc::EHOSTDOWN),
        (EHOSTUNREACH, libc::EHOSTUNREACH),
        (EALREADY, libc::EALREADY),
        (EINPROGRESS, libc::EINPROGRESS),
        (ESTALE, libc::ESTALE),
        (EUCLEAN, libc::EUCLEAN),
        (ENOTNAM, libc::ENOTNAM),
        (ENAVAIL, libc::ENAVAIL),
        (EISNAM, libc::EISNAM),
        (EREMOTEIO, libc::EREMOTEIO),
        (EDQUOT, libc::EDQUOT),
        (ENOMEDIUM, libc::ENOMEDIUM),
        (EMEDIUMTYPE, libc::EMEDIUMTYPE),
        (ECANCELED, libc::ECANCELED),
        (ENOKEY, libc::ENOKEY),
        (EKEYEXPIRED, libc::EKEYEXPIRED),
        (EKEYREVOKED, libc::EKEYREVOKED),
        (EKEYREJECTED, libc::EKEYREJECTED),
        (EOWNERDEAD, libc::EOWNERDEAD),
        (ENOTRECOVERABLE, libc::ENOTRECOVERABLE),
        (ERFKILL, libc::ERFKILL),
        (EHWPOISON, libc::EHWPOISON),
    ];
    assert_eq!(
        linux.len(),
        ALL.len(),
        "every entry of errno::ALL is compared"
    );
    for ((ours, theirs), (n, name, _)) in linux.iter().zip(ALL) {
        assert_eq!(ours, n);
        assert_eq!(ours, theirs, "{name} is {ours} here, {theirs} on Linux");
    }
    same!(errno: EWOULDBLOCK);
}

/// The messages, against the host C library's `strerror`. Miri cannot call
/// a foreign function.
#[test]
#[cfg_attr(miri, ignore)]
fn errno_messages() {
    for &(n, name, message) in errno::ALL {
        // SAFETY: strerror returns a NUL-terminated string that stays valid
        // until the next strerror call on this thread (this loop's next turn).
        let linux_message = unsafe { CStr::from_ptr(libc::strerror(n)) };
        assert_eq!(
            linux_message.to_str().unwrap(),
            message,
            "the message of {name}"
        );
    }
}

#[test]
fn file_flags() {
    same!(fcntl: O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE, O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC);
    same!(fcntl: AT_FDCWD, AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_EACCESS, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH);
    same!(fcntl: RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT);
    same!(fcntl: F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC, FD_CLOEXEC);
    same!(fcntl: F_GETLK, F_SETLK, F_SETLKW, F_RDLCK, F_WRLCK, F_UNLCK);
    layout!(
        fcntl::Flock,
        libc::flock,
        l_type,
        l_whence,
        l_start,
        l_len,
        l_pid
    );
    same!(fcntl: SEEK_SET, SEEK_CUR, SEEK_END, STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO);
    same!(fcntl: LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN);
    // libc has no LOCK_MAND: Linux's include/uapi/asm-generic/fcntl.h.
    same!(fcntl::LOCK_MAND, 32);
    same!(stat: S_IFMT, S_IFSOCK, S_IFLNK, S_IFREG, S_IFBLK, S_IFDIR, S_IFCHR, S_IFIFO, S_ISUID, S_ISGID, S_ISVTX);
    same!(stat: S_IRWXU, S_IRUSR, S_IWUSR, S_IXUSR, S_IRWXG, S_IRGRP, S_IWGRP, S_IXGRP, S_IRWXO, S_IROTH, S_IWOTH, S_IXOTH);
    same!(ioctl: TCGETS, TIOCGWINSZ, FIONBIO, FIOCLEX, FIONCLEX);
    layout!(
        ioctl::Winsize,
        libc::winsize,
        ws_row,
        ws_col,
        ws_xpixel,
        ws_ypixel
    );
    same!(stat: F_OK, X_OK, W_OK, R_OK);
    same!(stat: UTIME_NOW, UTIME_OMIT);
    same!(dirent: DT_UNKNOWN, DT_FIFO, DT_CHR, DT_DIR, DT_BLK, DT_REG, DT_LNK, DT_SOCK);
    same!(uio::IOV_MAX, libc::UIO_MAXIOV);
    same!(limits: PATH_MAX);
    // libc has no NAME_MAX for Linux: <linux/limits.h> says 255.
    same!(limits::NAME_MAX, 255);
}

#[test]
fn memory_and_process_flags() {
    same!(mman: PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC);
    same!(mman: MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_NORESERVE, MAP_POPULATE, MAP_FIXED_NOREPLACE);
    same!(clone: CSIGNAL, CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_VFORK, CLONE_PARENT, CLONE_THREAD, CLONE_SYSVSEM, CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID);
    same!(futex: FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET, FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME);
    same!(
        futex::FUTEX_BITSET_MATCH_ANY,
        libc::FUTEX_BITSET_MATCH_ANY as u32
    );
    same!(wait: WNOHANG, WUNTRACED, WCONTINUED);
    // libc has no arch_prctl codes: Linux's arch/x86/include/uapi/asm/prctl.h.
    same!(prctl::ARCH_SET_GS, 0x1001);
    same!(prctl::ARCH_SET_FS, 0x1002);
    same!(prctl::ARCH_GET_FS, 0x1003);
    same!(prctl::ARCH_GET_GS, 0x1004);
}

#[test]
fn signals() {
    same!(signal: SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR, SIGSYS);
    // `sa_flags` is an unsigned long to the kernel, a C int to libc: compare
    // the bits.
    for (ours, linux) in [
        (signal::SA_NOCLDSTOP, libc::SA_NOCLDSTOP),
        (signal::SA_NOCLDWAIT, libc::SA_NOCLDWAIT),
        (signal::SA_SIGINFO, libc::SA_SIGINFO),
        (signal::SA_ONSTACK, libc::SA_ONSTACK),
        (signal::SA_RESTART, libc::SA_RESTART),
        (signal::SA_NODEFER, libc::SA_NODEFER),
        (signal::SA_RESETHAND, libc::SA_RESETHAND),
    ] {
        assert_eq!(ours, u64::from(linux as u32), "sa_flags bit {ours:#x}");
    }
    same!(signal: SIG_DFL, SIG_IGN, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK);
    // glibc's headers leave SA_RESTORER out (the C library sets it itself);
    // Linux's arch/x86/include/uapi/asm/signal.h has 0x04000000.
    same!(signal::SA_RESTORER, 0x0400_0000);
    // The kernel's signal range (`_NSIG` and `SIGRTMIN` in Linux's
    // asm-generic/signal.h); libc only has the C library's, behind
    // functions (glibc reserves the first real-time signals).
    same!(signal::SIGRTMAX, 64);
    same!(signal::SIGRTMIN_KERNEL, 32);
}

#[test]
fn wait_statuses_decode_like_cs_macros() {
    // Every status word whose high bits matter: exit codes, signals with and
    // without a core, stops, continued.
    let mut statuses: Vec<u32> = (0..=0xffffu32).step_by(0x100).collect();
    statuses.extend(0..=0xff);
    statuses.extend((0..=0xff).map(|sig| (sig << 8) | 0x7f));
    statuses.push(0xffff);
    for status in statuses {
        let c = status as i32;
        assert_eq!(
            wait::exit_code(status).is_some(),
            libc::WIFEXITED(c),
            "{status:#x}"
        );
        if libc::WIFEXITED(c) {
            same!(wait::exit_code(status).unwrap(), libc::WEXITSTATUS(c));
        }
        assert_eq!(
            wait::term_signal(status).is_some(),
            libc::WIFSIGNALED(c),
            "{status:#x}"
        );
        if libc::WIFSIGNALED(c) {
            same!(wait::term_signal(status).unwrap(), libc::WTERMSIG(c));
            assert_eq!(wait::core_dumped(status), libc::WCOREDUMP(c), "{status:#x}");
        }
        assert_eq!(
            wait::stop_signal(status).is_some(),
            libc::WIFSTOPPED(c),
            "{status:#x}"
        );
        if libc::WIFSTOPPED(c) {
            same!(wait::stop_signal(status).unwrap(), libc::WSTOPSIG(c));
        }
        assert_eq!(
            wait::continued(status),
            libc::WIFCONTINUED(c),
            "{status:#x}"
        );
    }
}

#[test]
fn signal_names() {
    // Each name is the one Linux's headers give that number.
    macro_rules! named {
        ($($name:ident),*) => {
            $(assert_eq!(signal::name(libc::$name), Some(stringify!($name)));)*
            assert_eq!([$(stringify!($name)),*].len(), signal::SIGSYS as usize);
        };
    }
    // Signals 1 to 31, each by its one name (no aliases like SIGIOT).
    named!(
        SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGUSR1,
        SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP,
        SIGTTIN, SIGTTOU, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR,
        SIGSYS
    );
    assert_eq!(signal::name(0), None);
    assert_eq!(signal::name(signal::SIGRTMIN_KERNEL), None);
}

#[test]
fn poll_random_time_auxv() {
    same!(poll: POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLRDNORM, POLLWRNORM);
    same!(random: GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE);
    same!(time: CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, TIMER_ABSTIME);
    same!(reboot: LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF);
    same!(auxv: AT_NULL, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_EXECFN);
}

#[test]
fn structure_layouts() {
    layout!(
        stat::Stat,
        libc::stat,
        st_dev,
        st_ino,
        st_nlink,
        st_mode,
        st_uid,
        st_gid,
        st_rdev,
        st_size,
        st_blksize,
        st_blocks,
        st_atime,
        st_atime_nsec,
        st_mtime,
        st_mtime_nsec,
        st_ctime,
        st_ctime_nsec
    );
    layout!(time::Timespec, libc::timespec, tv_sec, tv_nsec);
    layout!(
        elf::Phdr,
        libc::Elf64_Phdr,
        p_type,
        p_flags,
        p_offset,
        p_vaddr,
        p_paddr,
        p_filesz,
        p_memsz,
        p_align
    );
    same!(elf: PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_PHDR, PT_TLS, PT_GNU_EH_FRAME, PT_GNU_RELRO);
    same!(elf: ET_EXEC, ET_DYN, PF_X, PF_W, PF_R);
    same!(elf: PT_GNU_STACK, EI_CLASS, EI_DATA, EI_VERSION, EM_X86_64, EM_AARCH64);
    same!(elf: ELFCLASS64, ELFDATA2LSB);
    assert_eq!(elf::EV_CURRENT as u32, libc::EV_CURRENT, "EV_CURRENT");
    assert_eq!(elf::ELFMAG, *b"\x7fELF", "ELFMAG");
    layout!(
        elf::Ehdr,
        libc::Elf64_Ehdr,
        e_ident,
        e_type,
        e_machine,
        e_version,
        e_entry,
        e_phoff,
        e_shoff,
        e_flags,
        e_ehsize,
        e_phentsize,
        e_phnum,
        e_shentsize,
        e_shnum,
        e_shstrndx
    );
    layout!(
        elf::Sym,
        libc::Elf64_Sym,
        st_name,
        st_info,
        st_other,
        st_shndx,
        st_value,
        st_size
    );
    layout!(elf::Rela, libc::Elf64_Rela, r_offset, r_info, r_addend);
    layout!(time::Timeval, libc::timeval, tv_sec, tv_usec);
    layout!(uio::Iovec, libc::iovec, iov_base, iov_len);
    layout!(poll::PollFd, libc::pollfd, fd, events, revents);
    layout!(
        statfs::Statfs,
        libc::statfs,
        f_type,
        f_bsize,
        f_blocks,
        f_bfree,
        f_bavail,
        f_files,
        f_ffree,
        f_fsid,
        f_namelen,
        f_frsize
    );
    layout!(
        utsname::Utsname,
        libc::utsname,
        sysname,
        nodename,
        release,
        version,
        machine,
        domainname
    );
    layout!(
        sysinfo::Sysinfo,
        libc::sysinfo,
        uptime,
        loads,
        totalram,
        freeram,
        sharedram,
        bufferram,
        totalswap,
        freeswap,
        procs,
        pad,
        totalhigh,
        freehigh,
        mem_unit
    );
    layout!(
        wait::Rusage,
        libc::rusage,
        ru_utime,
        ru_stime,
        ru_maxrss,
        ru_ixrss,
        ru_idrss,
        ru_isrss,
        ru_minflt,
        ru_majflt,
        ru_nswap,
        ru_inblock,
        ru_oublock,
        ru_msgsnd,
        ru_msgrcv,
        ru_nsignals,
        ru_nvcsw,
        ru_nivcsw
    );
    // The header of a directory entry: its fields where libc's dirent64 has
    // them, and the name right after `d_type`.
    for (ours, linux) in [
        (
            offset_of!(dirent::Dirent64Header, d_ino),
            offset_of!(libc::dirent64, d_ino),
        ),
        (
            offset_of!(dirent::Dirent64Header, d_off),
            offset_of!(libc::dirent64, d_off),
        ),
        (
            offset_of!(dirent::Dirent64Header, d_reclen),
            offset_of!(libc::dirent64, d_reclen),
        ),
        (
            offset_of!(dirent::Dirent64Header, d_type),
            offset_of!(libc::dirent64, d_type),
        ),
        (dirent::D_NAME_OFFSET, offset_of!(libc::dirent64, d_name)),
    ] {
        assert_eq!(ours, linux, "linux_dirent64 header");
    }
}

/// The kernel's `struct sigaction` is not the C library's (glibc's carries
/// a 1024-bit mask and puts it second), so libc has no type to compare
/// with: Linux's `arch/x86/include/asm/signal.h` (handler, flags, restorer,
/// mask, 8 bytes each) is the reference, and the sizes the kernel takes.
#[test]
fn kernel_sigaction_layout() {
    assert_eq!(size_of::<signal::SigAction>(), 32);
    assert_eq!(offset_of!(signal::SigAction, sa_handler), 0);
    assert_eq!(offset_of!(signal::SigAction, sa_flags), 8);
    assert_eq!(offset_of!(signal::SigAction, sa_restorer), 16);
    assert_eq!(offset_of!(signal::SigAction, sa_mask), 24);
    // 64 signals, one bit each.
    assert_eq!(signal::SigSet::BITS, signal::SIGRTMAX as u32);
    // The handler's address is libc's `sighandler_t`.
    assert_eq!(size_of::<usize>(), size_of::<libc::sighandler_t>());
}

/// The alternate signal stack and the signal information a handler gets:
/// `stack_t`, its flags and sizes, the `si_code` values, and where
/// `siginfo_t`'s fields are (found through libc's own accessors).
#[test]
fn sigaltstack_and_siginfo() {
    same!(signal: SS_ONSTACK, SS_DISABLE, MINSIGSTKSZ, SIGSTKSZ, SI_USER, SI_KERNEL, SI_TKILL);
    same!(signal: CLD_EXITED, CLD_KILLED, CLD_DUMPED);
    layout!(signal::StackT, libc::stack_t, ss_sp, ss_flags, ss_size);
    // libc has these for other systems only; Linux's
    // include/uapi/linux/signal.h and asm-generic/siginfo.h are the
    // reference.
    same!(signal::SS_AUTODISARM, (1u32 << 31) as i32);
    same!(signal::SEGV_MAPERR, 1);
    same!(signal::SEGV_ACCERR, 2);
    same!(signal::ILL_ILLOPN, 2);
    same!(signal::FPE_INTDIV, 1);

    assert_eq!(size_of::<libc::siginfo_t>(), signal::SIGINFO_SIZE);
    assert_eq!(offset_of!(libc::siginfo_t, si_signo), signal::SI_SIGNO);
    assert_eq!(offset_of!(libc::siginfo_t, si_errno), signal::SI_ERRNO);
    assert_eq!(offset_of!(libc::siginfo_t, si_code), signal::SI_CODE);
    // The union's fields have accessors only: write bytes where we say they
    // are, and read them back through libc.
    let mut raw = [0u8; signal::SIGINFO_SIZE];
    raw[signal::SI_ADDR..signal::SI_ADDR + 8].copy_from_slice(&0x1234_5678_9abcusize.to_ne_bytes());
    // SAFETY: 128 plain bytes are a valid `siginfo_t` (all its fields are
    // integers and pointers); `si_addr` reads the fault variant.
    let info: libc::siginfo_t = unsafe { core::mem::transmute(raw) };
    // SAFETY: as above.
    assert_eq!(unsafe { info.si_addr() } as usize, 0x1234_5678_9abc);
    let mut raw = [0u8; signal::SIGINFO_SIZE];
    raw[signal::SI_PID..signal::SI_PID + 4].copy_from_slice(&4242i32.to_ne_bytes());
    raw[signal::SI_UID..signal::SI_UID + 4].copy_from_slice(&1001u32.to_ne_bytes());
    // SAFETY: as above; the kill variant.
    let info: libc::siginfo_t = unsafe { core::mem::transmute(raw) };
    // SAFETY: as above.
    assert_eq!(unsafe { (info.si_pid(), info.si_uid()) }, (4242, 1001));
    let mut raw = [0u8; signal::SIGINFO_SIZE];
    raw[signal::SI_STATUS..signal::SI_STATUS + 4].copy_from_slice(&77i32.to_ne_bytes());
    // SAFETY: as above; the SIGCHLD variant.
    let info: libc::siginfo_t = unsafe { core::mem::transmute(raw) };
    // SAFETY: as above.
    assert_eq!(unsafe { info.si_status() }, 77);

    // `ucontext_t`: `uc_stack` after `uc_flags` and `uc_link`, then
    // `uc_mcontext`.
    assert_eq!(offset_of!(libc::ucontext_t, uc_stack), signal::UC_STACK);
    assert_eq!(
        offset_of!(libc::ucontext_t, uc_mcontext),
        signal::UC_MCONTEXT
    );
}
