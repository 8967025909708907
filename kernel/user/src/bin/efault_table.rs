//! `efault_table`: every pointer argument of every system call the running
//! kernel implements, made bad in turn, must give `EFAULT` (finding S-A4).
//!
//! The system calls and their argument kinds come from `kcore::sysargs`,
//! the table the kernel checks its own syscall table against when it is
//! compiled. For each one, the case table below says how to make a call
//! that works (valid descriptors, paths, lengths); the program first makes
//! that call with good pointers (a syscall answering ENOSYS is not
//! implemented by this kernel and is skipped), then once per pointer
//! argument and bad address: NULL, an unmapped page, the kernel half, a
//! non-canonical address, a buffer that starts on a mapped page and runs
//! into an unmapped one, and, for memory the kernel writes, a read-only
//! page. A pointer argument in the signature table without a case is a
//! failure, so coverage cannot silently shrink as syscalls are added.
//!
//! Only failures print details, so the output is the same on every kernel
//! and on Linux (which has more of the syscalls than phase 0 does).

#![no_std]
#![no_main]

use core::ffi::CStr;

use kcore::sysargs::{Arg, SIGNATURES, Signature, Size};
use vrt::children::{Fork, fork, wait4};
use vrt::errno::Errno;
use vrt::fs::{self, O_RDONLY, O_WRONLY};
use vrt::mm::{self, PAGE_SIZE, PROT_READ, PROT_WRITE};
use vrt::pipes::{dup2, pipe2};
use vrt::process::exit;
use vrt::syscall::syscall6;
use vrt::{check, check_eq, fsops, io};

const FUTEX_WAKE: usize = vrt::uapi::futex::FUTEX_WAKE as usize;

vrt::entry!(main);

/// The lowest non-canonical address: one past the end of the user half.
const NON_CANONICAL: usize = 0x0000_8000_0000_0000;
/// The lowest canonical kernel-half address.
const KERNEL_HALF: usize = 0xffff_8000_0000_0000;

/// Scratch names, relative to the root of the test's file tree.
const SCRATCH: &CStr = c"tmp-efault-x";
/// `mknod`'s type for a FIFO.
const S_IFIFO: usize = vibix_uapi::stat::S_IFIFO as usize;
const SCRATCH_DIR: &CStr = c"tmp-efault-d";
const SCRATCH_FILE: &CStr = c"tmp-efault-f";
const SCRATCH_LINK: &CStr = c"tmp-efault-ln";

/// The memory the calls use: good buffers, and the bad places.
struct Env {
    /// Four read-write pages for good arguments (structures, strings).
    arena: usize,
    /// The first byte of an unmapped page whose predecessor is mapped.
    boundary: usize,
    /// A mapped, read-only page.
    read_only: usize,
    /// `/dev/null`, open for writing.
    null_fd: i32,
    /// Descriptors a case opened for one call, closed after it.
    temp_fds: [i32; 2],
    /// The child a `wait4` case waits for.
    child: i32,
}

impl Env {
    /// Writes `bytes` at `arena + offset` and returns that address.
    fn put(&self, offset: usize, bytes: &[u8]) -> usize {
        let at = self.arena + offset;
        // SAFETY: the arena is this program's own mapping, which no Rust
        // reference covers; `offset + len` stays inside its four pages.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), at as *mut u8, bytes.len()) };
        at
    }

    /// Writes the C string `s` into the arena; returns its address.
    fn cstr(&self, offset: usize, s: &CStr) -> usize {
        self.put(offset, s.to_bytes_with_nul())
    }

    /// A new pipe whose descriptors are closed after the call.
    fn temp_pipe(&mut self) -> (i32, i32) {
        let (r, w) = pipe2(0).expect("pipe2");
        self.temp_fds = [r, w];
        (r, w)
    }
}

/// Where the good buffers go in the arena.
const OUT: usize = 0; // up to 2 pages written by the kernel
const IN: usize = 2 * PAGE_SIZE; // structures the kernel reads
const STR: usize = 3 * PAGE_SIZE; // strings

