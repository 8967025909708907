//! What a phase is, and which phases exist.
//!
//! Phase 0 is the kernel's own test programs, `kernel/user/` (a cargo
//! package with `tests.toml` and an optional `rootfs/`). Phases 1 to 5 are
//! the std port, one directory each: `phases/phase<N>-<topic>/`. A phase
//! *exists* (has landed) when its directory has a `tests.toml`; if the
//! directory is also a cargo package (`Cargo.toml`), its binaries are built
//! and installed in `/bin` like phase 0's, and its `rootfs/` (if any) is
//! copied into the initramfs.
//!
//! `runner phase N` builds the kernel with `--features phaseN` and runs the
//! tests of phase 0 and of every landed phase up to N.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::repo::Repo;

/// One phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    pub number: u32,
    /// `kernel/user` for phase 0, `phases/phase<N>-<topic>` after.
    pub dir: PathBuf,
}

impl Phase {
    pub fn tests_toml(&self) -> PathBuf {
        self.dir.join("tests.toml")
    }

    /// Files copied into the initramfs as they are.
    pub fn rootfs_overlay(&self) -> PathBuf {
        self.dir.join("rootfs")
    }

    pub fn cargo_toml(&self) -> PathBuf {
        self.dir.join("Cargo.toml")
    }

    /// Whether the phase has landed (has its tests).
    pub fn landed(&self) -> bool {
        self.tests_toml().is_file()
    }

    /// Cargo's target dir for the phase's programs: `target/user` for
    /// phase 0, `target/phase<N>-user` after.
    pub fn programs_target_dir(&self, repo: &Repo) -> PathBuf {
        match self.number {
            0 => repo.target_dir().join("user"),
            n => repo.target_dir().join(format!("phase{n}-user")),
        }
    }

    /// `phase-0 programs`.
    pub fn programs_label(&self) -> String {
        format!("phase-{} programs", self.number)
    }
}

/// Phase 0: `kernel/user`.
pub fn phase_zero(repo: &Repo) -> Phase {
    Phase {
        number: 0,
        dir: repo.kernel_dir().join("user"),
    }
}

/// Phases 1 and up, from `phases/phase<N>-*`, in order (landed or not).
pub fn later_phases(repo: &Repo) -> Result<Vec<Phase>> {
    let dir = repo.phases_dir();
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut phases: Vec<Phase> = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
    {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let name = entry.file_name();
        let Some(number) = name.to_str().and_then(parse_dir_name) else {
            continue;
        };
        if let Some(other) = phases.iter().find(|p| p.number == number) {
            bail!(
                "two directories claim phase {number}: {} and {}; keep one",
                repo.rel(&other.dir).display(),
                repo.rel(&entry.path()).display()
            );
        }
        phases.push(Phase {
            number,
            dir: entry.path(),
        });
    }
    phases.sort_by_key(|p| p.number);
    Ok(phases)
}

/// `phase3-threads` → 3; `phase3` → 3; anything else → None.
fn parse_dir_name(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("phase")?;
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, tail) = rest.split_at(digits_end);
    if digits.is_empty() || !(tail.is_empty() || tail.starts_with('-')) {
        return None;
    }
    digits.parse().ok().filter(|&n| n >= 1)
}

/// A phase that cannot be run (yet): the message, and exit status 2.
#[derive(Debug)]
pub struct Unavailable(pub String);

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unavailable {}

/// The phases `runner phase n` covers: phase 0 and every landed phase up to
/// `n`. Fails with [`Unavailable`] if phase `n` does not exist or has not
/// landed.
pub fn select(repo: &Repo, n: u32) -> Result<Vec<Phase>> {
    let zero = phase_zero(repo);
    if n == 0 {
        return Ok(vec![zero]);
    }
    let later = later_phases(repo)?;
    let Some(target) = later.iter().find(|p| p.number == n) else {
        let known: Vec<String> = later
            .iter()
            .map(|p| repo.rel(&p.dir).display().to_string())
            .collect();
        let known = if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        };
        return Err(Unavailable(format!(
            "there is no phase {n} (phase 0 is kernel/user; later phases: {known})"
        ))
        .into());
    };
    if !target.landed() {
        return Err(Unavailable(not_landed_message(repo, target)).into());
    }
    let mut phases = vec![zero];
    phases.extend(later.into_iter().filter(|p| p.number <= n && p.landed()));
    Ok(phases)
}

