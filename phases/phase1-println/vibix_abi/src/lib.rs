//! `vibix_abi`: everything Rust std's vibix platform layer needs from the
//! kernel, and nothing more.
//!
//! vibix speaks the Linux x86_64 system-call ABI, so this crate is a small,
//! typed view of that ABI:
//!
//! | module | what it gives std |
//! |---|---|
//! | [`syscall`], [`nr`] | re-exported from `vibix_uapi`: the raw `syscall` stubs, the [`syscall!`] macro, the system-call numbers |
//! | [`errno`] | [`Errno`] (`vibix_uapi`'s), the thread-local `errno` |
//! | [`io`] | `read`, `write`, `writev` and the standard descriptors |
//! | [`mem`] | `brk`, `mmap`, `munmap`; phase 3: `mprotect` |
//! | [`alloc`] | the global allocator over `brk` and `mmap` |
//! | [`time`] | `clock_gettime`; phase 2: `nanosleep`, `sleep` |
//! | [`random`] | `getrandom` |
//! | [`process`] | `exit_group`, `getpid`, `abort`; phase 2: `fork`, `wait4`, `kill`, wait statuses |
//! | [`exec`] | (phase 2) `execve`, the argv/envp arrays built before `fork`, the `PATH` search |
//! | [`cwd`] | (phase 2) `getcwd`, `chdir` |
//! | [`poll`] | (phase 2) `poll` |
//! | [`exe`] | (phase 2) the executable's path (`AT_EXECFN`), for `current_exe` |
//! | [`start`] | the initial stack (argc, argv, envp, auxv) and, on vibix, `_start` |
//! | [`fd`] | (phase 2) closing, duplicating, close-on-exec, pipes, vectored and positioned I/O, seeking |
//! | [`fs`] | (phase 2) opening files, `struct stat`, sizes, permissions, syncing, names and links |
//! | [`dir`] | (phase 2) directory listings: `getdents64` and walking its records |
//! | [`libc_names`] | (phase 2) `close` and `fcntl` under their C names, for std's `os::fd`; (phase 3) the C types of backtrace-rs's unwinder bindings |
//! | [`thread`] | (phase 3) threads: `clone` with a guard-paged stack and a fresh TLS block, join and detach, `gettid`, `sched_yield`, the CPU count |
//! | [`futex`] | (phase 3) `futex` waits (with absolute deadlines) and wakes, for std's locks and `join` |
//! | [`stack_overflow`] | (phase 3) each thread's guard page and alternate signal stack, the `SIGSEGV`/`SIGBUS` handler's installation, a fault's address |
//! | [`image`] | (phase 3) the program's own headers (`AT_PHDR`): the load bias, the unwind tables' index for the unwinder, the loaded segments for the backtrace symbolizer |
//!
//! Every wrapper returns `Result<_, Errno>`; the logic that needs no kernel
//! (decoding, stack parsing, the allocator's bookkeeping) is tested on the
//! host, also under Miri.
//!
//! The ABI's facts (numbers, errno values, flags, structures, the syscall
//! stubs, the initial-stack reader) are `vibix_uapi`'s; this crate adds
//! only what std needs on top of them. It is `#![no_std]` and depends on
//! nothing but `core` and `vibix_uapi`. Inside std's build it is compiled
//! with the `rustc-dep-of-std` feature, which makes `core` the sysroot
//! crate being built (like `hermit-abi`).

#![no_std]
#![feature(thread_local)]

#[cfg(test)]
extern crate std;

pub mod alloc;
#[cfg(feature = "phase2")]
pub mod cwd;
#[cfg(feature = "phase2")]
pub mod dir;
pub mod errno;
#[cfg(feature = "phase2")]
pub mod exe;
#[cfg(feature = "phase2")]
pub mod exec;
#[cfg(feature = "phase2")]
pub mod fd;
#[cfg(feature = "phase2")]
pub mod fs;
#[cfg(feature = "phase3")]
pub mod futex;
#[cfg(feature = "phase3")]
pub mod image;
pub mod io;
#[cfg(feature = "phase2")]
pub mod libc_names;
pub mod mem;
#[cfg(feature = "phase2")]
pub mod poll;
pub mod process;
pub mod random;
pub mod signal;
#[cfg(feature = "phase3")]
pub mod stack_overflow;
pub mod start;
#[cfg(feature = "phase3")]
pub mod thread;
pub mod time;

pub use errno::{Errno, Result};
pub use io::iovec;
pub use vibix_uapi::{nr, syscall};