/// How to make one syscall work.
struct Case {
    name: &'static str,
    /// Good arguments; may create what the call needs. Run before every call.
    setup: fn(&mut Env) -> [usize; 6],
    /// Undoes what a call may have done (given its result). Run after
    /// every call.
    cleanup: fn(&mut Env, Result<usize, Errno>),
    /// Pointer arguments for which NULL means "not given", on Linux as on
    /// vibix, so NULL is no error there.
    nullable: &'static [usize],
    /// Why the good call may fail here without making the case wrong:
    /// the case is then skipped (`None`: the good call must succeed).
    may_not_apply: Option<Errno>,
    /// The good call is not made (and the bad ones run in a child).
    no_good_call: bool,
    /// Where Linux answers a straddling buffer with a short count instead
    /// of EFAULT (it copies up to the fault and reports what it copied):
    /// the call must then return exactly the mapped bytes' count.
    straddle_short: bool,
    /// Where a straddling pointer cannot be aligned (a futex word: 4
    /// bytes, 4-aligned, never crosses a page): the half-mapped one is
    /// misaligned, which is `EINVAL` (on Linux too).
    straddle_misaligned: bool,
    /// Pointer arguments the kernel writes only in a case the good call
    /// never reaches (`rem` of the sleeps: only when a signal cuts the
    /// sleep short): Linux does not look at them otherwise, so a bad one is
    /// no error there, and they are not tried.
    unused: &'static [usize],
}

const fn case(name: &'static str, setup: fn(&mut Env) -> [usize; 6]) -> Case {
    Case {
        name,
        setup,
        cleanup: |_, _| {},
        nullable: &[],
        may_not_apply: None,
        no_good_call: false,
        straddle_short: false,
        straddle_misaligned: false,
        unused: &[],
    }
}

/// Closes the descriptor a good call returned.
fn close_result(_: &mut Env, r: Result<usize, Errno>) {
    if let Ok(fd) = r {
        let _ = fs::close(fd as i32);
    }
}

/// Closes the case's temporary descriptors.
fn close_temps(env: &mut Env, _: Result<usize, Errno>) {
    for fd in env.temp_fds {
        let _ = fs::close(fd);
    }
}

/// Closes the two descriptors a good `pipe` stored in the out buffer.
fn close_pipe_result(env: &mut Env, r: Result<usize, Errno>) {
    if r.is_ok() {
        // SAFETY: the arena is ours; the kernel stored two i32s there.
        let fds = unsafe { *((env.arena + OUT) as *const [i32; 2]) };
        for fd in fds {
            let _ = fs::close(fd);
        }
    }
}

fn remove_scratch(_: &mut Env, _: Result<usize, Errno>) {
    let _ = fsops::unlink(SCRATCH);
    let _ = fsops::rmdir(SCRATCH);
}

/// Removes both names a rename case may leave.
fn remove_renamed(e: &mut Env, r: Result<usize, Errno>) {
    remove_scratch(e, r);
    let _ = fsops::unlink(SCRATCH_FILE);
}

/// A `struct timespec`'s bytes.
fn timespec(sec: u64, nsec: u64) -> [u8; 16] {
    let mut ts = [0u8; 16];
    ts[..8].copy_from_slice(&sec.to_le_bytes());
    ts[8..].copy_from_slice(&nsec.to_le_bytes());
    ts
}

fn make_scratch_file(_: &mut Env) {
    let fd =
        fs::open(SCRATCH_FILE, fs::O_CREAT | O_WRONLY, 0o644).expect("create the scratch file");
    let _ = fs::close(fd);
}

const AT_FDCWD: usize = -100i32 as usize;
const STDIN: usize = 0;
const TIOCGWINSZ: usize = 0x5413;
const ARCH_GET_FS: usize = 0x1003;
const CLOCK_MONOTONIC: usize = 1;
const SIGUSR1: usize = 10;
const SIG_BLOCK: usize = 0;
const POLLIN: u16 = 1;

