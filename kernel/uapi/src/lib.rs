//! `vibix_uapi`: the kernel's user-facing ABI, each fact written once.
//!
//! vibix speaks the Linux x86_64 system-call ABI. This crate is that ABI as
//! data, in the spirit of Linux's `include/uapi` headers and of
//! `hermit-abi`: whoever crosses the user/kernel boundary (the kernel
//! through `kcore`, the phase-0 runtime `vrt`, std's `vibix_abi`) takes the
//! numbers, flags and layouts from here and defines none of its own.
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`nr`] | system-call numbers and names |
//! | [`errno`] | error numbers, names and messages; [`Errno`] and `-errno` decoding |
//! | [`fcntl`] | `open` flags, `*at` flags, `fcntl` commands, `flock` operations, `lseek` whence |
//! | [`stat`] | `struct stat`, file-type and permission bits, `access` modes, `UTIME_NOW`/`UTIME_OMIT` |
//! | [`ioctl`] | the terminal `ioctl` requests (`TCGETS`, `TIOCGWINSZ`) |
//! | [`mman`] | `mmap` protections and flags |
//! | [`clone`] | `clone` flags |
//! | [`futex`] | `futex` operations |
//! | [`tls`] | a thread's TLS block and TCB (x86_64 variant II) |
//! | [`elf`] | program headers, `PT_*`, and what a dynamic linker reads: `DT_*`, symbols, `R_X86_64_*` relocations |
//! | [`signal`] | signal numbers, `sigaction` flags and `struct sigaction` |
//! | [`wait`] | `wait4` options |
//! | [`poll`] | `struct pollfd` and its events |
//! | [`random`] | `getrandom` flags |
//! | [`time`] | clock ids and `struct timespec` |
//! | [`uio`] | `struct iovec` |
//! | [`dirent`] | the `linux_dirent64` header and `d_type` values |
//! | [`dl`] | what the dynamic linker exports to the C library (`__vibix_dl_object`, `tls_index`) |
//! | [`limits`] | `PATH_MAX`, `NAME_MAX` |
//! | [`utsname`] | `struct utsname` |
//! | [`sysinfo`] | `struct sysinfo` |
//! | [`prctl`] | `arch_prctl` codes |
//! | [`reboot`] | `reboot`'s magic numbers and commands (Linux's; vibix has no `reboot`) |
//! | [`auxv`] | auxiliary vector keys |
//! | [`syscall`] | the raw `syscall` instruction, 0 to 6 arguments |
//! | [`start`] | reading the initial stack: argc, argv, envp, auxv |
//!
//! The crate is `#![no_std]` and depends on nothing but `core`. Its host
//! test (`tests/oracle.rs`) compares every constant and every structure's
//! size, alignment and field offsets with the host's `libc` crate.

#![no_std]

#[cfg(test)]
extern crate std;

pub mod auxv;
pub mod clone;
pub mod dirent;
pub mod dl;
pub mod elf;
pub mod errno;
pub mod fcntl;
pub mod futex;
pub mod ioctl;
pub mod limits;
pub mod mman;
pub mod nr;
pub mod poll;
pub mod prctl;
pub mod random;
pub mod reboot;
pub mod signal;
pub mod start;
pub mod stat;
pub mod statfs;
#[cfg(target_arch = "x86_64")]
pub mod syscall;
pub mod sysinfo;
pub mod time;
pub mod tls;
pub mod uio;
pub mod utsname;
pub mod wait;

pub use errno::Errno;
