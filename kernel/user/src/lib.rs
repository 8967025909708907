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
//! - [`args`] and [`auxv`]: argc, argv, envp and the auxiliary vector, read
//!   from the initial stack the kernel built;
//! - [`syscall`] and [`nr`]: the raw `syscall` instruction and the Linux
//!   x86_64 system call numbers;
//! - [`errno`]: error numbers, and turning `-errno` returns into `Result`s;
//! - [`io`], [`fs`], [`fsops`], [`dirent`], [`stat`], [`mm`], [`process`],
//!   [`cred`]: typed wrappers for the system calls the phase-0 programs use;
//! - [`print`]: `print!`, `println!` and `eprintln!`, unbuffered;
//! - [`check`]: the `ok: ...` / `FAIL: ...` reporting the test programs share;
//! - [`panic`]: the panic handler (message to stderr, exit status 101);
//! - [`heap`]: the allocator that refuses (vrt programs do not allocate).

#![no_std]

pub mod args;
pub mod auxv;
pub mod check;
pub mod children;
pub mod cred;
pub mod dirent;
pub mod errno;
pub mod fs;
pub mod fsops;
pub mod heap;
pub mod io;
pub mod mm;
pub mod nr;
pub mod panic;
pub mod pipes;
pub mod print;
pub mod process;
pub mod signal;
pub mod start;
pub mod stat;
pub mod syscall;
pub mod sysinfo;

pub use args::Args;
pub use errno::Errno;