/// One case per syscall with pointer arguments, by name.
const CASES: &[Case] = &[
    // ANCHOR: read_case
    // Pipes, not files: Linux answers a straddling buffer on a regular file
    // with a short count (it copies up to the fault); on a pipe with EFAULT.
    Case {
        cleanup: close_temps,
        ..case("read", |e| {
            let (r, w) = e.temp_pipe();
            let _ = io::write(w, &[7; 64]);
            [r as usize, e.arena + OUT, 16, 0, 0, 0]
        })
    },
    // ANCHOR_END: read_case
    Case {
        cleanup: close_temps,
        ..case("write", |e| {
            let (_, w) = e.temp_pipe();
            [w as usize, e.put(IN, &[7; 16]), 16, 0, 0, 0]
        })
    },
    Case {
        cleanup: close_temps,
        ..case("writev", |e| {
            let (_, w) = e.temp_pipe();
            let data = e.put(IN + 512, b"sixteen bytes...");
            let mut iov = [0u8; 16];
            iov[..8].copy_from_slice(&(data as u64).to_le_bytes());
            iov[8..].copy_from_slice(&16u64.to_le_bytes());
            [w as usize, e.put(IN, &iov), 1, 0, 0, 0]
        })
    },
    // Phase 2. readv on a pipe, as read: a bad iovec array is EFAULT.
    Case {
        cleanup: close_temps,
        ..case("readv", |e| {
            let (r, w) = e.temp_pipe();
            let _ = io::write(w, &[7; 64]);
            let mut iov = [0u8; 16];
            iov[..8].copy_from_slice(&((e.arena + OUT) as u64).to_le_bytes());
            iov[8..].copy_from_slice(&16u64.to_le_bytes());
            [r as usize, e.put(IN, &iov), 1, 0, 0, 0]
        })
    },
    // Positioned I/O needs a file; Linux copies a file's bytes up to the
    // fault and reports that count.
    Case {
        cleanup: close_temps,
        straddle_short: true,
        ..case("pread64", |e| {
            let fd = fs::open(c"etc/motd", O_RDONLY, 0).expect("open etc/motd");
            e.temp_fds = [fd, -1];
            [fd as usize, e.arena + OUT, 16, 0, 0, 0]
        })
    },
    Case {
        cleanup: |e, _| {
            close_temps(e, Ok(0));
            let _ = fsops::unlink(SCRATCH_FILE);
        },
        straddle_short: true,
        ..case("pwrite64", |e| {
            let fd = fs::open(SCRATCH_FILE, fs::O_CREAT | O_WRONLY, 0o644).expect("create scratch");
            e.temp_fds = [fd, -1];
            [fd as usize, e.put(IN, &[7; 16]), 16, 0, 0, 0]
        })
    },
    Case {
        cleanup: close_result,
        ..case("open", |e| {
            [e.cstr(STR, c"etc/motd"), O_RDONLY as usize, 0, 0, 0, 0]
        })
    },
    Case {
        cleanup: close_result,
        ..case("openat", |e| {
            [
                AT_FDCWD,
                e.cstr(STR, c"etc/motd"),
                O_RDONLY as usize,
                0,
                0,
                0,
            ]
        })
    },
    case("stat", |e| {
        [e.cstr(STR, c"etc/motd"), e.arena + OUT, 0, 0, 0, 0]
    }),
    case("lstat", |e| {
        [e.cstr(STR, c"etc/motd"), e.arena + OUT, 0, 0, 0, 0]
    }),
    case("newfstatat", |e| {
        [AT_FDCWD, e.cstr(STR, c"etc/motd"), e.arena + OUT, 0, 0, 0]
    }),
    case("fstat", |e| [e.null_fd as usize, e.arena + OUT, 0, 0, 0, 0]),
    // poll reads the array, then writes the `revents` back: both directions.
    case("poll", |e| {
        let mut fds = [0u8; 16];
        for entry in fds.chunks_exact_mut(8) {
            entry[..4].copy_from_slice(&e.null_fd.to_le_bytes());
            entry[4..6].copy_from_slice(&POLLIN.to_le_bytes());
        }
        [e.put(OUT, &fds), 2, 0, 0, 0, 0]
    }),
    // A NULL `act` or `oldact` means "do not set" / "do not report".
    Case {
        nullable: &[1, 2],
        ..case("rt_sigaction", |e| {
            [SIGUSR1, e.put(IN, &[0; 32]), e.arena + OUT, 8, 0, 0]
        })
    },
    Case {
        nullable: &[1, 2],
        ..case("rt_sigprocmask", |e| {
            [SIG_BLOCK, e.put(IN, &[0; 8]), e.arena + OUT, 8, 0, 0]
        })
    },
    // Only a terminal answers TIOCGWINSZ: on vibix fd 0 is the console; a
    // Linux host running the test may give it a pipe or a file (ENOTTY).
    Case {
        may_not_apply: Some(Errno::ENOTTY),
        ..case("ioctl", |e| [STDIN, TIOCGWINSZ, e.arena + OUT, 0, 0, 0])
    },
    case("access", |e| [e.cstr(STR, c"etc/motd"), 0, 0, 0, 0, 0]),
    case("faccessat", |e| {
        [AT_FDCWD, e.cstr(STR, c"etc/motd"), 0, 0, 0, 0]
    }),
    Case {
        cleanup: close_pipe_result,
        ..case("pipe", |e| [e.arena + OUT, 0, 0, 0, 0, 0])
    },
    Case {
        cleanup: close_pipe_result,
        ..case("pipe2", |e| [e.arena + OUT, 0, 0, 0, 0, 0])
    },
    // A good execve would replace this program, so there is no good call
    // and the bad ones run in a child. NULL argv or envp is an empty list
    // (Linux accepts it, with a warning in its log).
    Case {
        nullable: &[1, 2],
        no_good_call: true,
        ..case("execve", |e| {
            let name = e.cstr(STR + 64, c"hello");
            let mut argv = [0u8; 16];
            argv[..8].copy_from_slice(&(name as u64).to_le_bytes());
            [
                e.cstr(STR, c"bin/hello"),
                e.put(IN, &argv),
                e.put(IN + 64, &[0; 8]),
                0,
                0,
                0,
            ]
        })
    },
    // ANCHOR: wait4_case
    // wait4 needs a child that ends; a bad status or rusage pointer is
    // reported after the child is reaped (on Linux too). NULL: not wanted.
    Case {
        nullable: &[1, 3],
        cleanup: |e, _| {
            let _ = wait4(e.child, 0);
        },
        ..case("wait4", |e| {
            e.child = match fork() {
                Ok(Fork::Child) => exit(0),
                Ok(Fork::Parent { child }) => child,
                Err(err) => {
                    vrt::check::fail(format_args!("fork for wait4"), format_args!("{err:?}"))
                }
            };
            [e.child as usize, e.arena + OUT, 0, e.arena + OUT + 64, 0, 0]
        })
    },
    // ANCHOR_END: wait4_case
    Case {
        cleanup: |_, _| {
            let _ = fsops::unlink(SCRATCH_FILE);
        },
        ..case("truncate", |e| {
            make_scratch_file(e);
            [e.cstr(STR, SCRATCH_FILE), 0, 0, 0, 0, 0]
        })
    },
    case("getcwd", |e| [e.arena + OUT, 256, 0, 0, 0, 0]),
    case("chdir", |e| [e.cstr(STR, c"."), 0, 0, 0, 0, 0]),
    Case {
        cleanup: remove_scratch,
        ..case("mkdir", |e| [e.cstr(STR, SCRATCH), 0o755, 0, 0, 0, 0])
    },
    Case {
        cleanup: remove_scratch,
        ..case("mkdirat", |e| {
            [AT_FDCWD, e.cstr(STR, SCRATCH), 0o755, 0, 0, 0]
        })
    },
    Case {
        cleanup: remove_scratch,
        ..case("mknod", |e| {
            [e.cstr(STR, SCRATCH), S_IFIFO | 0o644, 0, 0, 0, 0]
        })
    },
    Case {
        cleanup: remove_scratch,
        ..case("mknodat", |e| {
            [AT_FDCWD, e.cstr(STR, SCRATCH), S_IFIFO | 0o644, 0, 0, 0]
        })
    },
    Case {
        cleanup: |_, _| {
            let _ = fsops::rmdir(SCRATCH_DIR);
        },
        ..case("rmdir", |e| {
            let _ = fsops::mkdir(SCRATCH_DIR, 0o755);
            [e.cstr(STR, SCRATCH_DIR), 0, 0, 0, 0, 0]
        })
    },
    Case {
        cleanup: |_, _| {
            let _ = fsops::unlink(SCRATCH_FILE);
        },
        ..case("unlink", |e| {
            make_scratch_file(e);
            [e.cstr(STR, SCRATCH_FILE), 0, 0, 0, 0, 0]
        })
    },
    Case {
        cleanup: |_, _| {
            let _ = fsops::unlink(SCRATCH_FILE);
        },
        ..case("unlinkat", |e| {
            make_scratch_file(e);
            [AT_FDCWD, e.cstr(STR, SCRATCH_FILE), 0, 0, 0, 0]
        })
    },
    Case {
        cleanup: remove_scratch,
        ..case("link", |e| {
            [
                e.cstr(STR, c"etc/motd"),
                e.cstr(STR + 64, SCRATCH),
                0,
                0,
                0,
                0,
            ]
        })
    },
    Case {
        cleanup: remove_scratch,
        ..case("symlink", |e| {
            [
                e.cstr(STR, c"etc/motd"),
                e.cstr(STR + 64, SCRATCH),
                0,
                0,
                0,
                0,
            ]
        })
    },
    case("readlink", |e| {
        [e.cstr(STR, SCRATCH_LINK), e.arena + OUT, 64, 0, 0, 0]
    }),
    Case {
        cleanup: |_, _| {
            let _ = fsops::unlink(SCRATCH_FILE);
        },
        ..case("chmod", |e| {
            make_scratch_file(e);
            [e.cstr(STR, SCRATCH_FILE), 0o644, 0, 0, 0, 0]
        })
    },
    case("sysinfo", |e| [e.arena + OUT, 0, 0, 0, 0, 0]),
    // SS_DISABLE (2), so the good call changes nothing that lasts; a NULL
    // `ss` sets nothing, a NULL `old_ss` reports nothing.
    Case {
        nullable: &[0, 1],
        ..case("sigaltstack", |e| {
            let mut ss = [0u8; 24];
            ss[8..12].copy_from_slice(&vrt::uapi::signal::SS_DISABLE.to_le_bytes());
            [e.put(IN, &ss), e.arena + OUT, 0, 0, 0, 0]
        })
    },
    // One long: room for every CPU of vibix (one) and of a host with up to 64.
    case("sched_getaffinity", |e| [0, 8, e.arena + OUT, 0, 0, 0]),
    case("uname", |e| [e.arena + OUT, 0, 0, 0, 0, 0]),
    // A microsecond's sleep; `rem` is written only on EINTR.
    // A shared FUTEX_WAKE reads nothing but must find the word's page (a
    // private one is only a number: no EFAULT); it takes no timeout.
    Case {
        unused: &[3],
        straddle_misaligned: true,
        ..case("futex", |e| [e.arena + IN, FUTEX_WAKE, 1, 0, 0, 0])
    },
    Case {
        unused: &[1],
        ..case("nanosleep", |e| {
            [e.put(IN, &timespec(0, 1000)), e.arena + OUT, 0, 0, 0, 0]
        })
    },
    Case {
        unused: &[3],
        ..case("clock_nanosleep", |e| {
            [
                CLOCK_MONOTONIC,
                0,
                e.put(IN, &timespec(0, 1000)),
                e.arena + OUT,
                0,
                0,
            ]
        })
    },
    Case {
        cleanup: remove_renamed,
        ..case("rename", |e| {
            make_scratch_file(e);
            [
                e.cstr(STR, SCRATCH_FILE),
                e.cstr(STR + 64, SCRATCH),
                0,
                0,
                0,
                0,
            ]
        })
    },
    Case {
        cleanup: remove_renamed,
        ..case("renameat", |e| {
            make_scratch_file(e);
            [
                AT_FDCWD,
                e.cstr(STR, SCRATCH_FILE),
                AT_FDCWD,
                e.cstr(STR + 64, SCRATCH),
                0,
                0,
            ]
        })
    },
    Case {
        cleanup: remove_renamed,
        ..case("renameat2", |e| {
            make_scratch_file(e);
            [
                AT_FDCWD,
                e.cstr(STR, SCRATCH_FILE),
                AT_FDCWD,
                e.cstr(STR + 64, SCRATCH),
                0,
                0,
            ]
        })
    },
    // The *at forms of phase 2, and utimensat.
    Case {
        cleanup: remove_scratch,
        ..case("linkat", |e| {
            [
                AT_FDCWD,
                e.cstr(STR, c"etc/motd"),
                AT_FDCWD,
                e.cstr(STR + 64, SCRATCH),
                0,
                0,
            ]
        })
    },
    Case {
        cleanup: remove_scratch,
        ..case("symlinkat", |e| {
            [
                e.cstr(STR, c"etc/motd"),
                AT_FDCWD,
                e.cstr(STR + 64, SCRATCH),
                0,
                0,
                0,
            ]
        })
    },
    case("readlinkat", |e| {
        [AT_FDCWD, e.cstr(STR, SCRATCH_LINK), e.arena + OUT, 64, 0, 0]
    }),
    Case {
        cleanup: |_, _| {
            let _ = fsops::unlink(SCRATCH_FILE);
        },
        ..case("fchmodat", |e| {
            make_scratch_file(e);
            [AT_FDCWD, e.cstr(STR, SCRATCH_FILE), 0o644, 0, 0, 0]
        })
    },
    // Real times (two UTIME_OMITs would make Linux return before it looks
    // at the path); a NULL `times` means now.
    Case {
        nullable: &[2],
        cleanup: |_, _| {
            let _ = fsops::unlink(SCRATCH_FILE);
        },
        ..case("utimensat", |e| {
            make_scratch_file(e);
            let mut times = [0u8; 32];
            times[..16].copy_from_slice(&timespec(1, 0));
            times[16..].copy_from_slice(&timespec(2, 0));
            [
                AT_FDCWD,
                e.cstr(STR, SCRATCH_FILE),
                e.put(IN, &times),
                0,
                0,
                0,
            ]
        })
    },
    case("arch_prctl", |e| [ARCH_GET_FS, e.arena + OUT, 0, 0, 0, 0]),
    Case {
        cleanup: close_temps,
        ..case("getdents64", |e| {
            let fd = fs::open(c".", O_RDONLY | fs::O_DIRECTORY, 0).expect("open .");
            e.temp_fds = [fd, -1];
            [fd as usize, e.arena + OUT, 1024, 0, 0, 0]
        })
    },
    case("clock_gettime", |e| {
        [CLOCK_MONOTONIC, e.arena + OUT, 0, 0, 0, 0]
    }),
    // getrandom copies up to the fault and returns that count (as Linux).
    Case {
        straddle_short: true,
        ..case("getrandom", |e| [e.arena + OUT, 16, 0, 0, 0, 0])
    },
];

