//! The pinned Rust toolchain: checking it has what vibix needs, installing it
//! if not, and running cargo/rustup under it.
//!
//! `rust-toolchain.toml` names the toolchain, its components and targets.
//! The kernel and the programs need the `x86_64-unknown-none` target and
//! `rust-src`; if either is missing, `rustup toolchain install` (no
//! arguments) installs everything the file lists.
//!
//! Nested cargo runs get an environment without the overrides that would beat
//! what each package's own manifest sets (its target with `forced-target`,
//! its flags in `[profile.*] rustflags`) or the toolchain file
//! (`RUSTUP_TOOLCHAIN`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Cmd, Shell};

use crate::repo::Repo;
use crate::step;

/// Environment variables that would override what the kernel's and the
/// programs' manifests (`forced-target`, profile `rustflags`) or
/// `rust-toolchain.toml` say.
const OVERRIDES: &[&str] = &[
    "RUSTUP_TOOLCHAIN",
    "RUSTUP_TOOLCHAIN_SOURCE",
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_BUILD_TARGET",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
];

/// `program` (cargo, rustc, rustup) with those overrides removed.
pub fn tool<'a>(sh: &'a Shell, program: &str) -> Cmd<'a> {
    let mut cmd = sh.cmd(program).quiet();
    for var in OVERRIDES {
        cmd = cmd.env_remove(var);
    }
    cmd
}

/// Overrides set in this environment that nested builds ignore, for a note.
pub fn ignored_overrides() -> Vec<&'static str> {
    OVERRIDES
        .iter()
        .copied()
        .filter(|v| !v.starts_with("RUSTUP_") && std::env::var_os(v).is_some())
        .collect()
}

/// The pinned toolchain's sysroot.
pub struct Sysroot {
    path: PathBuf,
}

impl Sysroot {
    pub fn has_miri(&self) -> bool {
        self.path.join("bin").join("cargo-miri").is_file()
    }
}

/// What a sysroot lacks of what vibix needs.
pub fn missing_parts(sysroot: &Path) -> Vec<&'static str> {
    let rustlib = sysroot.join("lib").join("rustlib");
    let mut missing = Vec::new();
    if !rustlib.join("x86_64-unknown-none").is_dir() {
        missing.push("the x86_64-unknown-none target");
    }
    if !rustlib.join("src").join("rust").join("library").is_dir() {
        missing.push("rust-src");
    }
    missing
}

/// Makes sure the pinned toolchain is installed with the target and
/// rust-src, installing it if needed.
pub fn ensure(sh: &Shell, repo: &Repo, verbose: bool) -> Result<Sysroot> {
    let _dir = sh.push_dir(repo.root());
    let first = sysroot(sh);
    let why = match &first {
        Ok(path) => {
            let missing = missing_parts(path);
            if missing.is_empty() {
                return Ok(Sysroot { path: path.clone() });
            }
            format!("missing {}", missing.join(" and "))
        }
        Err(e) => format!("{e:#}"),
    };
    if tool(sh, "rustup")
        .arg("--version")
        .ignore_stderr()
        .read()
        .is_err()
    {
        bail!(
            "the pinned toolchain is not usable ({why}), and rustup is not installed to fix it: \
             install rustup, then run `rustup toolchain install` in {}",
            repo.root().display()
        );
    }
    let label = format!("installing the pinned toolchain with `rustup toolchain install` ({why})");
    step::run(
        tool(sh, "rustup").args(["toolchain", "install"]),
        &label,
        verbose,
    )
    .with_context(|| {
        format!(
            "run `rustup toolchain install` yourself in {} to see why",
            repo.root().display()
        )
    })?;
    let path = sysroot(sh)?;
    let missing = missing_parts(&path);
    if !missing.is_empty() {
        bail!(
            "the toolchain at {} still lacks {} after `rustup toolchain install`; add them with \
             `rustup target add x86_64-unknown-none` and `rustup component add rust-src`",
            path.display(),
            missing.join(" and ")
        );
    }
    Ok(Sysroot { path })
}

/// `rustc --print sysroot`, run in the current shell dir.
pub fn sysroot(sh: &Shell) -> Result<PathBuf> {
    let out = tool(sh, "rustc")
        .args(["--print", "sysroot"])
        .ignore_status()
        .output()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        bail!("`rustc --print sysroot` failed: {}", err.trim());
    }
    let text = String::from_utf8(out.stdout).context("the sysroot path is not UTF-8")?;
    Ok(PathBuf::from(text.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn finds_missing_parts() {
        let tmp = TempDir::new("sysroot");
        let root = tmp.path();
        assert_eq!(
            missing_parts(root),
            ["the x86_64-unknown-none target", "rust-src"]
        );
        std::fs::create_dir_all(root.join("lib/rustlib/x86_64-unknown-none")).unwrap();
        assert_eq!(missing_parts(root), ["rust-src"]);
        std::fs::create_dir_all(root.join("lib/rustlib/src/rust/library")).unwrap();
        assert!(missing_parts(root).is_empty());
    }
}
