//! vibix: `Command::output` and reading a child's stdout and stderr
//! together.
//!
//! Reading one pipe to its end and then the other deadlocks as soon as the
//! child writes more to the second than a pipe holds: the child blocks on
//! the full pipe and never closes the first. So both are drained at once,
//! as Linux's std does: `poll` waits until either has data (or its end),
//! and each ready pipe gets one `read`, which does not block because `poll`
//! said it would not (this process is the pipes' only reader).

use super::{ChildPipe, Command, ExitStatus, Stdio};
use crate::io;
use crate::os::fd::AsRawFd;
use crate::sys::cvt_abi;
use vibix_abi::Errno;
use vibix_abi::poll::{POLLERR, POLLHUP, POLLIN, pollfd};

/// How much one `read` of a ready pipe asks for at most.
const CHUNK: usize = 32 * 1024;

// ANCHOR: read_output
/// Reads `out` into `stdout` and `err` into `stderr`, both to their end.
pub fn read_output(
    out: ChildPipe,
    stdout: &mut Vec<u8>,
    err: ChildPipe,
    stderr: &mut Vec<u8>,
) -> io::Result<()> {
    let mut targets = [(&out, stdout), (&err, stderr)];
    let mut open = [true, true];
    let mut fds = [pollfd::default(); 2];
    while open.contains(&true) {
        for (i, (pipe, _)) in targets.iter().enumerate() {
            // A negative fd is skipped by `poll`: that pipe has ended.
            fds[i] = pollfd {
                fd: if open[i] { pipe.as_raw_fd() } else { -1 },
                events: POLLIN,
                revents: 0,
            };
        }
        match vibix_abi::poll::poll(&mut fds, -1) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue,
            Err(e) => return cvt_abi(Err(e)),
        }
        for (i, (pipe, buf)) in targets.iter_mut().enumerate() {
            if open[i] && fds[i].revents & (POLLIN | POLLHUP | POLLERR) != 0 {
                open[i] = read_some(pipe, buf)?;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: read_output

/// One `read` into `buf`'s spare room; whether the pipe is still open.
fn read_some(pipe: &ChildPipe, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.reserve(CHUNK);
    let len = buf.len();
    let room = (buf.capacity() - len).min(CHUNK);
    buf.resize(len + room, 0);
    let result = pipe.read(&mut buf[len..]);
    let got = match result {
        Ok(n) => n,
        Err(ref e) if e.kind() == io::ErrorKind::Interrupted => 0,
        Err(e) => {
            buf.truncate(len);
            return Err(e);
        }
    };
    buf.truncate(len + got);
    Ok(result.is_err() || got != 0)
}

/// `Command::output`: stdout and stderr piped (unless the `Command` says
/// otherwise), stdin `/dev/null`, both outputs read whole, then the status.
pub fn output(cmd: &mut Command) -> io::Result<(ExitStatus, Vec<u8>, Vec<u8>)> {
    let (mut process, mut pipes) = cmd.spawn(Stdio::MakePipe, false)?;
    drop(pipes.stdin.take());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    match (pipes.stdout.take(), pipes.stderr.take()) {
        (None, None) => {}
        (Some(out), None) => {
            out.read_to_end(&mut stdout)?;
        }
        (None, Some(err)) => {
            err.read_to_end(&mut stderr)?;
        }
        (Some(out), Some(err)) => read_output(out, &mut stdout, err, &mut stderr)?,
    }
    let status = process.wait()?;
    Ok((status, stdout, stderr))
}
