//! Child processes: `fork` (57), `execve` (59), `wait4` (61), and the Linux
//! wait-status encoding (`WIFEXITED`, `WEXITSTATUS`, `WTERMSIG`).

use core::ffi::CStr;

use crate::errno::Errno;
use crate::nr;
use crate::syscall::{syscall0, syscall3, syscall4};

/// `wait4` option: return at once (with pid 0) if no child has ended.
pub const WNOHANG: usize = vibix_uapi::wait::WNOHANG as usize;

/// Which side of a fork we are on.
pub enum Fork {
    Parent { child: i32 },
    Child,
}

/// Forks the process.
pub fn fork() -> Result<Fork, Errno> {
    // SAFETY: fork copies the whole process; no Rust invariant spans the
    // two copies (each continues with its own memory).
    let pid = Errno::from_ret(unsafe { syscall0(nr::FORK) })?;
    Ok(if pid == 0 {
        Fork::Child
    } else {
        Fork::Parent { child: pid as i32 }
    })
}

/// Replaces the program; returns only on failure. `argv` and `envp` hold
/// NUL-terminated strings.
pub fn execve(path: &CStr, argv: &[&CStr], envp: &[&CStr]) -> Errno {
    const MAX: usize = 16;
    let mut args = [core::ptr::null::<u8>(); MAX + 1];
    let mut envs = [core::ptr::null::<u8>(); MAX + 1];
    for (slot, a) in args.iter_mut().zip(argv.iter().take(MAX)) {
        *slot = a.as_ptr().cast();
    }
    for (slot, e) in envs.iter_mut().zip(envp.iter().take(MAX)) {
        *slot = e.as_ptr().cast();
    }
    // SAFETY: the kernel only reads the path and the NULL-terminated arrays,
    // which outlive the call.
    let ret = unsafe {
        syscall3(
            nr::EXECVE,
            path.as_ptr() as usize,
            args.as_ptr() as usize,
            envs.as_ptr() as usize,
        )
    };
    match Errno::from_ret(ret) {
        Err(e) => e,
        Ok(_) => unreachable!("execve returned success"),
    }
}

/// Waits for child `pid` (-1: any); returns its pid and wait status.
pub fn wait4(pid: i32, options: usize) -> Result<(i32, u32), Errno> {
    let mut status = 0u32;
    // SAFETY: the kernel writes one u32 into `status`; no rusage is asked for.
    let ret = unsafe {
        syscall4(
            nr::WAIT4,
            pid as usize,
            &raw mut status as usize,
            options,
            0,
        )
    };
    Errno::from_ret(ret).map(|pid| (pid as i32, status))
}

/// How a child ended, decoded from a wait status.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Ended {
    Exited(u8),
    Killed(u8),
    Other(u32),
}

/// Decodes `status` with `vibix_uapi::wait`, the definition the kernel
/// encodes with.
pub fn decode(status: u32) -> Ended {
    use vibix_uapi::wait::{exit_code, term_signal};
    match (exit_code(status), term_signal(status)) {
        (Some(code), _) => Ended::Exited(code),
        (None, Some(sig)) => Ended::Killed(sig),
        (None, None) => Ended::Other(status),
    }
}

/// Forks; the child runs `child` and exits with what it returns. Returns
/// the child's pid; a failed fork fails the test.
pub fn spawn(child: impl FnOnce() -> i32) -> i32 {
    match fork() {
        Ok(Fork::Child) => crate::process::exit(child()),
        Ok(Fork::Parent { child }) => child,
        Err(e) => crate::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
}

/// Waits for child `pid` and decodes how it ended; a failed wait fails the
/// test.
pub fn reap(pid: i32) -> Ended {
    match wait4(pid, 0) {
        Ok((_, status)) => decode(status),
        Err(e) => crate::check::fail(format_args!("wait4"), format_args!("{e:?}")),
    }
}
