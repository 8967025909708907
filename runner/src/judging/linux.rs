//! The Linux oracle: the same static binary, run directly on the host, gives
//! the output and status vibix must reproduce. Nothing expected is stored:
//! Linux produces it on every run.
//!
//! The host run mirrors what init sees on vibix: argv[0] is `/bin/<program>`,
//! the environment is exactly `HOME=/`, `TERM=linux` and the test's own
//! entries *in that order*, the current directory is the staged rootfs
//! (programs open relative paths like `etc/motd`), the file-creation mask
//! is 022 (what Linux and vibix give init), stdin carries the test's
//! bytes, and stdout and stderr share one pipe, interleaved as on the
//! console.
//!
//! `std::process::Command` sorts an environment it is given, so the program
//! is started through the runner itself: `runner __exec-on-host ARGV0 BINARY
//! N ENV… ARG…` empties its own environment, sets the N entries in order and
//! execs the program, which then sees them in exactly that order.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::judging::manifest::TestSpec;
use crate::judging::status::Termination;
use crate::pipes;

/// The hidden subcommand that execs a program with an ordered environment.
pub const EXEC_HELPER: &str = "__exec-on-host";

/// The file-creation mask init starts with, on Linux as on vibix.
const INIT_UMASK: usize = 0o022;

/// How the host run went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRun {
    pub ending: HostEnding,
    /// stdout and stderr, interleaved.
    pub output: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostEnding {
    Ended(Termination),
    TimedOut(Duration),
}

/// Runs `binary` for `test` on the host, in `rootfs`, started through
/// `launcher` (the runner's own executable).
pub fn run(
    launcher: &Path,
    binary: &Path,
    rootfs: &Path,
    test: &TestSpec,
    timeout: Option<Duration>,
) -> Result<HostRun> {
    let cmd = host_command(launcher, binary, rootfs, test);
    run_command(cmd, &test.stdin_bytes(), timeout)
}

/// The environment init gets, in order.
pub fn init_env(test: &TestSpec) -> Vec<String> {
    let mut env = vec!["HOME=/".to_string(), "TERM=linux".to_string()];
    env.extend(test.env.iter().cloned());
    env
}

/// `launcher __exec-on-host /bin/<program> <binary> N ENV… ARG…`, in `rootfs`.
fn host_command(launcher: &Path, binary: &Path, rootfs: &Path, test: &TestSpec) -> Command {
    let env = init_env(test);
    let mut cmd = Command::new(launcher);
    cmd.arg(EXEC_HELPER)
        .arg(format!("/bin/{}", test.program))
        .arg(binary)
        .arg(env.len().to_string())
        .args(&env)
        .args(&test.args)
        .current_dir(rootfs);
    cmd
}

/// Runs `cmd` with `stdin`, stdout and stderr into one pipe, and a timeout.
fn run_command(mut cmd: Command, stdin: &[u8], timeout: Option<Duration>) -> Result<HostRun> {
    let (reader, writer) = std::io::pipe().context("cannot create a pipe")?;
    let writer2 = writer.try_clone().context("cannot duplicate a pipe")?;
    cmd.stdin(Stdio::piped()).stdout(writer).stderr(writer2);
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot run {:?} on the host", cmd.get_program()))?;
    // Our copies of the write ends must go, or the reader never sees EOF.
    drop(cmd);

    // Fed from a thread that is never waited for (see `qemu::run`).
    if let Some(mut pipe) = child.stdin.take() {
        let stdin = stdin.to_vec();
        thread::spawn(move || pipe.write_all(&stdin));
    }
    let output = pipes::collect(reader, false);

    let ending = loop {
        if let Some(status) = child.try_wait().context("cannot wait for the host run")? {
            break match Termination::from_host(status) {
                Some(t) => HostEnding::Ended(t),
                None => bail!("the host run ended oddly: {status}"),
            };
        }
        if let Some(limit) = timeout
            && start.elapsed() >= limit
        {
            let _ = child.kill();
            let _ = child.wait();
            break HostEnding::TimedOut(limit);
        }
        thread::sleep(Duration::from_millis(1));
    };
    // Whatever a left-over grandchild still holds open is not waited for long.
    let output = output.finish(Duration::from_secs(1));
    Ok(HostRun { ending, output })
}

/// The helper: `args` are what follows `__exec-on-host`. Only returns if it
/// cannot exec the program.
pub fn exec_helper(args: &[OsString]) -> ExitCode {
    match exec_helper_inner(args) {
        Ok(never) => match never {},
        Err(e) => {
            eprintln!("runner {EXEC_HELPER}: {e:#}");
            ExitCode::from(127)
        }
    }
}

enum Never {}

/// A parsed helper command line.
#[derive(Debug, PartialEq, Eq)]
struct HelperArgs<'a> {
    argv0: &'a OsStr,
    binary: &'a OsStr,
    env: Vec<(&'a OsStr, &'a OsStr)>,
    args: &'a [OsString],
}

fn parse_helper_args(args: &[OsString]) -> Result<HelperArgs<'_>> {
    let [argv0, binary, count, rest @ ..] = args else {
        bail!("usage: runner {EXEC_HELPER} ARGV0 BINARY N ENV… ARG…");
    };
    let count: usize = count
        .to_str()
        .and_then(|c| c.parse().ok())
        .filter(|&c| c <= rest.len())
        .context("N must be the number of ENV entries that follow")?;
    let (env, args) = rest.split_at(count);
    let env = env
        .iter()
        .map(|entry| {
            let bytes = entry.as_bytes();
            let eq = bytes.iter().position(|&b| b == b'=');
            match eq {
                Some(i) if i > 0 => Ok((
                    OsStr::from_bytes(&bytes[..i]),
                    OsStr::from_bytes(&bytes[i + 1..]),
                )),
                _ => bail!("environment entry {entry:?} is not KEY=VALUE"),
            }
        })
        .collect::<Result<_>>()?;
    Ok(HelperArgs {
        argv0,
        binary,
        env,
        args,
    })
}

