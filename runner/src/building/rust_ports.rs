//! Real Rust programs on vibix: a phase's `rust-ports.toml` lists bin
//! crates from crates.io at a fixed version. Each is copied and ported as
//! the crate port ports a library ([`crate_port::prepare_copy`]: its Linux
//! predicates widened to vibix, plus the list's edits) into
//! `target/rust-ports/<name>-<version>/`, then built twice with the same
//! sources and lock: for vibix (the phase's std, panics unwinding, the
//! ported crates through the `[patch]`) and for the host, the Linux oracle.
//!
//! A package ships its `Cargo.lock`; a crate the port pins at another
//! version (`libc`) is moved to the port's version in the copy's lock
//! (`cargo update --precise`) so that the `[patch]` applies.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::Ctx;
use crate::building::crate_port::{self, CrateSpec, Ported};
use crate::building::std_build::{HOST_TARGET, TARGET};
use crate::building::{crates_io, kbuild, toolchain};
use crate::cmd_cargo::CargoSetup;
use crate::phase::Phase;
use crate::step;

/// `rust-ports.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    #[serde(rename = "program")]
    programs: Vec<CrateSpec>,
}

/// The file name in a phase's directory.
pub const FILE: &str = "rust-ports.toml";

/// The programs `phase` lists (none without the file).
pub fn load(phase: &Phase) -> Result<Vec<CrateSpec>> {
    let path = phase.dir.join(FILE);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let list: List = toml::from_str(&text)
        .with_context(|| format!("{} is not a program list", path.display()))?;
    Ok(list.programs)
}

/// One program, built.
pub struct BuiltPort {
    pub vibix: PathBuf,
    pub host: PathBuf,
}

/// Copies, ports and builds the program `name` of `phases` for vibix and
/// the host.
pub fn build(ctx: &Ctx, setup: &CargoSetup, phases: &[Phase], name: &str) -> Result<BuiltPort> {
    let mut found = None;
    for phase in phases {
        if let Some(spec) = load(phase)?.into_iter().find(|s| s.name == name) {
            found = Some(spec);
        }
    }
    let Some(spec) = found else {
        bail!(
            "no phase up to {} lists a Rust program `{name}` in its {FILE}",
            setup.phase
        );
    };
    let root = ctx.repo.target_dir().join("rust-ports");
    let copy = crate_port::prepare_copy(ctx, &spec, crates_io::Kind::Binary, &root)?;
    let manifest = copy.dir.join("Cargo.toml");
    own_workspace(&manifest)?;
    align_lock(ctx, setup, &copy, &manifest)?;
    let id = format!("{}-{}", spec.name, spec.version);

    let args: Vec<String> = [
        "build",
        "--release",
        "--bin",
        name,
        "--message-format=json-render-diagnostics",
    ]
    .map(String::from)
    .to_vec();
    let shown = format!("cargo build --release --bin {name} (for {TARGET})");
    let label = format!("building {id} for {TARGET} (phase {}'s std)", setup.phase);
    let build_vibix = || -> Result<PathBuf> {
        let cmd = setup.command(ctx, &args, Some(&manifest));
        let out = step::run_command(cmd, &shown, &label, ctx.verbose)?;
        binary(&out.stdout, name)
    };
    let mut vibix = build_vibix()?;
    // Cargo does not see `libc.a` (a `-L` path): a binary older than it
    // is linked again, its crate's source touched.
    if let Some(lib) = &setup.std.c_lib
        && older(&vibix, &lib.join("libc.a"))
    {
        let main = copy.dir.join("src").join("main.rs");
        std::fs::File::options()
            .append(true)
            .open(&main)
            .and_then(|f| f.set_modified(std::time::SystemTime::now()))
            .with_context(|| format!("cannot touch {}", main.display()))?;
        vibix = build_vibix()?;
    }

    let host_cmd = toolchain::tool(&ctx.sh, "cargo")
        .env("RUSTUP_TOOLCHAIN", &setup.std.channel)
        .env("CARGO_TARGET_DIR", root.join("host-target"))
        .args(["build", "--release", "--bin", name, "--target", HOST_TARGET])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--message-format=json-render-diagnostics")
        .args(crate_port::patch_args(&setup.std.ported, Some(&manifest)));
    let label = format!("building {id} for the host ({HOST_TARGET})");
    let out = step::run(host_cmd, &label, ctx.verbose)?;
    let host = binary(&out.stdout, name)?;
    Ok(BuiltPort { vibix, host })
}

/// Gives the copy's manifest a `[workspace]` of its own: it lies under
/// the repository's `target/`, inside the repository's workspace.
fn own_workspace(manifest: &Path) -> Result<()> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        std::fs::write(manifest, format!("{text}\n[workspace]\n"))?;
    }
    Ok(())
}

/// Whether `a` was modified before `b` (false if either is missing).
fn older(a: &Path, b: &Path) -> bool {
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((mtime(a), mtime(b)), (Some(x), Some(y)) if x < y)
}

/// The path of binary `name` in cargo's JSON messages.
fn binary(stdout: &str, name: &str) -> Result<PathBuf> {
    kbuild::parse_artifacts(stdout)
        .into_iter()
        .find(|a| a.name == name)
        .map(|a| a.path)
        .with_context(|| format!("cargo built no binary `{name}`"))
}

/// The `(version, from a registry)` of every package `name` in `lock`.
pub fn locked_versions(lock: &str, name: &str) -> Vec<(String, bool)> {
    let Ok(value) = lock.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(packages) = value.get("package").and_then(|p| p.as_array()) else {
        return Vec::new();
    };
    packages
        .iter()
        .filter(|p| p.get("name").and_then(|n| n.as_str()) == Some(name))
        .filter_map(|p| {
            let version = p.get("version")?.as_str()?.to_owned();
            Some((version, p.get("source").is_some()))
        })
        .collect()
}

/// Moves every ported crate the copy's lock pins at another version of
/// the registry to the port's version.
fn align_lock(ctx: &Ctx, setup: &CargoSetup, copy: &Ported, manifest: &Path) -> Result<()> {
    let lock_path = copy.dir.join("Cargo.lock");
    let Ok(lock) = std::fs::read_to_string(&lock_path) else {
        return Ok(());
    };
    for port in &setup.std.ported {
        for (version, registry) in locked_versions(&lock, &port.name) {
            if !registry || version == port.version {
                continue;
            }
            let cmd = toolchain::tool(&ctx.sh, "cargo")
                .env("RUSTUP_TOOLCHAIN", &setup.std.channel)
                .arg("update")
                .arg("--manifest-path")
                .arg(manifest)
                .arg("-p")
                .arg(format!("{}@{version}", port.name))
                .arg("--precise")
                .arg(&port.version)
                .args(crate_port::patch_args(&setup.std.ported, Some(manifest)));
            let label = format!(
                "locking {} {} (the port's) in place of {version}",
                port.name, port.version
            );
            step::run(cmd, &label, ctx.verbose)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_locked_versions() {
        let lock = "version = 4\n\n[[package]]\nname = \"libc\"\nversion = \"0.2.162\"\n\
                    source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
                    [[package]]\nname = \"nix\"\nversion = \"0.29.0\"\n\n\
                    [[package]]\nname = \"libcx\"\nversion = \"1.0.0\"\n";
        assert_eq!(
            locked_versions(lock, "libc"),
            [("0.2.162".to_owned(), true)]
        );
        assert_eq!(locked_versions(lock, "nix"), [("0.29.0".to_owned(), false)]);
        assert!(locked_versions(lock, "exacl").is_empty());
    }
}