/// The bad addresses tried for every pointer argument.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bad {
    Null,
    Unmapped,
    KernelHalf,
    NonCanonical,
    /// Starts on a mapped page, runs into an unmapped one.
    Straddling,
    /// A mapped page the kernel may not write (for written pointers only).
    ReadOnly,
}

const BADS: [Bad; 6] = [
    Bad::Null,
    Bad::Unmapped,
    Bad::KernelHalf,
    Bad::NonCanonical,
    Bad::Straddling,
    Bad::ReadOnly,
];

fn raw(nr: u64, a: [usize; 6]) -> Result<usize, Errno> {
    // SAFETY: every pointer argument points into this program's own arena
    // (no Rust reference covers it), into the read-only page, or nowhere
    // valid; the syscalls used here change no memory Rust relies on.
    Errno::from_ret(unsafe { syscall6(nr as usize, a[0], a[1], a[2], a[3], a[4], a[5]) })
}

/// Returns how many bytes of a straddling argument are mapped, after
/// preparing them (a path without its NUL, an argv whose first entry is
/// readable), and the address.
fn straddle(env: &Env, kind: Arg) -> (usize, usize) {
    let mapped = match kind {
        Arg::Path => {
            let at = env.boundary - 8;
            // SAFETY: the last 8 bytes of the page before the hole are
            // ours (the `pair` mapping); no Rust reference covers them.
            unsafe { core::ptr::write_bytes(at as *mut u8, b'a', 8) };
            8
        }
        Arg::StrArray => {
            // SAFETY: as above; an aligned u64 at the end of the page.
            unsafe { *((env.boundary - 8) as *mut u64) = (env.arena + STR) as u64 };
            8
        }
        Arg::PtrIn(s) | Arg::PtrOut(s) | Arg::PtrInOut(s) => match s {
            // Half of a fixed-size structure is mapped.
            Size::Fixed(n) => (n / 2).max(1),
            // A counted buffer: only its first byte is mapped, so even a
            // call that uses a little of a big buffer (getcwd) crosses.
            Size::Arg { .. } => 1,
        },
        _ => unreachable!("not a pointer"),
    };
    (env.boundary - mapped, mapped)
}

