//! vibix: `Command`, what a child is to be (program, arguments,
//! environment, working directory, stdio), and `Stdio`, where each of its
//! standard descriptors comes from.

use super::ChildPipe;
use crate::ffi::{OsStr, OsString};
use crate::fmt;
use crate::io;
use crate::os::fd::{AsRawFd, FromRawFd, RawFd};
use crate::path::Path;
use crate::sys::fd::FileDesc;
use crate::sys::fs::{File, OpenOptions};
use crate::sys::process::env::{CommandEnv, CommandEnvs, CommandResolvedEnvs};
use crate::sys::{IntoInner, cvt_abi};

pub struct Command {
    program: OsString,
    /// `argv`: the program as given, then the arguments.
    args: Vec<OsString>,
    env: CommandEnv,
    cwd: Option<OsString>,
    stdin: Option<Stdio>,
    stdout: Option<Stdio>,
    stderr: Option<Stdio>,
}

/// Where a child's standard descriptor comes from.
#[derive(Debug)]
pub enum Stdio {
    /// The parent's own descriptor, as it is.
    Inherit,
    /// `/dev/null`.
    Null,
    /// A new pipe; the parent keeps the other end.
    MakePipe,
    /// This descriptor (a file, a pipe end, another child's pipe).
    Fd(FileDesc),
    /// The parent's descriptor with this number (`io::stdout()` and
    /// `io::stderr()` given as a child's stdio), duplicated at spawn.
    Parent(RawFd),
}

/// A child's standard descriptor, ready for `fork`: `None` to inherit, or
/// the descriptor to move into place, kept open until the child is started.
pub(super) enum ChildStdio {
    Inherit,
    /// A descriptor we own (a pipe end, `/dev/null`, a duplicate).
    Owned(FileDesc),
    /// A descriptor the `Command` owns (3 or above).
    Borrowed(RawFd),
}

impl ChildStdio {
    pub(super) fn fd(&self) -> Option<RawFd> {
        match self {
            ChildStdio::Inherit => None,
            ChildStdio::Owned(fd) => Some(fd.as_raw_fd()),
            ChildStdio::Borrowed(fd) => Some(*fd),
        }
    }
}

impl Stdio {
    /// The child's side of this and, for a pipe, the parent's end.
    /// `readable`: the child reads it (stdin).
    fn to_child(&self, readable: bool) -> io::Result<(ChildStdio, Option<ChildPipe>)> {
        Ok(match self {
            Stdio::Inherit => (ChildStdio::Inherit, None),
            Stdio::Null => {
                let mut opts = OpenOptions::new();
                opts.read(readable);
                opts.write(!readable);
                let null = File::open_c(c"/dev/null", &opts)?;
                (ChildStdio::Owned(null.into_inner()), None)
            }
            Stdio::MakePipe => {
                let (reader, writer) = crate::sys::pipe::pipe()?;
                let (theirs, ours) = if readable {
                    (reader, writer)
                } else {
                    (writer, reader)
                };
                (ChildStdio::Owned(theirs), Some(ours))
            }
            // A descriptor numbered 0 to 2 could be overwritten by the
            // child's own moves (stdout onto 1 before stderr is taken from
            // 1): such a one is duplicated above 2 first.
            Stdio::Fd(fd) if fd.as_raw_fd() > 2 => (ChildStdio::Borrowed(fd.as_raw_fd()), None),
            Stdio::Fd(fd) => (ChildStdio::Owned(fd.duplicate()?), None),
            Stdio::Parent(raw) => {
                let fd = cvt_abi(vibix_abi::fd::duplicate(*raw, 3))?;
                // SAFETY: the kernel just made `fd`; nobody else owns it.
                (
                    ChildStdio::Owned(unsafe { FileDesc::from_raw_fd(fd) }),
                    None,
                )
            }
        })
    }
}

/// The three descriptors a child gets, and the parent's ends of its pipes.
pub(super) struct ChildStdios {
    pub stdin: ChildStdio,
    pub stdout: ChildStdio,
    pub stderr: ChildStdio,
}

impl Command {
    pub fn new(program: &OsStr) -> Command {
        Command {
            program: program.to_owned(),
            args: vec![program.to_owned()],
            env: CommandEnv::default(),
            cwd: None,
            stdin: None,
            stdout: None,
            stderr: None,
        }
    }

    pub fn arg(&mut self, arg: &OsStr) {
        self.args.push(arg.to_owned());
    }

    pub fn env_mut(&mut self) -> &mut CommandEnv {
        &mut self.env
    }

    pub fn cwd(&mut self, dir: &OsStr) {
        self.cwd = Some(dir.to_owned());
    }

    pub fn stdin(&mut self, stdin: Stdio) {
        self.stdin = Some(stdin);
    }

    pub fn stdout(&mut self, stdout: Stdio) {
        self.stdout = Some(stdout);
    }