fn exec_helper_inner(args: &[OsString]) -> Result<Never> {
    let parsed = parse_helper_args(args)?;
    let old: Vec<OsString> = std::env::vars_os().map(|(k, _)| k).collect();
    for key in old {
        // SAFETY: the helper runs this before it starts any thread, so
        // nothing can read the environment concurrently.
        unsafe { std::env::remove_var(key) };
    }
    for (key, value) in &parsed.env {
        // SAFETY: as above, single-threaded. glibc appends each new variable
        // at the end of `environ`, which keeps the order.
        unsafe { std::env::set_var(key, value) };
    }
    // Init's file-creation mask, not whatever the runner was started with.
    // SAFETY: umask only sets this process's mask (which the program
    // inherits); it reads and writes no memory.
    unsafe { vibix_uapi::syscall::syscall1(vibix_uapi::nr::UMASK, INIT_UMASK) };
    // With its environment untouched, Command passes our `environ` as is.
    let err = Command::new(parsed.binary)
        .arg0(parsed.argv0)
        .args(parsed.args)
        .exec();
    Err(err).with_context(|| format!("cannot exec {}", Path::new(parsed.binary).display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    fn spec(env: &[&str], args: &[&str]) -> TestSpec {
        TestSpec {
            args: args.iter().map(|s| s.to_string()).collect(),
            env: env.iter().map(|s| s.to_string()).collect(),
            ..TestSpec::of_program("t", "prog")
        }
    }

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn builds_the_helper_command() {
        let test = spec(&["ZED=1", "ALPHA=2"], &["one", "two words"]);
        let cmd = host_command(
            Path::new("/r/runner"),
            Path::new("/r/bin/prog"),
            Path::new("/root"),
            &test,
        );
        assert_eq!(cmd.get_program(), "/r/runner");
        let args: Vec<&OsStr> = cmd.get_args().collect();
        assert_eq!(
            args,
            [
                EXEC_HELPER,
                "/bin/prog",
                "/r/bin/prog",
                "4",
                "HOME=/",
                "TERM=linux",
                "ZED=1",
                "ALPHA=2",
                "one",
                "two words"
            ]
        );
        assert_eq!(cmd.get_current_dir(), Some(Path::new("/root")));
        // The helper reads back the same thing.
        let owned: Vec<OsString> = args[1..].iter().map(|a| a.to_os_string()).collect();
        let parsed = parse_helper_args(&owned).unwrap();
        assert_eq!(parsed.argv0, "/bin/prog");
        assert_eq!(parsed.binary, "/r/bin/prog");
        let env: Vec<(&OsStr, &OsStr)> = ["HOME", "TERM", "ZED", "ALPHA"]
            .iter()
            .zip(["/", "linux", "1", "2"])
            .map(|(k, v)| (OsStr::new(*k), OsStr::new(v)))
            .collect();
        assert_eq!(parsed.env, env);
        assert_eq!(parsed.args, os(&["one", "two words"]));
    }

    #[test]
    fn rejects_bad_helper_arguments() {
        assert!(parse_helper_args(&os(&["a", "b"])).is_err());
        assert!(parse_helper_args(&os(&["a", "b", "x"])).is_err());
        assert!(parse_helper_args(&os(&["a", "b", "2", "A=1"])).is_err());
        assert!(parse_helper_args(&os(&["a", "b", "1", "=1"])).is_err());
        let ok = os(&["a", "b", "1", "A=x=y", "--", "-n"]);
        let parsed = parse_helper_args(&ok).unwrap();
        assert_eq!(parsed.env, [(OsStr::new("A"), OsStr::new("x=y"))]);
        assert_eq!(parsed.args, os(&["--", "-n"]));
    }

    fn sh(script: &str, dir: &Path) -> Command {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", script]).current_dir(dir);
        cmd
    }

    #[test]
    fn interleaves_output_and_feeds_stdin() {
        let tmp = TempDir::new("linux");
        std::fs::create_dir_all(tmp.path().join("etc")).unwrap();
        std::fs::write(tmp.path().join("etc/motd"), "motd!\n").unwrap();
        let script = "echo out1; echo err >&2; echo out2; cat etc/motd; read line; \
                      echo \"got $line\"; exit 3";
        let host = run_command(sh(script, tmp.path()), b"input\n", None).unwrap();
        assert_eq!(host.ending, HostEnding::Ended(Termination::Exited(3)));
        assert_eq!(host.output, b"out1\nerr\nout2\nmotd!\ngot input\n");
    }

    #[test]
    fn reports_signals_and_timeouts() {
        let tmp = TempDir::new("linux-sig");
        let killed = run_command(sh("kill -SEGV $$", tmp.path()), b"", None).unwrap();
        assert_eq!(killed.ending, HostEnding::Ended(Termination::Signaled(11)));

        let limit = Duration::from_millis(200);
        let slow = run_command(sh("exec sleep 5", tmp.path()), b"", Some(limit)).unwrap();
        assert_eq!(slow.ending, HostEnding::TimedOut(limit));
    }
}
