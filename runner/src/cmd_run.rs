//! `runner run [--phase N] <program> [ARGS…]`: boot vibix with one program
//! as init, its console on this terminal.
//!
//! The runner exits with the program's status (its exit code, or 128 + the
//! signal that killed it), or with 125 if vibix never reported one (kernel
//! panic, timeout, QEMU failure); only then is the kernel log's tail shown.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::accel::{AccelState, Request};
use crate::boot::{ConsoleMode, Machine};
use crate::cmd_phase;
use crate::cmdline::kernel_cmdline;
use crate::outcome::Outcome;
use crate::report::TAIL;
use crate::text::tail_lines;
use crate::{Ctx, qemu};

/// The runner's own status when vibix did not report init's.
pub const NO_STATUS: u8 = 125;

pub struct RunOpts {
    pub phase: u32,
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub accel: Request,
    pub timeout: Option<u64>,
}

pub fn run(ctx: &Ctx, opts: &RunOpts) -> Result<ExitCode> {
    // Check the command line before building anything.
    let cmdline = kernel_cmdline(&opts.program, &opts.env, &opts.args)?;
    let built = cmd_phase::build(ctx, opts.phase)?;
    if !built.rootfs.join("bin").join(&opts.program).is_file() {
        bail!(
            "there is no program `{}` in phase {}'s /bin (programs: {})",
            opts.program,
            opts.phase,
            built
                .programs
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut machine = Machine {
        qemu: qemu::ensure_installed(&ctx.sh)?,
        kernel: built.kernel.clone(),
        initrd: built.initrd.clone(),
        accel: AccelState::new(opts.accel, opts.timeout)?,
        verbose: ctx.verbose,
    };
    let dir = ctx
        .repo
        .run_dir(opts.phase, &format!("run-{}", opts.program));
    let boot = machine
        .boot(&dir, &cmdline, ConsoleMode::Terminal { no_stdin: ctx.ci })
        .context("cannot boot vibix")?;
    match boot.outcome {
        Outcome::Ended(_, ending) => Ok(ExitCode::from(ending.shell_status())),
        other => {
            eprintln!("vibix: {other}");
            let tail = tail_lines(&boot.kernel_log, TAIL);
            if tail.is_empty() {
                eprintln!("kernel.log is empty");
            } else {
                eprintln!("kernel.log (last {} lines):", tail.len());
                for line in tail {
                    eprintln!("  | {line}");
                }
            }
            eprintln!("logs: {}/", ctx.repo.rel(&dir).display());
            Ok(ExitCode::from(NO_STATUS))
        }
    }
}