/// `phase 3 has not landed yet (phases/phase3-threads holds only its README)`.
pub fn not_landed_message(repo: &Repo, phase: &Phase) -> String {
    let shown = repo.rel(&phase.dir).display().to_string();
    let why = if holds_only_readme(&phase.dir) {
        format!("{shown} holds only its README")
    } else {
        format!("{shown} has no tests.toml")
    };
    format!("phase {} has not landed yet ({why})", phase.number)
}

fn holds_only_readme(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(|e| e.ok()).all(|e| {
        e.file_name()
            .to_string_lossy()
            .to_ascii_lowercase()
            .starts_with("readme")
    })
}

/// Every phase that `runner test` runs: 0 and each landed later phase.
pub fn landed_numbers(repo: &Repo) -> Result<Vec<u32>> {
    let mut numbers = vec![0];
    numbers.extend(
        later_phases(repo)?
            .iter()
            .filter(|p| p.landed())
            .map(|p| p.number),
    );
    Ok(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    fn fake_repo(tmp: &TempDir) -> Repo {
        let root = tmp.path();
        std::fs::create_dir_all(root.join("kernel/user")).unwrap();
        std::fs::write(root.join("rust-toolchain.toml"), "").unwrap();
        for (dir, files) in [
            ("phase1-println", &["README.md", "tests.toml"][..]),
            (
                "phase2-fs-process",
                &["README.md", "tests.toml", "Cargo.toml"],
            ),
            ("phase3-threads", &["README.md"]),
            ("phase4-libc", &["README.md", "notes.txt"]),
        ] {
            let d = root.join("phases").join(dir);
            std::fs::create_dir_all(&d).unwrap();
            for f in files {
                std::fs::write(d.join(f), "").unwrap();
            }
        }
        std::fs::create_dir_all(root.join("phases/not-a-phase")).unwrap();
        Repo::find_from(root).unwrap()
    }

    #[test]
    fn parses_directory_names() {
        assert_eq!(parse_dir_name("phase3-threads"), Some(3));
        assert_eq!(parse_dir_name("phase12"), Some(12));
        assert_eq!(parse_dir_name("phase0-x"), None);
        assert_eq!(parse_dir_name("phase-x"), None);
        assert_eq!(parse_dir_name("phase3x"), None);
        assert_eq!(parse_dir_name("README.md"), None);
    }

    #[test]
    fn selects_phases() {
        let tmp = TempDir::new("phases");
        let repo = fake_repo(&tmp);
        let numbers = |n| {
            select(&repo, n)
                .unwrap()
                .iter()
                .map(|p| p.number)
                .collect::<Vec<_>>()
        };
        assert_eq!(numbers(0), [0]);
        assert_eq!(numbers(1), [0, 1]);
        assert_eq!(numbers(2), [0, 1, 2]);
        assert_eq!(
            select(&repo, 0).unwrap()[0].dir,
            repo.root().join("kernel/user")
        );
        assert_eq!(landed_numbers(&repo).unwrap(), [0, 1, 2]);
    }

    #[test]
    fn explains_missing_phases() {
        let tmp = TempDir::new("phases-missing");
        let repo = fake_repo(&tmp);
        let err = |n| {
            let e = select(&repo, n).unwrap_err();
            assert!(e.downcast_ref::<Unavailable>().is_some());
            e.to_string()
        };
        assert_eq!(
            err(3),
            "phase 3 has not landed yet (phases/phase3-threads holds only its README)"
        );
        assert_eq!(
            err(4),
            "phase 4 has not landed yet (phases/phase4-libc has no tests.toml)"
        );
        assert!(err(7).starts_with("there is no phase 7"));
    }

    #[test]
    fn target_dirs() {
        let tmp = TempDir::new("phases-target");
        let repo = fake_repo(&tmp);
        let phases = select(&repo, 2).unwrap();
        assert_eq!(
            phases[0].programs_target_dir(&repo),
            repo.root().join("target/user")
        );
        assert_eq!(
            phases[2].programs_target_dir(&repo),
            repo.root().join("target/phase2-user")
        );
    }
}
