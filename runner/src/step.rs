//! Running a tool (cargo, rustup) as one long step: a progress line, quiet
//! on success, its output shown if it fails; shown live with `--verbose`.
//!
//! Stdout is kept for the caller (cargo's JSON messages, test results);
//! JSON lines are never echoed.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{Context, Result, bail};
use xshell::Cmd;

use crate::progress::Progress;

/// What a successful step printed on stdout.
pub struct StepOutput {
    pub stdout: String,
}

/// Runs `cmd` as the step `label` (e.g. `building kernel (phase 0)`).
pub fn run(cmd: Cmd<'_>, label: &str, verbose: bool) -> Result<StepOutput> {
    let shown = cmd.to_string();
    run_command(cmd.into(), &shown, label, verbose)
}

/// [`run`] of a `std::process::Command`, shown as `shown`.
pub fn run_command(
    mut command: Command,
    shown: &str,
    label: &str,
    verbose: bool,
) -> Result<StepOutput> {
    let progress = Progress::new(label, verbose);
    if verbose {
        eprintln!("$ {shown}");
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run `{shown}`"))?;

    let stdout = child.stdout.take().map(|pipe| {
        thread::spawn(move || {
            let mut reader = BufReader::new(pipe);
            let mut all = Vec::new();
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                if verbose && !is_json(&line) {
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(&line);
                    let _ = out.flush();
                }
                all.append(&mut line);
            }
            all
        })
    });
    let stderr = child.stderr.take().map(|mut pipe| {
        thread::spawn(move || {
            let mut all = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if verbose {
                            let _ = std::io::stderr().write_all(&buf[..n]);
                        }
                        all.extend_from_slice(&buf[..n]);
                    }
                }
            }
            all
        })
    });
    let status = child
        .wait()
        .with_context(|| format!("cannot wait for `{shown}`"))?;
    let stdout = stdout.and_then(|t| t.join().ok()).unwrap_or_default();
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();

    if !status.success() {
        progress.fail();
        if !verbose {
            show_output(&stdout, &stderr);
        }
        bail!("{label} failed: `{shown}` exited with {status} (its output is above)");
    }
    progress.done();
    let stdout =
        String::from_utf8(stdout).with_context(|| format!("`{shown}` printed non-UTF-8"))?;
    Ok(StepOutput { stdout })
}

/// A failed step's output: stderr as is, then stdout without JSON lines.
fn show_output(stdout: &[u8], stderr: &[u8]) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(stderr);
    for line in stdout.split_inclusive(|&b| b == b'\n') {
        if !is_json(line) {
            let _ = err.write_all(line);
        }
    }
    let _ = err.flush();
}

fn is_json(line: &[u8]) -> bool {
    line.first() == Some(&b'{')
}
