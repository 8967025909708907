//! One timed boot of a benchmark program: QEMU with the very command line
//! the tests use (`booting::qemu::Invocation`), its console read line by
//! line as it comes, so that the runner can show each measurement at once
//! and time the boot to the program's first line.
//!
//! The same code boots vibix and the Linux guest: only the kernel, the
//! initramfs and the kernel command line differ. A boot's directory
//! (`target/bench/runs/<accel>/<system>-<program>/`) keeps `console.log`,
//! `kernel.log` (vibix's debugcon), `qemu.log` and `command.txt`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::benching::samples::{self, Sample};
use crate::booting::outcome::{Outcome, QemuExit};
use crate::booting::qemu::Invocation;
use crate::pipes;

/// Which system a boot runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Vibix,
    Linux,
}

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Vibix => "vibix",
            System::Linux => "linux",
        }
    }
}

/// What one benchmark run (a boot, or the host run) produced.
pub struct Run {
    pub samples: Vec<Sample>,
    /// From starting QEMU (or the program) to its `bench-start` line.
    pub to_first_line: Option<Duration>,
}

/// Boots `inv` and collects the program's samples; `on_sample` sees each
/// as it arrives. Fails unless the program got to `bench-end` and the boot
/// ended as it should (`system`'s way).
pub fn boot(
    system: System,
    inv: &Invocation,
    dir: &Path,
    timeout: Option<Duration>,
    verbose: bool,
    on_sample: &mut dyn FnMut(&Sample),
) -> Result<Run> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let line = inv.shell_line();
    std::fs::write(dir.join("command.txt"), format!("{line}\n"))
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    if verbose {
        eprintln!("$ {line}");
    }
    let _ = std::fs::remove_file(&inv.kernel_log);
    let mut cmd = Command::new(&inv.qemu);
    cmd.args(inv.args())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (lines, exit) = stream(cmd, timeout, on_sample, dir)?;
    let kernel_log = std::fs::read(&inv.kernel_log)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let console: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let _ = std::fs::write(dir.join("console.log"), &console);
    let shown = dir.display();
    match (system, exit) {
        (_, QemuExit::TimedOut(after)) => bail!(
            "the {} boot was killed after {} s (raise --timeout; logs in {shown}/)",
            system.name(),
            after.as_secs()
        ),
        (System::Vibix, exit) => match Outcome::decide(exit, &kernel_log) {
            Outcome::Ended(status, _) if status.0 == 0 => {}
            other => bail!("vibix did not end well: {other:?} (logs in {shown}/)"),
        },
        // The guest's init (bench_init) powers off: QEMU exits with 0.
        (System::Linux, QemuExit::Code(0)) => {
            let ok = "bench_init: wait status 0x0000";
            if !lines.iter().any(|(_, l)| l.trim_end() == ok) {
                bail!("the benchmark failed on the Linux guest (no `{ok}`; logs in {shown}/)");
            }
        }
        (System::Linux, other) => {
            bail!("the Linux guest did not power off: QEMU {other:?} (logs in {shown}/)")
        }
    }
    finish(lines, &shown.to_string())
}

/// Runs a benchmark program natively on the host.
pub fn host(
    binary: &Path,
    args: &[String],
    dir: &Path,
    timeout: Option<Duration>,
    on_sample: &mut dyn FnMut(&Sample),
) -> Result<Run> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut cmd = Command::new(binary);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (lines, exit) = stream(cmd, timeout, on_sample, dir)?;
    let console: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let _ = std::fs::write(dir.join("console.log"), &console);
    if exit != QemuExit::Code(0) {
        bail!(
            "{} failed on the host: {exit:?} (output in {}/)",
            binary.display(),
            dir.display()
        );
    }
    finish(lines, &dir.display().to_string())
}

type Lines = Vec<(Duration, String)>;

fn finish(lines: Lines, shown: &str) -> Result<Run> {
    if !lines.iter().any(|(_, l)| samples::is(l, samples::END)) {
        bail!(
            "the benchmark program did not get to `{}` (logs in {shown}/)",
            samples::END
        );
    }
    Ok(Run {
        samples: lines
            .iter()
            .filter_map(|(_, l)| samples::parse_line(l))
            .collect(),
        to_first_line: lines
            .iter()
            .find(|(_, l)| samples::is(l, samples::START))
            .map(|(t, _)| *t),
    })
}

/// Starts `cmd`, timestamps each stdout line from the start, and waits for
/// its end or the timeout (then kills it). Its stderr goes to `qemu.log`.
fn stream(
    mut cmd: Command,
    timeout: Option<Duration>,
    on_sample: &mut dyn FnMut(&Sample),
    dir: &Path,
) -> Result<(Lines, QemuExit)> {
    use std::os::unix::process::ExitStatusExt;
    let start = Instant::now();
    let program: PathBuf = cmd.get_program().into();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {}", program.display()))?;
    let stderr = child.stderr.take().map(|p| pipes::collect(p, false));
    let stdout = child.stdout.take().context("no stdout pipe")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf)
                        .trim_end_matches(['\r', '\n'])
                        .to_owned();
                    if tx.send((start.elapsed(), line)).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut lines = Vec::new();
    let mut timed_out = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok((t, line)) => {
                if let Some(sample) = samples::parse_line(&line) {
                    on_sample(&sample);
                }
                lines.push((t, line));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(limit) = timeout
            && start.elapsed() >= limit
        {
            let _ = child.kill();
            timed_out = Some(limit);
            break;
        }
    }
    let status = child.wait().context("cannot wait for the benchmark")?;
    let stderr = stderr
        .map(|c| c.finish(Duration::from_secs(1)))
        .unwrap_or_default();
    let _ = std::fs::write(dir.join("qemu.log"), &stderr);
    let exit = match (timed_out, status.code(), status.signal()) {
        (Some(limit), ..) => QemuExit::TimedOut(limit),
        (None, Some(code), _) => QemuExit::Code(code),
        (None, None, Some(sig)) => QemuExit::Killed(sig),
        (None, None, None) => QemuExit::Code(-1),
    };
    Ok((lines, exit))
}
