//! One boot of vibix: a fresh log directory, QEMU with the test's kernel
//! command line, the logs read back and the outcome decided. A boot that
//! failed because of KVM is retried once with TCG.
//!
//! A boot's directory (`target/runs/phase<N>/<name>/`) ends up holding
//! `console.log` (COM1, tests only), `kernel.log` (the debugcon),
//! `qemu.log` (QEMU's own stderr) and `command.txt` (the QEMU command line,
//! to reproduce the boot by hand).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::booting::accel::{self, Accel, AccelState};
use crate::booting::console_input::Source;
use crate::booting::outcome::Outcome;
use crate::booting::qemu::{self, Console, Invocation};

/// What all boots of one run share.
pub struct Machine {
    pub qemu: PathBuf,
    pub kernel: PathBuf,
    pub initrd: PathBuf,
    pub accel: AccelState,
    pub verbose: bool,
}

/// Where a boot's console goes.
#[derive(Clone, Copy)]
pub enum ConsoleMode<'a> {
    /// Tests: this input, sent `after` the console is ready, then end of
    /// file; output captured into `console.log`.
    Captured { stdin: &'a [u8], after: Duration },
    /// `runner run`: the terminal; its input is forwarded unless `no_stdin`
    /// (in CI, where the runner never reads stdin: input ends at once).
    Terminal { no_stdin: bool },
}

/// A finished boot.
pub struct Boot {
    pub outcome: Outcome,
    /// The console output, raw (empty when it went to the terminal).
    pub console: Vec<u8>,
    pub kernel_log: String,
    /// QEMU's own stderr.
    pub qemu_stderr: String,
    pub elapsed: Duration,
    pub accel: Accel,
}

impl Machine {
    /// Boots `cmdline`, logging into `dir`; falls back to TCG once if KVM
    /// was at fault.
    pub fn boot(&mut self, dir: &Path, cmdline: &str, mode: ConsoleMode<'_>) -> Result<Boot> {
        self.boot_on(dir, cmdline, mode, &[])
    }

    /// [`Machine::boot`] on a CPU without `cpu_without`'s features (the
    /// caller asks for TCG then: see `TestSpec::needs_tcg`).
    pub fn boot_on(
        &mut self,
        dir: &Path,
        cmdline: &str,
        mode: ConsoleMode<'_>,
        cpu_without: &[String],
    ) -> Result<Boot> {
        loop {
            let boot = self.boot_once(dir, cmdline, mode, cpu_without)?;
            if boot.accel == Accel::Kvm
                && let Some(note) = self.accel.avoid_slow_kvm(&boot.kernel_log)
            {
                eprintln!("{note}");
                // A boot that the slowness may have cut short runs again.
                if !matches!(boot.outcome, Outcome::Ended(..)) {
                    continue;
                }
            }
            if boot.accel == Accel::Kvm && !matches!(boot.outcome, Outcome::Ended(..)) {
                let exited = !matches!(boot.outcome, Outcome::Timeout(_));
                let fault =
                    accel::kvm_fault(&boot.qemu_stderr, exited, boot.kernel_log.trim().is_empty());
                if let Some(note) = self.accel.fall_back(fault) {
                    eprintln!("{note}");
                    continue;
                }
            }
            return Ok(boot);
        }
    }

    fn boot_once(
        &self,
        dir: &Path,
        cmdline: &str,
        mode: ConsoleMode<'_>,
        cpu_without: &[String],
    ) -> Result<Boot> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let console_log = dir.join("console.log");
        let kernel_log = dir.join("kernel.log");
        for old in [&console_log, &kernel_log] {
            let _ = std::fs::remove_file(old);
        }
        let accel = self.accel.for_test();
        let inv = Invocation {
            qemu: self.qemu.clone(),
            kernel: self.kernel.clone(),
            initrd: self.initrd.clone(),
            cmdline: cmdline.to_owned(),
            accel,
            kernel_log: kernel_log.clone(),
            cpu_without: cpu_without.to_vec(),
        };
        let line = inv.shell_line();
        std::fs::write(dir.join("command.txt"), format!("{line}\n"))
            .with_context(|| format!("cannot write into {}", dir.display()))?;
        if self.verbose {
            eprintln!("$ {line}");
        }
        let console = match mode {
            ConsoleMode::Captured { stdin, after } => Console::Captured {
                input: Source::Bytes {
                    bytes: stdin.to_vec(),
                    after,
                },
                log: console_log.clone(),
            },
            ConsoleMode::Terminal { no_stdin: true } => Console::Terminal {
                input: Source::Bytes {
                    bytes: Vec::new(),
                    after: Duration::ZERO,
                },
            },
            ConsoleMode::Terminal { no_stdin: false } => Console::Terminal {
                input: Source::Stdin,
            },
        };
        let finished = qemu::run(&inv, console, self.accel.timeout())?;
        let qemu_stderr = String::from_utf8_lossy(&finished.stderr).into_owned();
        std::fs::write(dir.join("qemu.log"), &finished.stderr)
            .with_context(|| format!("cannot write into {}", dir.display()))?;
        let kernel_log = std::fs::read(&kernel_log)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let console = match mode {
            ConsoleMode::Captured { .. } => std::fs::read(&console_log).unwrap_or_default(),
            ConsoleMode::Terminal { .. } => Vec::new(),
        };
        let outcome = Outcome::decide(finished.exit, &kernel_log);
        Ok(Boot {
            outcome,
            console,
            kernel_log,
            qemu_stderr,
            elapsed: finished.elapsed,
            accel,
        })
    }
}
