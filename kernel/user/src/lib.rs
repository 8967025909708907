//! `vrt`, the vibix runtime: the least a `#![no_std]` program needs to run as
//! a process on vibix (or, unchanged, on Linux x86_64).
//!
//! A program built on `vrt` looks like this:
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//!
//! vrt::entry!(main);
//!
//! fn main(args: &vrt::Args) -> i32 {
//!     vrt::println!("hello, {} arguments", args.argc());
//!     0
//! }
//! ```
//!
//! The pieces, one per module:
//!
//! - [`start`]: `_start`, the first instruction the kernel runs, and the
//!   [`entry!`] macro that names the program's `main`;
//! - [`args`]: argc, argv, envp and the auxiliary vector, read from the
//!   initial stack the kernel built (with `vibix_uapi::start`);
//! - [`syscall`], [`nr`], [`errno`], [`auxv`]: the ABI itself, re-exported
//!   from `vibix_uapi` (the raw `syscall` stubs, the system call numbers,
//!   error numbers and `-errno` decoding, auxiliary vector keys);
//! - [`io`], [`fs`], [`fsops`], [`dirent`], [`stat`], [`mm`], [`process`],
//!   [`cred`]: typed wrappers for the system calls the phase-0 programs use;
//! - [`thread`]: threads on raw `clone`, joined through `futex`;
//! - [`print`]: `print!`, `println!` and `eprintln!`, unbuffered;
//! - [`check`]: the `ok: ...` / `FAIL: ...` reporting the test programs share;
//! - [`panic`]: the panic handler (message to stderr, exit status 101);
//! - [`heap`]: the allocator that refuses (vrt programs do not allocate).

#![no_std]

pub mod args;
pub mod check;
pub mod children;
pub mod cred;
pub mod dirent;
pub mod fs;
pub mod fsops;
pub mod heap;
pub mod io;
pub mod mm;
pub mod panic;
pub mod pipes;
pub mod print;
pub mod process;
pub mod signal;
pub mod start;
pub mod stat;
pub mod sysinfo;
pub mod thread;

pub use args::Args;
pub use vibix_uapi as uapi;
pub use vibix_uapi::{Errno, auxv, errno, nr, syscall};
