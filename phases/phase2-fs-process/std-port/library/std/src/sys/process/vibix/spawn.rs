//! vibix: starting a child (`fork`, then `execve` in the child) and
//! `Process`, the parent's handle on it (`wait4`, `kill`).
//!
//! The child of a `fork` is a copy of the parent taken at an arbitrary
//! point; until it calls `execve` it may only do async-signal-safe work,
//! and in particular may not allocate. So `spawn` builds, before `fork`:
//! the argument and environment arrays and the list of paths to try
//! (`vibix_abi::exec`), the working directory as a C string, the child's
//! three descriptors and a pipe for reporting failure. The child then only
//! moves descriptors, changes directory, resets `SIGPIPE` and calls
//! `execve`: system calls on memory that is already there.

use core::ffi::c_char;

use super::command::{ChildStdio, ChildStdios, Command, Stdio};
use super::status::ExitStatus;
use crate::ffi::{CString, OsStr};
use crate::io;
use crate::os::fd::AsRawFd;
use crate::process::StdioPipes;
use crate::sys::cvt_abi;
use crate::sys::fd::FileDesc;
use vibix_abi::Errno;
use vibix_abi::exec::{self, PackError};
use vibix_abi::process::{Fork, WNOHANG};

/// NUL-terminated strings and the null-terminated array of pointers to
/// them, as `execve` reads `argv` and `envp`.
struct CStrArray {
    /// The strings; `pointers` point into this buffer, which never moves.
    _bytes: Vec<u8>,
    pointers: Vec<*const c_char>,
}

impl CStrArray {
    fn new<'a, I, P>(items: I) -> io::Result<CStrArray>
    where
        I: IntoIterator<Item = P> + Clone,
        P: IntoIterator<Item = &'a [u8]>,
    {
        let size = exec::packed_size(items.clone());
        let mut bytes = vec![0; size.bytes];
        let mut pointers = vec![crate::ptr::null(); size.pointers];
        match exec::pack(items, &mut bytes, &mut pointers) {
            Ok(()) => Ok(CStrArray {
                _bytes: bytes,
                pointers,
            }),
            Err(PackError::Nul) => Err(nul_error()),
            Err(PackError::Size) => unreachable!("packed with the sizes packed_size gave"),
        }
    }

    fn as_ptr(&self) -> *const *const c_char {
        self.pointers.as_ptr()
    }
}

fn nul_error() -> io::Error {
    io::const_error!(
        io::ErrorKind::InvalidInput,
        "nul byte found in provided data"
    )
}

/// Everything the child needs, built before `fork`.
struct Prepared {
    candidates: CStrArray,
    argv: CStrArray,
    envp: CStrArray,
    cwd: Option<CString>,
}

// ANCHOR: prepare
impl Command {
    fn prepare(&self) -> io::Result<Prepared> {
        let argv = CStrArray::new(self.argv().iter().map(|a| [a.as_encoded_bytes()]))?;
        // An unchanged environment goes as it is, in its order (as on
        // Linux); a changed one is captured with the changes applied.
        let env = self.env();
        let (envp, path) = if env.is_unchanged() {
            let vars: Vec<_> = crate::env::vars_os().collect();
            let envp = CStrArray::new(vars.iter().map(|(k, v)| env_entry(k, v)))?;
            (envp, crate::env::var_os("PATH"))
        } else {
            let vars = env.capture();
            let envp = CStrArray::new(vars.iter().map(|(k, v)| env_entry(k, v)))?;
            (envp, vars.get(OsStr::new("PATH")).cloned())
        };
        // The paths to try: the program itself if it has a `/`, else each
        // directory of the child's PATH (C's default if it has none).
        let program = self.get_program().as_encoded_bytes();
        let path = path.as_ref().map(|p| p.as_encoded_bytes());
        let candidates = CStrArray::new(exec::search_path(program, path))?;
        let cwd = match self.get_current_dir() {
            Some(dir) => {
                Some(CString::new(dir.as_os_str().as_encoded_bytes()).map_err(|_| nul_error())?)
            }
            None => None,
        };
        Ok(Prepared {
            candidates,
            argv,
            envp,
            cwd,
        })
    }
}
// ANCHOR_END: prepare

/// `KEY=VALUE`, in parts.
fn env_entry<'a>(key: &'a OsStr, value: &'a OsStr) -> [&'a [u8]; 3] {
    [key.as_encoded_bytes(), b"=", value.as_encoded_bytes()]
}

/// What the child writes to the failure pipe when `execve` fails: its errno,
/// then a tag, so that a stray write cannot pass for one.
const FAILURE_TAG: [u8; 4] = *b"exec";