    pub fn stderr(&mut self, stderr: Stdio) {
        self.stderr = Some(stderr);
    }

    pub fn get_program(&self) -> &OsStr {
        &self.program
    }

    pub fn get_args(&self) -> CommandArgs<'_> {
        CommandArgs {
            iter: self.args[1..].iter(),
        }
    }

    pub fn get_envs(&self) -> CommandEnvs<'_> {
        self.env.iter()
    }

    pub fn get_env_clear(&self) -> bool {
        self.env.does_clear()
    }

    pub fn get_resolved_envs(&self) -> CommandResolvedEnvs {
        CommandResolvedEnvs::new(self.env.capture())
    }

    pub fn get_current_dir(&self) -> Option<&Path> {
        self.cwd.as_ref().map(Path::new)
    }

    pub(super) fn argv(&self) -> &[OsString] {
        &self.args
    }

    pub(super) fn env(&self) -> &CommandEnv {
        &self.env
    }

    /// The child's stdio: what the `Command` says, else `default` (stdin:
    /// `/dev/null` unless `needs_stdin`), as std's other platforms decide.
    pub(super) fn setup_io(
        &self,
        default: Stdio,
        needs_stdin: bool,
    ) -> io::Result<(ChildStdios, crate::process::StdioPipes)> {
        let null = Stdio::Null;
        let default_stdin = if needs_stdin { &default } else { &null };
        let stdin = self.stdin.as_ref().unwrap_or(default_stdin);
        let stdout = self.stdout.as_ref().unwrap_or(&default);
        let stderr = self.stderr.as_ref().unwrap_or(&default);
        let (their_stdin, our_stdin) = stdin.to_child(true)?;
        let (their_stdout, our_stdout) = stdout.to_child(false)?;
        let (their_stderr, our_stderr) = stderr.to_child(false)?;
        Ok((
            ChildStdios {
                stdin: their_stdin,
                stdout: their_stdout,
                stderr: their_stderr,
            },
            crate::process::StdioPipes {
                stdin: our_stdin,
                stdout: our_stdout,
                stderr: our_stderr,
            },
        ))
    }
}

impl From<FileDesc> for Stdio {
    fn from(fd: FileDesc) -> Stdio {
        Stdio::Fd(fd)
    }
}

impl From<File> for Stdio {
    fn from(file: File) -> Stdio {
        Stdio::Fd(file.into_inner())
    }
}

impl From<io::Stdout> for Stdio {
    fn from(_: io::Stdout) -> Stdio {
        Stdio::Parent(vibix_abi::io::STDOUT_FILENO)
    }
}

impl From<io::Stderr> for Stdio {
    fn from(_: io::Stderr) -> Stdio {
        Stdio::Parent(vibix_abi::io::STDERR_FILENO)
    }
}

/// As on Linux: `{:?}` reads like a shell command line, `{:#?}` shows the
/// fields.
impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            let mut d = f.debug_struct("Command");
            d.field("program", &self.program).field("args", &self.args);
            if !self.env.is_unchanged() {
                d.field("env", &self.env);
            }
            if self.cwd.is_some() {
                d.field("cwd", &self.cwd);
            }
            for (name, value) in [
                ("stdin", &self.stdin),
                ("stdout", &self.stdout),
                ("stderr", &self.stderr),
            ] {
                if value.is_some() {
                    d.field(name, value);
                }
            }
            return d.finish();
        }
        if let Some(cwd) = &self.cwd {
            write!(f, "cd {cwd:?} && ")?;
        }
        if self.env.does_clear() {
            write!(f, "env -i ")?;
        } else {
            let mut removed = self.get_envs().filter(|(_, v)| v.is_none()).peekable();
            if removed.peek().is_some() {
                write!(f, "env ")?;
            }
            for (key, _) in removed {
                write!(f, "-u {} ", key.to_string_lossy())?;
            }
        }
        for (key, value) in self.get_envs() {
            if let Some(value) = value {
                write!(f, "{}={value:?} ", key.to_string_lossy())?;
            }
        }
        write!(f, "{:?}", self.args[0])?;
        for arg in &self.args[1..] {
            write!(f, " {arg:?}")?;
        }
        Ok(())
    }
}

pub struct CommandArgs<'a> {
    iter: crate::slice::Iter<'a, OsString>,
}

impl<'a> Iterator for CommandArgs<'a> {
    type Item = &'a OsStr;
    fn next(&mut self) -> Option<&'a OsStr> {
        self.iter.next().map(|arg| &**arg)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl<'a> ExactSizeIterator for CommandArgs<'a> {
    fn len(&self) -> usize {
        self.iter.len()
    }
    fn is_empty(&self) -> bool {
        self.iter.is_empty()
    }
}

impl<'a> fmt::Debug for CommandArgs<'a> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter.clone()).finish()
    }
}