/// Calls `sig` with argument `index` replaced by the `bad` kind of
/// address; returns the result and the expected one (`EFAULT`, or a
/// documented exception), or `None` if that combination is not tried.
fn bad_call(
    env: &mut Env,
    c: &Case,
    sig: &Signature,
    index: usize,
    kind: Arg,
    bad: Bad,
) -> Option<(Result<usize, Errno>, Result<usize, Errno>)> {
    if bad == Bad::Null && c.nullable.contains(&index)
        || bad == Bad::ReadOnly && !kind.is_written()
        || c.unused.contains(&index)
    {
        return None;
    }
    let mut args = (c.setup)(env);
    let mut mapped = 0;
    args[index] = match bad {
        Bad::Null => 0,
        Bad::Unmapped => env.boundary,
        Bad::KernelHalf => KERNEL_HALF,
        Bad::NonCanonical => NON_CANONICAL,
        Bad::ReadOnly => env.read_only,
        Bad::Straddling => {
            let (at, m) = straddle(env, kind);
            mapped = m;
            at
        }
    };
    let result = if c.no_good_call {
        in_child(env, sig.nr, args)
    } else {
        raw(sig.nr, args)
    };
    (c.cleanup)(env, result);
    // The documented exception: exactly the mapped bytes' count.
    let expected = if bad == Bad::Straddling && c.straddle_short {
        Ok(mapped)
    } else if bad == Bad::Straddling && c.straddle_misaligned {
        Err(Errno::EINVAL)
    } else {
        Err(Errno::EFAULT)
    };
    Some((result, expected))
}

