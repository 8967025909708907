//! Packages from crates.io, unchanged, at a fixed version: cargo downloads
//! one (a throwaway project that depends on exactly that version, `cargo
//! metadata` to find where the package landed) and the runner copies it
//! under `target/`. Their sources are never committed: the runner fetches
//! them at build time (`runner crates`' suites, phase 4's ports of real C
//! software).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::building::toolchain;
use crate::progress::Progress;

// ANCHOR: fetch
/// Copies crate `name`, version `version` exactly, from crates.io into
/// `dest` (unless `dest` already holds its manifest); returns `dest`.
/// `work` is a directory of the runner's for the throwaway project.
pub fn fetch(ctx: &Ctx, name: &str, version: &str, work: &Path, dest: &Path) -> Result<PathBuf> {
    fetch_package(ctx, name, version, Kind::Library, work, dest)
}

/// What a fetched package is to the throwaway project that depends on it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Library,
    /// A package with binaries only: cargo ignores it as a plain
    /// dependency, so the probe asks for its binary as an artifact
    /// dependency (`artifact = "bin"`, nightly's `-Zbindeps`).
    Binary,
}

/// [`fetch`] of a package of either [`Kind`].
pub fn fetch_package(
    ctx: &Ctx,
    name: &str,
    version: &str,
    kind: Kind,
    work: &Path,
    dest: &Path,
) -> Result<PathBuf> {
    if dest.join("Cargo.toml").is_file() {
        return Ok(dest.to_path_buf());
    }
    let id = format!("{name}-{version}");
    let probe = work.join(&id);
    fs::create_dir_all(probe.join("src"))?;
    fs::write(probe.join("src/lib.rs"), "")?;
    let dep = match kind {
        Kind::Library => format!("\"={version}\""),
        Kind::Binary => format!("{{ version = \"={version}\", artifact = \"bin\" }}"),
    };
    fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[workspace]\n\n[dependencies]\n{name} = {dep}\n"
        ),
    )?;
    let progress = Progress::start(format!("downloading {id} from crates.io"));
    let mut cmd: Command = toolchain::tool(&ctx.sh, "cargo").into();
    cmd.current_dir(&probe)
        .args(if kind == Kind::Binary {
            &["-Zbindeps"][..]
        } else {
            &[]
        })
        .args(["metadata", "--format-version", "1"])
        .stderr(Stdio::piped());
    let out = cmd.output().context("cannot run cargo metadata")?;
    if !out.status.success() {
        progress.fail();
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        bail!("cargo cannot download {id} (output above)");
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let manifest = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == name && p["version"] == version)
        .and_then(|p| p["manifest_path"].as_str())
        .with_context(|| format!("cargo metadata does not list {id}"))?;
    let from = Path::new(manifest)
        .parent()
        .expect("a manifest has a directory");
    crate::building::initramfs::copy_tree_except(from, dest, &["target"])?;
    progress.done();
    Ok(dest.to_path_buf())
}
// ANCHOR_END: fetch
