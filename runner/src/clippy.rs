//! `runner test`'s lint steps: clippy with warnings denied on the host
//! workspace, on the kernel (for `x86_64-unknown-none`, without features
//! and with every phase's), and on each bare-metal program package (phase
//! 0's `kernel/user` and each later phase's own package). The std programs
//! of the phases need vibix's std and are linted by building them.
//!
//! Each package has its own target and flags in its manifest, so cargo runs
//! in its directory with the target dir its builds use.

use std::path::PathBuf;

use crate::phase::{self, Phase};
use crate::{Ctx, toolchain};

/// One clippy run: a label, the directory to run in, its target dir, and
/// extra arguments.
pub struct Lint {
    pub label: String,
    pub dir: PathBuf,
    pub target_dir: Option<PathBuf>,
    pub args: Vec<&'static str>,
}

/// Every clippy run `runner test` makes.
pub fn lints(ctx: &Ctx) -> anyhow::Result<Vec<Lint>> {
    let repo = &ctx.repo;
    let mut out = vec![Lint {
        label: "clippy: host crates (cargo clippy --workspace --all-targets)".into(),
        dir: repo.root().to_path_buf(),
        target_dir: None,
        args: vec!["--workspace", "--all-targets"],
    }];
    let last = phase::later_phases(repo)?
        .iter()
        .filter(|p| p.landed())
        .map(|p| p.number)
        .max()
        .unwrap_or(0);
    for (what, dir_of, args) in [
        ("phase 0", 0, vec!["--release"]),
        (
            "all phases' features",
            last,
            vec!["--release", "--all-features"],
        ),
    ] {
        out.push(Lint {
            label: format!("clippy: kernel, {what} (x86_64-unknown-none)"),
            dir: repo.kernel_dir(),
            // The target dir of a phase's build, so clippy reuses its
            // compiled dependencies.
            target_dir: Some(repo.kernel_target_dir(dir_of)),
            args,
        });
    }
    let mut phases: Vec<Phase> = vec![phase::phase_zero(repo)];
    phases.extend(phase::later_phases(repo)?);
    for p in phases
        .iter()
        .filter(|p| p.landed() && p.cargo_toml().is_file())
    {
        out.push(Lint {
            label: format!(
                "clippy: {} ({})",
                p.programs_label(),
                repo.rel(&p.dir).display()
            ),
            dir: p.dir.clone(),
            target_dir: Some(p.programs_target_dir(repo)),
            args: vec!["--release"],
        });
    }
    Ok(out)
}

/// The command for one lint, warnings denied.
pub fn command<'a>(ctx: &'a Ctx, lint: &Lint) -> xshell::Cmd<'a> {
    let mut cmd = toolchain::tool(&ctx.sh, "cargo")
        .arg("clippy")
        .args(&lint.args)
        .args(["--", "-D", "warnings"]);
    if let Some(dir) = &lint.target_dir {
        cmd = cmd.env("CARGO_TARGET_DIR", dir);
    }
    cmd
}
