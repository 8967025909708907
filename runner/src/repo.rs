//! Where things are: the repository root and the paths the runner reads and
//! writes under it.
//!
//! The root is found by walking up from the current directory to the first
//! directory that holds both `rust-toolchain.toml` and `kernel/`, so that
//! `cargo runner` and an installed `runner` work from anywhere in the clone.
//! Outside the clone (cargo runs its target runner in the user's project),
//! it is the clone the runner was built from, if that is still there.
//! Everything the runner produces goes under `<root>/target/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The vibix checkout the runner works on.
#[derive(Debug, Clone)]
pub struct Repo {
    root: PathBuf,
}

impl Repo {
    /// Finds the repository that contains the current directory.
    pub fn discover() -> Result<Repo> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        Repo::find_from(&cwd).or_else(|e| {
            let built_from = Path::new(env!("CARGO_MANIFEST_DIR"));
            Repo::find_from(built_from).map_err(|_| e)
        })
    }

    /// Finds the repository that contains `start` (or is `start`).
    pub fn find_from(start: &Path) -> Result<Repo> {
        for dir in start.ancestors() {
            if is_root(dir) {
                return Ok(Repo {
                    root: dir.to_path_buf(),
                });
            }
        }
        bail!(
            "not inside the vibix repository: neither {} nor any of its parents holds both \
             `rust-toolchain.toml` and `kernel/`; cd into your clone and run the command again",
            start.display()
        )
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `kernel/`, the kernel's own cargo package.
    pub fn kernel_dir(&self) -> PathBuf {
        self.root.join("kernel")
    }

    /// `phases/`, one directory per std-port phase (1 to 5).
    pub fn phases_dir(&self) -> PathBuf {
        self.root.join("phases")
    }

    /// `target/`, where everything the runner makes goes.
    pub fn target_dir(&self) -> PathBuf {
        self.root.join("target")
    }

    /// Cargo's target dir for phase `phase`'s kernel: `target/kernel/phase<N>`.
    /// One per phase: cargo writes a package's binary to the same path
    /// whatever its features, so with one dir a boot could pick up another
    /// phase's kernel built meanwhile (two runner commands at once).
    pub fn kernel_target_dir(&self, phase: u32) -> PathBuf {
        self.target_dir()
            .join("kernel")
            .join(format!("phase{phase}"))
    }

    /// The kernel ELF that `cargo build --release` in `kernel/` produces
    /// for `phase`.
    pub fn kernel_elf(&self, phase: u32) -> PathBuf {
        self.kernel_target_dir(phase)
            .join("x86_64-unknown-none")
            .join("release")
            .join("vibix-kernel")
    }

    /// Per-phase scratch: `target/phase<N>/` holds `rootfs/` and `initramfs.cpio`.
    pub fn phase_work_dir(&self, phase: u32) -> PathBuf {
        self.target_dir().join(format!("phase{phase}"))
    }

    /// Logs of one boot: `target/runs/phase<N>/<name>/`.
    pub fn run_dir(&self, phase: u32, name: &str) -> PathBuf {
        self.target_dir()
            .join("runs")
            .join(format!("phase{phase}"))
            .join(name)
    }

    /// `path` relative to the root, for messages (`kernel/user/tests.toml`).
    pub fn rel<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

fn is_root(dir: &Path) -> bool {
    dir.join("rust-toolchain.toml").is_file() && dir.join("kernel").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn finds_root_from_a_subdirectory() {
        let tmp = TempDir::new("repo");
        let root = tmp.path().join("clone");
        std::fs::create_dir_all(root.join("kernel/user/src")).unwrap();
        std::fs::write(root.join("rust-toolchain.toml"), "").unwrap();
        let repo = Repo::find_from(&root.join("kernel/user/src")).unwrap();
        assert_eq!(repo.root(), root);
        assert_eq!(
            repo.kernel_elf(1),
            root.join("target/kernel/phase1/x86_64-unknown-none/release/vibix-kernel")
        );
        assert_eq!(
            repo.run_dir(0, "hello"),
            root.join("target/runs/phase0/hello")
        );
    }

    #[test]
    fn needs_both_markers() {
        let tmp = TempDir::new("repo-no");
        let root = tmp.path().join("notvibix");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("rust-toolchain.toml"), "").unwrap();
        let err = Repo::find_from(&root.join("src")).unwrap_err().to_string();
        assert!(err.contains("not inside the vibix repository"), "{err}");
    }
}
