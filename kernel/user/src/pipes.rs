//! Pipes, descriptors and signals: `pipe2` (293), `dup2` (33), `fcntl` (72),
//! `kill` (62), `rt_sigaction` (13, default and ignore only).

use crate::errno::Errno;
use crate::syscall::{syscall2, syscall3};

pub const O_NONBLOCK: usize = 0o4000;
pub const O_CLOEXEC: usize = 0o2000000;
pub const F_GETFD: usize = 1;
pub const F_SETFD: usize = 2;
pub const F_DUPFD_CLOEXEC: usize = 1030;
pub const SIGKILL: usize = 9;
pub const SIGPIPE: usize = 13;
pub const SIG_IGN: usize = 1;

/// A new pipe: (read end, write end).
pub fn pipe2(flags: usize) -> Result<(i32, i32), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two i32s into `fds`.
    Errno::from_ret(unsafe { syscall2(293, fds.as_mut_ptr() as usize, flags) })?;
    Ok((fds[0], fds[1]))
}

pub fn dup2(old: i32, new: i32) -> Result<i32, Errno> {
    // SAFETY: dup2 touches no memory of ours.
    Errno::from_ret(unsafe { syscall2(33, old as usize, new as usize) }).map(|fd| fd as i32)
}

pub fn fcntl(fd: i32, cmd: usize, arg: usize) -> Result<usize, Errno> {
    // SAFETY: the commands used here take integer arguments, not pointers.
    Errno::from_ret(unsafe { syscall3(72, fd as usize, cmd, arg) })
}

pub fn kill(pid: i32, sig: usize) -> Result<usize, Errno> {
    // SAFETY: kill touches no memory of ours.
    Errno::from_ret(unsafe { syscall2(62, pid as usize, sig) })
}

/// Sets `sig`'s disposition to SIG_DFL (0) or SIG_IGN (1).
pub fn set_disposition(sig: usize, handler: usize) -> Result<usize, Errno> {
    crate::signal::sigaction(sig, [handler, 0, 0, 0])
}
