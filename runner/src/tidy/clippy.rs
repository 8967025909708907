//! `runner test`'s lint steps: clippy with warnings denied on the host
//! workspace, on the kernel (for `x86_64-unknown-none`) once per phase that
//! exists (phase 0 and each landed phase, each with exactly the features
//! its kernel is built with), and on each bare-metal program package (phase
//! 0's `kernel/user` and each later phase's own package). The std programs
//! of the phases need vibix's std and are linted by building them.
//!
//! Each package has its own target and flags in its manifest, so cargo runs
//! in its directory with the target dir its builds use.

use std::path::PathBuf;

use crate::phase::{self, Phase};
use crate::repo::Repo;
use crate::{Ctx, building::kbuild, building::toolchain};

/// One clippy run: a label, the directory to run in, its target dir, and
/// extra arguments.
pub struct Lint {
    pub label: String,
    pub dir: PathBuf,
    pub target_dir: Option<PathBuf>,
    pub args: Vec<String>,
}

/// Every clippy run `runner test` makes.
pub fn lints(ctx: &Ctx) -> anyhow::Result<Vec<Lint>> {
    let repo = &ctx.repo;
    let mut out = vec![Lint {
        label: "clippy: host crates (cargo clippy --workspace --all-targets)".into(),
        dir: repo.root().to_path_buf(),
        target_dir: None,
        args: vec!["--workspace".into(), "--all-targets".into()],
    }];
    let landed = phase::later_phases(repo)?
        .into_iter()
        .filter(Phase::landed)
        .map(|p| p.number);
    out.extend(kernel_lints(repo, std::iter::once(0).chain(landed)));
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
            args: vec!["--release".into()],
        });
    }
    Ok(out)
}

/// The kernel's clippy runs: one per phase in `phases`, with exactly the
/// features `runner phase N` builds that phase's kernel with, so code a
/// phase's kernel compiles differently is linted as it is built.
fn kernel_lints(repo: &Repo, phases: impl IntoIterator<Item = u32>) -> Vec<Lint> {
    phases
        .into_iter()
        .map(|n| {
            let mut args = vec!["--release".to_string()];
            let features = kbuild::kernel_features(n);
            if let Some(features) = &features {
                args.extend(["--features".to_string(), features.clone()]);
            }
            let what = match &features {
                Some(features) => format!("--features {features}"),
                None => "no features".into(),
            };
            Lint {
                label: format!("clippy: kernel, phase {n} ({what}, x86_64-unknown-none)"),
                dir: repo.kernel_dir(),
                // The target dir of the phase's build, so clippy reuses its
                // compiled dependencies.
                target_dir: Some(repo.kernel_target_dir(n)),
                args,
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kernel_lint_per_phase_with_its_features() {
        let repo = Repo::find_from(env!("CARGO_MANIFEST_DIR").as_ref()).unwrap();
        let lints = kernel_lints(&repo, [0, 1, 2]);
        let args: Vec<Vec<String>> = lints.iter().map(|l| l.args.clone()).collect();
        assert_eq!(
            args,
            [
                vec!["--release"],
                vec!["--release", "--features", "phase1"],
                vec!["--release", "--features", "phase2"],
            ]
        );
        assert_eq!(lints[1].target_dir, Some(repo.kernel_target_dir(1)));
        assert!(lints.iter().all(|l| l.dir == repo.kernel_dir()));
    }
}