/// Makes the call in a child (execve), which reports the errno through a
/// pipe; a call that succeeded reports nothing.
fn in_child(env: &Env, nr: u64, args: [usize; 6]) -> Result<usize, Errno> {
    let (r, w) = pipe2(vrt::pipes::O_CLOEXEC).expect("pipe2");
    match fork() {
        Ok(Fork::Child) => {
            let _ = dup2(env.null_fd, 1);
            let _ = dup2(env.null_fd, 2);
            let code = match raw(nr, args) {
                Err(e) => e.raw() as u16,
                Ok(_) => 0,
            };
            let _ = io::write(w, &code.to_le_bytes());
            exit(0)
        }
        Ok(Fork::Parent { child }) => {
            let _ = fs::close(w);
            let mut code = [0u8; 2];
            let n = io::read(r, &mut code);
            let _ = fs::close(r);
            let _ = wait4(child, 0);
            match n {
                Ok(2) if code != [0, 0] => {
                    Err(Errno::new(i32::from(u16::from_le_bytes(code))).expect("an errno"))
                }
                _ => Ok(0),
            }
        }
        Err(e) => Err(e),
    }
}

fn main(_args: &vrt::Args) -> i32 {
    // ANCHOR: coverage
    // Coverage first: a pointer argument with no case fails the test.
    let mut pointers = 0;
    for sig in SIGNATURES {
        for (index, kind) in sig.pointer_args() {
            pointers += 1;
            if !CASES.iter().any(|c| c.name == sig.name) {
                vrt::check::fail(
                    format_args!(
                        "the case table covers {} argument {index} ({kind:?})",
                        sig.name
                    ),
                    format_args!("no case for {}", sig.name),
                );
            }
        }
    }
    for c in CASES {
        check!(
            kcore::sysargs::by_name(c.name).is_some_and(|s| s.pointer_args().count() > 0),
            "case {} names a syscall with pointer arguments",
            c.name
        );
    }
    check!(
        pointers > 0,
        "the case table covers every pointer argument in kcore::sysargs"
    );
    // ANCHOR_END: coverage

    let arena = mm::map_anonymous(4 * PAGE_SIZE, PROT_READ | PROT_WRITE).expect("mmap the arena");
    let read_only = mm::map_anonymous(PAGE_SIZE, PROT_READ).expect("mmap a read-only page");
    let pair = mm::map_anonymous(2 * PAGE_SIZE, PROT_READ | PROT_WRITE).expect("mmap two pages");
    // SAFETY: nothing uses the second page. (Unmapped last, so that no
    // later mmap reuses the hole.)
    unsafe { mm::munmap(pair + PAGE_SIZE, PAGE_SIZE) }.expect("munmap the second page");
    let null_fd = fs::open(c"/dev/null", O_WRONLY, 0).expect("open /dev/null");
    let mut env = Env {
        arena,
        boundary: pair + PAGE_SIZE,
        read_only,
        null_fd,
        temp_fds: [-1, -1],
        child: 0,
    };
    let _ = fsops::symlink(c"etc/motd", SCRATCH_LINK);
    let next_fd = fs::open(c"/dev/null", O_RDONLY, 0).expect("open /dev/null");
    let _ = fs::close(next_fd);

    for sig in SIGNATURES.iter().filter(|s| s.pointer_args().count() > 0) {
        let c = CASES
            .iter()
            .find(|c| c.name == sig.name)
            .expect("checked above");
        if !c.no_good_call {
            let args = (c.setup)(&mut env);
            let good = raw(sig.nr, args);
            (c.cleanup)(&mut env, good);
            match good {
                Err(Errno::ENOSYS) => continue, // not in this kernel
                Err(e) if c.may_not_apply == Some(e) => continue,
                Err(e) => vrt::check::fail(
                    format_args!("{} with good arguments", sig.name),
                    format_args!("got {e:?}"),
                ),
                Ok(_) => {}
            }
        } else if raw(sig.nr, [usize::MAX; 6]) == Err(Errno::ENOSYS) {
            continue;
        }
        for (index, kind) in sig.pointer_args() {
            for bad in BADS {
                if let Some((result, expected)) = bad_call(&mut env, c, sig, index, kind, bad)
                    && result != expected
                {
                    vrt::check::fail(
                        format_args!("{} argument {index} ({kind:?}) {bad:?}", sig.name),
                        format_args!("got {result:?}, expected {expected:?}"),
                    );
                }
            }
        }
    }
    check!(
        true,
        "every implemented syscall answers EFAULT for each bad pointer"
    );

    let _ = fsops::unlink(SCRATCH_LINK);
    let fd = fs::open(c"/dev/null", O_RDONLY, 0).expect("open /dev/null");
    check_eq!(
        fd,
        next_fd,
        "no descriptor leaked (the next free one is what it was)"
    );
    vrt::check::all_passed();
    0
}
