//! Packages from crates.io, unchanged: cargo downloads one exact version
//! into its own registry cache and the runner reads it there.
//!
//! The download goes through a throwaway project that depends on exactly
//! that version (`target/crates/fetch/<name>-<version>/`), so it uses
//! cargo's own registry access, proxies and cache; nothing of the package
//! is committed to this repository.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::building::toolchain;
use crate::progress::Progress;

// ANCHOR: download
/// The directory of `name` `version` as crates.io has it (in cargo's
/// registry cache: read it, never write it).
pub fn download(ctx: &Ctx, name: &str, version: &str) -> Result<PathBuf> {
    let id = format!("{name}-{version}");
    let probe = ctx.repo.target_dir().join("crates").join("fetch").join(&id);
    fs::create_dir_all(probe.join("src"))?;
    fs::write(probe.join("src/lib.rs"), "")?;
    fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[workspace]\n\n[dependencies]\n{name} = \"={version}\"\n"
        ),
    )?;
    let progress = Progress::start(format!("looking up {id} on crates.io"));
    let mut cmd: Command = toolchain::tool(&ctx.sh, "cargo").into();
    cmd.current_dir(&probe)
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
    progress.done();
    Ok(Path::new(manifest)
        .parent()
        .expect("a manifest has a directory")
        .to_path_buf())
}
// ANCHOR_END: download
