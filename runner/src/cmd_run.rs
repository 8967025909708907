//! `runner run [--phase N] <program> [ARGS…]`: boot vibix with one program
//! as init, its console on this terminal. With `--manifest-path`, the
//! program is a cargo project's binary, built with the phase's std; with
//! `--c FILE.c`, a C program built against the phase's C library.
//!
//! The runner exits with the program's status (its exit code, or 128 + the
//! signal that killed it), or with 125 if vibix never reported one (kernel
//! panic, timeout, QEMU failure); only then is the kernel log's tail shown.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::booting::accel::{AccelState, Request};
use crate::booting::boot::{ConsoleMode, Machine};
use crate::booting::cmdline::kernel_cmdline;
use crate::booting::outcome::Outcome;
use crate::cmd_phase;
use crate::judging::report::TAIL;
use crate::sysroot::c_programs;
use crate::text::tail_lines;
use crate::{Ctx, booting::qemu, building::std_build};

/// The runner's own status when vibix did not report init's.
pub const NO_STATUS: u8 = 125;

/// What to run.
pub enum Program {
    /// `/bin/<name>` of the phase's build.
    Phase(String),
    /// A cargo project, built with the phase's std (see `std_build`).
    Project {
        manifest: std::path::PathBuf,
        bin: Option<String>,
    },
    /// C files, compiled against the phase's sysroot (phase 4 on).
    C(Vec<std::path::PathBuf>),
}

pub struct RunOpts {
    pub phase: u32,
    pub program: Program,
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub accel: Request,
    pub timeout: Option<u64>,
}

pub fn run(ctx: &Ctx, opts: &RunOpts) -> Result<ExitCode> {
    // Check the command line before building anything.
    kernel_cmdline("check", &opts.env, &opts.args)?;
    let (built, program) = match &opts.program {
        Program::Phase(name) => (cmd_phase::build(ctx, opts.phase)?, name.clone()),
        Program::Project { manifest, bin } => {
            std_build::build_project(ctx, opts.phase, manifest, bin.as_deref())?
        }
        Program::C(files) => c_programs::build_run(ctx, opts.phase, files)?,
    };
    let cmdline = kernel_cmdline(&program, &opts.env, &opts.args)?;
    if !built.rootfs.join("bin").join(&program).is_file() {
        bail!(
            "there is no program `{}` in phase {}'s /bin (programs: {})",
            program,
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
    let dir = ctx.repo.run_dir(opts.phase, &format!("run-{program}"));
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