// ANCHOR: spawn
impl Command {
    pub fn spawn(
        &mut self,
        default: Stdio,
        needs_stdin: bool,
    ) -> io::Result<(Process, StdioPipes)> {
        let prepared = self.prepare()?;
        let (theirs, ours) = self.setup_io(default, needs_stdin)?;
        // Both ends close-on-exec: a successful `execve` closes the child's
        // write end, so the parent reads end of file; a failed one leaves it
        // open for the child to report on.
        let (failure_read, failure_write) = crate::sys::pipe::pipe()?;

        // SAFETY: the child does only async-signal-safe work: `child` makes
        // system calls on memory prepared above, and never returns.
        match cvt_abi(unsafe { vibix_abi::process::fork() })? {
            Fork::Child => child(&prepared, &theirs, &failure_write),
            Fork::Parent { child } => {
                drop(failure_write);
                drop(theirs);
                match read_failure(&failure_read) {
                    Ok(None) => Ok((
                        Process {
                            pid: child,
                            status: None,
                        },
                        ours,
                    )),
                    Ok(Some(errno)) => {
                        // The child exits at once: reap it, then report.
                        let mut process = Process {
                            pid: child,
                            status: None,
                        };
                        process.wait()?;
                        Err(io::Error::from_raw_os_error(errno))
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }
}

/// In the child: moves the stdio descriptors into place, changes directory,
/// resets `SIGPIPE` (std ignores it in every Rust program; a program it
/// starts expects the default, as on Linux) and runs the program. Reports
/// what failed on `failure` and exits.
fn child(prepared: &Prepared, stdio: &ChildStdios, failure: &FileDesc) -> ! {
    let err = child_setup(prepared, stdio).err().unwrap_or_else(|| {
        // SAFETY: the arrays were packed by `vibix_abi::exec::pack` and stay
        // alive: this process never returns from here.
        unsafe {
            exec::execve_first(
                prepared.candidates.as_ptr(),
                prepared.argv.as_ptr(),
                prepared.envp.as_ptr(),
            )
        }
    });
    let mut report = [0u8; 8];
    report[..4].copy_from_slice(&err.raw().to_ne_bytes());
    report[4..].copy_from_slice(&FAILURE_TAG);
    // Nothing is left to do if the parent cannot be told.
    let _ = vibix_abi::io::write(failure.as_raw_fd(), &report);
    vibix_abi::process::exit(127)
}

fn child_setup(prepared: &Prepared, stdio: &ChildStdios) -> Result<(), Errno> {
    use vibix_abi::io::{STDERR_FILENO, STDIN_FILENO, STDOUT_FILENO};
    for (from, to) in [
        (&stdio.stdin, STDIN_FILENO),
        (&stdio.stdout, STDOUT_FILENO),
        (&stdio.stderr, STDERR_FILENO),
    ] {
        if let Some(fd) = ChildStdio::fd(from) {
            // `dup3` without `O_CLOEXEC`: the program keeps it.
            vibix_abi::fd::duplicate_to(fd, to, false)?;
        }
    }
    if let Some(cwd) = &prepared.cwd {
        vibix_abi::cwd::chdir(cwd)?;
    }
    vibix_abi::signal::set_disposition(vibix_abi::signal::SIGPIPE, vibix_abi::signal::SIG_DFL)
}

/// In the parent: end of file means `execve` succeeded; eight bytes are the
/// child's report of why it failed.
fn read_failure(pipe: &FileDesc) -> io::Result<Option<i32>> {
    let mut report = [0u8; 8];
    let mut got = 0;
    while got < report.len() {
        match pipe.read(&mut report[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    match got {
        0 => Ok(None),
        8 if report[4..] == FAILURE_TAG => Ok(Some(i32::from_ne_bytes([
            report[0], report[1], report[2], report[3],
        ]))),
        _ => Err(io::const_error!(
            io::ErrorKind::InvalidData,
            "the child's report of a failed exec is garbled"
        )),
    }
}
// ANCHOR_END: spawn

/// The parent's handle on a child.
pub struct Process {
    pid: i32,
    /// Once reaped, its status: the pid may then belong to someone else.
    status: Option<ExitStatus>,
}

impl Process {
    pub fn id(&self) -> u32 {
        self.pid as u32
    }

    pub fn kill(&mut self) -> io::Result<()> {
        // A child already waited for is gone; its pid may be reused, so
        // nothing is sent (as on Linux).
        if self.status.is_some() {
            return Ok(());
        }
        cvt_abi(vibix_abi::process::kill(
            self.pid,
            vibix_abi::process::SIGKILL,
        ))
    }

    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        if let Some(status) = self.status {
            return Ok(status);
        }
        loop {
            match vibix_abi::process::wait4(self.pid, 0) {
                Ok(Some((_, raw))) => {
                    let status = ExitStatus::from_raw(raw);
                    self.status = Some(status);
                    return Ok(status);
                }
                Ok(None) => {} // only with WNOHANG
                Err(Errno::EINTR) => {}
                Err(e) => return cvt_abi(Err(e)),
            }
        }
    }

    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        match cvt_abi(vibix_abi::process::wait4(self.pid, WNOHANG))? {
            Some((_, raw)) => {
                let status = ExitStatus::from_raw(raw);
                self.status = Some(status);
                Ok(Some(status))
            }
            None => Ok(None),
        }
    }
}
