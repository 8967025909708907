//! Building the kernel and the test programs with cargo.
//!
//! Each is its own cargo package whose manifest sets its target
//! (`forced-target`) and flags (profile `rustflags`), so cargo runs *in* its
//! directory, with a target dir of its own under `target/`:
//!
//! - kernel: `kernel/` → `target/kernel/phase<N>/x86_64-unknown-none/release/vibix-kernel`,
//!   with `--features phaseN` for phase N ≥ 1;
//! - phase-0 programs: `kernel/user/` → `target/user/x86_64-unknown-none/release/<bin>`.
//!
//! The list of programs is what cargo reports building (its JSON
//! `compiler-artifact` messages): every binary target of the package.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use xshell::Shell;

use crate::phase::Phase;
use crate::repo::Repo;
use crate::{building::toolchain, step};

/// A binary cargo built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub name: String,
    pub path: PathBuf,
}

/// Checks that the kernel and the programs of `phases` are in the checkout,
/// before anything is built.
pub fn preflight(repo: &Repo, phases: &[Phase]) -> Result<()> {
    let kernel = repo.kernel_dir().join("Cargo.toml");
    if !kernel.is_file() {
        bail!(
            "kernel/Cargo.toml not found: this checkout has no kernel yet (looked in {})",
            kernel.display()
        );
    }
    for phase in phases.iter().filter(|p| p.number == 0) {
        if !phase.cargo_toml().is_file() {
            bail!(
                "{} not found: the {} are not in this checkout yet",
                repo.rel(&phase.cargo_toml()).display(),
                phase.programs_label()
            );
        }
    }
    Ok(())
}

/// The cargo features of `phase`'s kernel: none for phase 0, `phaseN` for
/// phase N ≥ 1 (the kernel's features are cumulative). Its build and its
/// clippy run both take them from here.
pub fn kernel_features(phase: u32) -> Option<String> {
    (phase >= 1).then(|| format!("phase{phase}"))
}

/// Builds the kernel for `phase` (in its own target dir); returns its ELF.
pub fn build_kernel(sh: &Shell, repo: &Repo, phase: u32, verbose: bool) -> Result<PathBuf> {
    let dir = repo.kernel_dir();
    preflight(repo, &[])?;
    let features = kernel_features(phase);
    let label = format!("building kernel (phase {phase})");
    let built = cargo_build(
        sh,
        &dir,
        &repo.kernel_target_dir(phase),
        features.as_deref(),
        &label,
        verbose,
    )?;
    let elf = repo.kernel_elf(phase);
    if !elf.is_file() {
        bail!(
            "the kernel built, but {} is missing (cargo built: {}); the kernel's binary must be \
             called vibix-kernel",
            repo.rel(&elf).display(),
            names(&built)
        );
    }
    Ok(elf)
}

/// Builds a phase's programs; returns them by name.
pub fn build_programs(
    sh: &Shell,
    repo: &Repo,
    phase: &Phase,
    verbose: bool,
) -> Result<BTreeMap<String, PathBuf>> {
    if !phase.cargo_toml().is_file() {
        bail!(
            "{} not found: the {} are not in this checkout yet",
            repo.rel(&phase.cargo_toml()).display(),
            phase.programs_label()
        );
    }
    let label = format!("building {}", phase.programs_label());
    let built = cargo_build(
        sh,
        &phase.dir,
        &phase.programs_target_dir(repo),
        None,
        &label,
        verbose,
    )?;
    Ok(built.into_iter().map(|a| (a.name, a.path)).collect())
}

fn cargo_build(
    sh: &Shell,
    dir: &Path,
    target_dir: &Path,
    features: Option<&str>,
    label: &str,
    verbose: bool,
) -> Result<Vec<Artifact>> {
    let _dir = sh.push_dir(dir);
    let mut cmd = toolchain::tool(sh, "cargo")
        .args([
            "build",
            "--release",
            "--message-format=json-render-diagnostics",
        ])
        .env("CARGO_TARGET_DIR", target_dir);
    if let Some(features) = features {
        cmd = cmd.args(["--features", features]);
    }
    let out = step::run(cmd, label, verbose)?;
    Ok(parse_artifacts(&out.stdout))
}

/// The executables in cargo's JSON messages.
pub fn parse_artifacts(json_lines: &str) -> Vec<Artifact> {
    let mut artifacts: Vec<Artifact> = Vec::new();
    for line in json_lines.lines().filter(|l| l.starts_with('{')) {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let is_bin = msg["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
        let (Some(name), Some(path)) = (msg["target"]["name"].as_str(), msg["executable"].as_str())
        else {
            continue;
        };
        if is_bin && !artifacts.iter().any(|a| a.name == name) {
            artifacts.push(Artifact {
                name: name.to_owned(),
                path: PathBuf::from(path),
            });
        }
    }
    artifacts
}

fn names(artifacts: &[Artifact]) -> String {
    if artifacts.is_empty() {
        return "no binaries".into();
    }
    artifacts
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_binaries_in_cargo_messages() {
        let out = r#"{"reason":"compiler-artifact","package_id":"x","target":{"kind":["custom-build"],"name":"build-script-build"},"executable":null,"fresh":true}
{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"vrt"},"executable":null,"fresh":true}
{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"hello"},"executable":"/r/target/user/x86_64-unknown-none/release/hello","fresh":false}
{"reason":"compiler-message","message":{}}
not json at all
{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"files"},"executable":"/r/target/user/x86_64-unknown-none/release/files","fresh":true}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            parse_artifacts(out),
            [
                Artifact {
                    name: "hello".into(),
                    path: "/r/target/user/x86_64-unknown-none/release/hello".into()
                },
                Artifact {
                    name: "files".into(),
                    path: "/r/target/user/x86_64-unknown-none/release/files".into()
                },
            ]
        );
        assert!(parse_artifacts("").is_empty());
    }
}
