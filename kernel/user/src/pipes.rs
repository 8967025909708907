//! Pipes, descriptors and signals: `pipe2`, `dup2`, `fcntl`, `kill`,
//! `rt_sigaction` (default and ignore only).

use vibix_uapi::signal::SigAction;

use crate::errno::Errno;
use crate::nr;
use crate::syscall::{syscall2, syscall3};

pub use vibix_uapi::fcntl::{F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, O_CLOEXEC, O_NONBLOCK};
pub use vibix_uapi::signal::{SIG_IGN, SIGKILL, SIGPIPE};

/// A new pipe: (read end, write end).
pub fn pipe2(flags: i32) -> Result<(i32, i32), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two i32s into `fds`.
    Errno::from_ret(unsafe { syscall2(nr::PIPE2, fds.as_mut_ptr() as usize, flags as usize) })?;
    Ok((fds[0], fds[1]))
}

pub fn dup2(old: i32, new: i32) -> Result<i32, Errno> {
    // SAFETY: dup2 touches no memory of ours.
    Errno::from_ret(unsafe { syscall2(nr::DUP2, old as usize, new as usize) }).map(|fd| fd as i32)
}

pub fn fcntl(fd: i32, cmd: i32, arg: usize) -> Result<usize, Errno> {
    // SAFETY: the commands used here take integer arguments, not pointers.
    Errno::from_ret(unsafe { syscall3(nr::FCNTL, fd as usize, cmd as usize, arg) })
}

pub fn kill(pid: i32, sig: i32) -> Result<usize, Errno> {
    // SAFETY: kill touches no memory of ours.
    Errno::from_ret(unsafe { syscall2(nr::KILL, pid as usize, sig as usize) })
}

/// Sets `sig`'s disposition to SIG_DFL or SIG_IGN.
pub fn set_disposition(sig: i32, handler: usize) -> Result<usize, Errno> {
    crate::signal::sigaction(
        sig,
        &SigAction {
            sa_handler: handler,
            ..SigAction::default()
        },
    )
}
