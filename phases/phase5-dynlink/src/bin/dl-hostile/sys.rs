//! The system calls `dl-hostile` makes: files and a directory for the
//! corpus, and a child per case (`fork`, a pipe for its stderr, `execve`,
//! `wait4` with a time limit, `kill`). Raw calls through `vibix_uapi`;
//! an error is the negative errno the kernel returned.

use core::ffi::CStr;

use vibix_uapi::fcntl::{AT_FDCWD, AT_REMOVEDIR, O_CLOEXEC, O_CREAT, O_TRUNC, O_WRONLY};
use vibix_uapi::nr;
use vibix_uapi::syscall::{syscall0, syscall1, syscall2, syscall3, syscall4};
use vibix_uapi::time::Timespec;
use vibix_uapi::wait::{WNOHANG, exit_code, term_signal};

/// A failed call: the errno.
pub type Errno = usize;

fn result(ret: usize) -> Result<usize, Errno> {
    if ret > -4096isize as usize {
        Err(ret.wrapping_neg())
    } else {
        Ok(ret)
    }
}

/// Writes `bytes` to a new file `path` (mode 0755, replacing one there).
pub fn write_file(path: &CStr, bytes: &[u8]) -> Result<(), Errno> {
    let flags = (O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC) as usize;
    // SAFETY: `path` is NUL-terminated and outlives the call.
    let fd = result(unsafe {
        syscall4(
            nr::OPENAT,
            AT_FDCWD as usize,
            path.as_ptr().addr(),
            flags,
            0o755,
        )
    })?;
    let mut rest = bytes;
    let mut outcome = Ok(());
    while !rest.is_empty() {
        // SAFETY: `rest` is a live buffer of `rest.len()` bytes.
        match result(unsafe { syscall3(nr::WRITE, fd, rest.as_ptr().addr(), rest.len()) }) {
            Ok(0) | Err(_) => {
                outcome = Err(vibix_uapi::errno::EIO as usize);
                break;
            }
            Ok(n) => rest = &rest[n..],
        }
    }
    close(fd);
    outcome
}

/// Closes `fd`.
pub fn close(fd: usize) {
    // SAFETY: close takes no pointer.
    unsafe { syscall1(nr::CLOSE, fd) };
}

/// Makes directory `path` (mode 0700).
pub fn mkdir(path: &CStr) -> Result<(), Errno> {
    // SAFETY: `path` is NUL-terminated and outlives the call.
    result(unsafe { syscall3(nr::MKDIRAT, AT_FDCWD as usize, path.as_ptr().addr(), 0o700) })
        .map(drop)
}

/// Removes file `path`, or directory `path` if `dir`.
pub fn remove(path: &CStr, dir: bool) {
    let flags = if dir { AT_REMOVEDIR as usize } else { 0 };
    // SAFETY: `path` is NUL-terminated and outlives the call.
    unsafe { syscall3(nr::UNLINKAT, AT_FDCWD as usize, path.as_ptr().addr(), flags) };
}

/// Whether `path` exists (`faccessat`, `F_OK`).
pub fn exists(path: &CStr) -> bool {
    // SAFETY: `path` is NUL-terminated and outlives the call.
    let ret = unsafe { syscall3(nr::FACCESSAT, AT_FDCWD as usize, path.as_ptr().addr(), 0) };
    result(ret).is_ok()
}

/// This process's id.
pub fn getpid() -> usize {
    // SAFETY: getpid takes no argument.
    unsafe { syscall0(nr::GETPID) }
}

/// How a child ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ended {
    Exited(u8),
    Killed(u8),
    /// Still running after the time limit (then killed).
    Hung,
}

/// What a child printed (stdout and stderr, through one pipe), and how it
/// ended.
pub struct Run {
    pub output: [u8; 2048],
    pub len: usize,
    pub ended: Ended,
}

impl Run {
    pub fn text(&self) -> &str {
        let bytes = &self.output[..self.len];
        match core::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
        }
    }
}

/// How long a case may run, in steps of 10 ms.
const LIMIT_TICKS: u32 = 500;

/// Runs `path` (argv `[path]`, an empty environment) in a child, its
/// stdout and stderr into a pipe; waits at most five seconds.
pub fn run(path: &CStr) -> Result<Run, Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two ints into `fds`.
    result(unsafe { syscall2(nr::PIPE2, fds.as_mut_ptr().addr(), O_CLOEXEC as usize) })?;
    let (r, w) = (fds[0] as usize, fds[1] as usize);
    // SAFETY: fork copies the process; the child only makes system calls.
    let pid = result(unsafe { syscall0(nr::FORK) })?;
    if pid == 0 {
        // SAFETY: dup2 and execve: the path and the NULL-terminated arrays
        // live on this stack for the call.
        unsafe {
            syscall2(nr::DUP2, w, 1);
            syscall2(nr::DUP2, w, 2);
            let argv = [path.as_ptr(), core::ptr::null()];
            let envp = [core::ptr::null::<core::ffi::c_char>()];
            let ret = syscall3(
                nr::EXECVE,
                path.as_ptr().addr(),
                argv.as_ptr().addr(),
                envp.as_ptr().addr(),
            );
            // Into the pipe: the parent shows it.
            pirt::println!("dl-hostile: execve failed: errno {}", ret.wrapping_neg());
        }
        pirt::exit(126);
    }
    close(w);
    let mut status = 0u32;
    let mut ticks = 0;
    let ended = loop {
        // SAFETY: the kernel writes one u32 into `status`.
        let got = unsafe {
            syscall4(
                nr::WAIT4,
                pid,
                (&raw mut status).addr(),
                WNOHANG as usize,
                0,
            )
        };
        if got == pid {
            break match (exit_code(status), term_signal(status)) {
                (Some(code), _) => Ended::Exited(code),
                (None, Some(sig)) => Ended::Killed(sig),
                (None, None) => Ended::Hung,
            };
        }
        if ticks == LIMIT_TICKS {
            // SAFETY: kill and wait4 of our own child; `status` as above.
            unsafe {
                syscall2(nr::KILL, pid, vibix_uapi::signal::SIGKILL as usize);
                syscall4(nr::WAIT4, pid, (&raw mut status).addr(), 0, 0);
            }
            break Ended::Hung;
        }
        ticks += 1;
        let pause = Timespec {
            tv_sec: 0,
            tv_nsec: 10_000_000,
        };
        // SAFETY: the kernel reads one timespec.
        unsafe { syscall2(nr::NANOSLEEP, (&raw const pause).addr(), 0) };
    };
    let mut run = Run {
        output: [0; 2048],
        len: 0,
        ended,
    };
    while run.len < run.output.len() {
        let room = &mut run.output[run.len..];
        // SAFETY: the kernel writes at most `room.len()` bytes into `room`.
        match result(unsafe { syscall3(nr::READ, r, room.as_mut_ptr().addr(), room.len()) }) {
            Ok(0) | Err(_) => break,
            Ok(n) => run.len += n,
        }
    }
    close(r);
    Ok(run)
}
