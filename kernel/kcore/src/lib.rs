//! `kcore`: the parts of the vibix kernel that are plain logic.
//!
//! Everything here works on bytes and numbers only: it touches no hardware,
//! no page tables and no global state. That lets the same code run inside the
//! kernel (`no_std` + `alloc`) and in ordinary host tests, including under
//! Miri. The kernel calls into these modules; they never call the kernel.
//!
//! | module | what it knows |
//! | --- | --- |
//! | [`errno`] | Linux error numbers |
//! | [`layout`] | the user address-space map |
//! | [`uaccess`] | which user pointers are acceptable |
//! | [`iovec`] | decoding the iovec arrays of vectored I/O |
//! | [`elf`] | checking an executable and planning how to load it |
//! | [`cpio`] | reading the initramfs archive |
//! | [`path`] | splitting and checking path names |
//! | [`fs`] | the in-memory file tree, its timestamps |
//! | [`flock`] | `flock` locks: who holds which, what conflicts |
//! | [`stack`] | the initial stack of a new process |
//! | [`tls`] | where the main thread's TLS block goes |
//! | [`tty`] | the console's line discipline (newline, end of file, quoting) |
//! | [`vma`] | the map of a process's mapped areas |
//! | [`shared`] | shared anonymous memory regions and who holds them |
//! | [`civil`] | calendar dates as days since 1970 |
//! | [`cmdline`] | turning the kernel command line into `init`'s argv/envp |
//! | [`clone`] | which `clone` flags make a thread, and which are refused |
//! | [`futex`] | futex operations, buckets, bitsets and timeouts |
//! | [`sysargs`] | every system call's number, name and argument kinds |
//! | [`signal`] | signal numbers (exit statuses are `vibix_uapi::wait`'s) |
//! | [`altstack`] | `sigaltstack`'s rules, where a handler's frame goes, what a CPU exception becomes |
#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod altstack;
pub mod civil;
pub mod clone;
pub mod cmdline;
pub mod cpio;
pub mod elf;
pub mod errno;
pub mod flock;
pub mod fs;
pub mod futex;
pub mod iovec;
pub mod layout;
pub mod path;
pub mod shared;
pub mod signal;
pub mod stack;
pub mod sysargs;
pub mod tls;
pub mod tty;
pub mod uaccess;
pub mod vma;

#[cfg(test)]
mod test_util;
