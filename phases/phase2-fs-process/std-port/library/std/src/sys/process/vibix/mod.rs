//! vibix: `std::process`. A `Command` becomes `fork`, then (in the child)
//! the stdio descriptors moved into place and `execve`; `wait4` gives its
//! status. Everything the child needs is prepared before `fork` (the child
//! of a fork may not allocate), and an `execve` that fails is reported to
//! the parent through a close-on-exec pipe, so `spawn` itself fails with
//! the reason, as on Linux.
//!
//! - `command.rs`: `Command`, its arguments, environment and stdio;
//! - `spawn.rs`: `spawn` (fork + execve) and `Process` (wait, kill);
//! - `status.rs`: `ExitStatus` (exit codes and deaths by signal), `ExitCode`;
//! - `output.rs`: reading a child's stdout and stderr together, with `poll`.

mod command;
mod output;
mod spawn;
mod status;

pub use command::{Command, CommandArgs, Stdio};
pub use output::{output, read_output};
pub use spawn::Process;
pub use status::{ExitCode, ExitStatus, ExitStatusError};

pub use crate::ffi::OsString as EnvKey;

/// A child's end of a `Stdio::piped()`, seen from the parent: a pipe.
pub type ChildPipe = crate::sys::pipe::Pipe;

/// `std::process::id()`.
pub fn getpid() -> u32 {
    // `getpid` cannot fail on a kernel that has it (every phase's does).
    vibix_abi::process::getpid().map_or(0, |pid| pid as u32)
}
