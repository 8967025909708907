//! The crate port: crates from crates.io that call the C library (`libc`,
//! `nix`, …), given to vibix as the Linux crates they are.
//!
//! vibix speaks Linux's x86_64 system-call ABI and `vibix_libc` has glibc's
//! x86_64 types, so for these crates vibix *is* `x86_64-linux-gnu`. The
//! port says so mechanically: the runner copies each listed package
//! unchanged from crates.io into `target/crate-port/<name>-<version>/`
//! and rewrites, in every `.rs` file and in `Cargo.toml`,
//!
//! ```text
//! target_os = "linux"  →  any(target_os = "linux", target_os = "vibix")
//! target_env = "gnu"   →  any(target_env = "gnu", target_os = "vibix")
//! ```
//!
//! (in `#[cfg]`, `cfg!`, `cfg_if!`, `cfg_aliases!` in build scripts, and
//! `[target.'cfg(…)']` tables alike). A crate that needs more says so
//! with anchored edits in the list, in the std port's format
//! (`[[crate.file]]`, see `phases/phase1-println/std-port/port.toml`).
//!
//! The list is a phase's `crate-port/ports.toml`. The ported copies reach
//! builds two ways: std's own `libc` through the std port's `[patch]` of
//! `library/Cargo.toml`, and a user's project through a `[patch.crates-io]`
//! the runner passes to cargo on its command line ([`patch_args`]).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::Ctx;
use crate::building::crates_io;
use crate::building::std_port::{self, FileSpec};
use crate::phase::Phase;
use crate::progress::Progress;

/// A phase's `crate-port/ports.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PortsToml {
    #[serde(rename = "crate")]
    crates: Vec<CrateSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CrateSpec {
    pub(crate) name: String,
    /// The crates.io version, exactly.
    pub(crate) version: String,
    /// Why the crate is ported (for the reader of the list).
    #[allow(dead_code)]
    why: String,
    /// Edits beyond the mechanical rewrite, applied after it.
    #[serde(default, rename = "file")]
    files: Vec<FileSpec>,
}

/// A ported crate, ready for builds.
#[derive(Debug, Clone)]
pub struct Ported {
    pub name: String,
    pub version: String,
    /// `target/crate-port/<name>-<version>/`.
    pub dir: PathBuf,
    /// Changes whenever the copy's content would.
    pub stamp: String,
}

/// `crate-port/` of `phase`.
pub fn port_dir(phase: &Phase) -> PathBuf {
    phase.dir.join("crate-port")
}

// ANCHOR: rewrite
/// The mechanical part of the port: each `key = "value"` configuration
/// predicate becomes "that, or vibix".
const REWRITES: &[(&str, &str)] = &[("target_os", "linux"), ("target_env", "gnu")];

/// `text` with every predicate of [`REWRITES`] widened to vibix, and how
/// many it widened.
pub fn widen_cfgs(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + 256);
    let mut count = 0;
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for (key, value) in REWRITES {
            if let Some((len, quote)) = predicate_len(rest, key, value)
                && !ident_char_before(&out)
            {
                out.push_str(&format!(
                    "any({}, target_os = {quote}vibix{quote})",
                    &rest[..len]
                ));
                rest = &rest[len..];
                count += 1;
                continue 'scan;
            }
        }
        let ch = rest.chars().next().expect("not empty");
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    (out, count)
}
// ANCHOR_END: rewrite

/// The length of `key = "value"` (any spaces around `=`) at the start of
/// `text`, if it is there, and its quote: `"`, or `\"` inside a TOML
/// string (`[target."cfg(target_os = \"linux\")".dependencies]`).
fn predicate_len(text: &str, key: &str, value: &str) -> Option<(usize, &'static str)> {
    let after_key = text.strip_prefix(key)?;
    let after_spaces = after_key.trim_start_matches(' ');
    let after_eq = after_spaces.strip_prefix('=')?.trim_start_matches(' ');
    ["\"", "\\\""].into_iter().find_map(|quote| {
        let after_value = after_eq
            .strip_prefix(quote)?
            .strip_prefix(value)?
            .strip_prefix(quote)?;
        Some((text.len() - after_value.len(), quote))
    })
}

/// Whether the text so far ends inside an identifier (`my_target_os`).
fn ident_char_before(out: &str) -> bool {
    out.chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Reads the crate lists of `phases`, in phase order.
fn load(ctx: &Ctx, phases: &[Phase]) -> Result<Vec<CrateSpec>> {
    let mut all: Vec<CrateSpec> = Vec::new();
    for phase in phases {
        let path = port_dir(phase).join("ports.toml");
        if !path.is_file() {
            continue;
        }
        let shown = ctx.repo.rel(&path).display().to_string();
        let text = fs::read_to_string(&path).with_context(|| format!("cannot read {shown}"))?;
        let list: PortsToml =
            toml::from_str(&text).with_context(|| format!("{shown} is not a valid crate list"))?;
        for spec in list.crates {
            if all.iter().any(|c| c.name == spec.name) {
                bail!("{shown}: crate `{}` is ported twice", spec.name);
            }
            all.push(spec);
        }
    }
    Ok(all)
}

/// Version of the copying rules: bump it when [`widen_cfgs`] changes.
const COPY_VERSION: &str = "vibix crate-port copy 2\n";

/// Makes every crate the phases port ready under `target/crate-port/`
/// (copied and rewritten only when its stamp changed).
pub fn prepare(ctx: &Ctx, phases: &[Phase]) -> Result<Vec<Ported>> {
    let mut ported = Vec::new();
    let root = ctx.repo.target_dir().join("crate-port");
    for spec in load(ctx, phases)? {
        ported.push(prepare_copy(ctx, &spec, crates_io::Kind::Library, &root)?);
    }
    Ok(ported)
}

/// The ported copy of `spec` under `root` (`<root>/<name>-<version>/`),
/// copied and rewritten only when its stamp changed.
pub(crate) fn prepare_copy(
    ctx: &Ctx,
    spec: &CrateSpec,
    kind: crates_io::Kind,
    root: &Path,
) -> Result<Ported> {
    let id = format!("{}-{}", spec.name, spec.version);
    let dir = root.join(&id);
    let stamp_path = root.join(format!("{id}.stamp"));
    let mut h = Sha256::new();
    h.update(COPY_VERSION);
    h.update(format!("{spec:?}"));
    let stamp = format!("{:x}\n", h.finalize());
    let ported = Ported {
        name: spec.name.clone(),
        version: spec.version.clone(),
        dir: dir.clone(),
        stamp: stamp.clone(),
    };
    if dir.join("Cargo.toml").is_file() && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp)
    {
        return Ok(ported);
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    crates_io::fetch_package(
        ctx,
        &spec.name,
        &spec.version,
        kind,
        &root.join("fetch"),
        &dir,
    )?;
    let progress = Progress::start(format!("porting {id} to vibix (as Linux)"));
    let widened = widen_tree(&dir)?;
    for file in &spec.files {
        let path = dir.join(&file.path);
        let text = fs::read_to_string(&path)
            .with_context(|| format!("{id}: cannot read {}", file.path))?;
        let edited = std_port::apply_edits(&text, &file.edits)
            .map_err(|e| anyhow::anyhow!("{id}: {}: {e}", file.path))?;
        fs::write(&path, edited)?;
    }
    fs::write(&stamp_path, &stamp)?;
    progress.done_with(&format!("{widened} predicates widened"));
    Ok(ported)
}

/// Widens every `.rs` file and `Cargo.toml` under `dir`; returns the count.
fn widen_tree(dir: &Path) -> Result<usize> {
    let mut total = 0;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || !(name.ends_with(".rs") || name == "Cargo.toml") {
            continue;
        }
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        let (widened, n) = widen_cfgs(&text);
        if n > 0 {
            fs::write(entry.path(), widened)?;
            total += n;
        }
    }
    Ok(total)
}

/// The `--config` arguments that give a cargo build of `manifest` the
/// ported crates in place of crates.io's: those its lock file names (all
/// of them if it has none yet). A patch the build does not use would only
/// make cargo warn, look at the registry, and note it in the lock file.
pub fn patch_args(ported: &[Ported], manifest: Option<&Path>) -> Vec<String> {
    let lock = manifest
        .and_then(|m| m.parent())
        .and_then(|dir| fs::read_to_string(dir.join("Cargo.lock")).ok());
    ported
        .iter()
        .filter(|p| {
            lock.as_ref()
                .is_none_or(|l| l.contains(&format!("name = \"{}\"\n", p.name)))
        })
        .map(|p| {
            format!(
                "--config=patch.crates-io.{}.path={:?}",
                p.name,
                p.dir.display().to_string()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widens_linux_and_gnu_predicates() {
        let (out, n) = widen_cfgs(
            "#[cfg(all(target_os = \"linux\", target_env=\"gnu\"))]\n\
             #[cfg(not(target_os = \"linuxx\"))] my_target_os = \"linux\"",
        );
        assert_eq!(
            out,
            "#[cfg(all(any(target_os = \"linux\", target_os = \"vibix\"), \
             any(target_env=\"gnu\", target_os = \"vibix\")))]\n\
             #[cfg(not(target_os = \"linuxx\"))] my_target_os = \"linux\""
        );
        assert_eq!(n, 2);
    }

    #[test]
    fn widens_escaped_predicates_in_toml_strings() {
        let (out, n) = widen_cfgs(
            r#"[target."cfg(any(target_os = \"android\", target_os = \"linux\"))".dependencies.walkdir]"#,
        );
        assert_eq!(
            out,
            r#"[target."cfg(any(target_os = \"android\", any(target_os = \"linux\", target_os = \"vibix\")))".dependencies.walkdir]"#
        );
        assert_eq!(n, 1);
    }

    #[test]
    fn leaves_other_systems_alone() {
        let text = "#[cfg(target_os = \"android\")] cfg!(target_env = \"musl\")";
        assert_eq!(widen_cfgs(text), (text.to_string(), 0));
    }

    #[test]
    fn patch_args_name_the_copies() {
        let p = Ported {
            name: "libc".into(),
            version: "0.2.185".into(),
            dir: PathBuf::from("/r/target/crate-port/libc-0.2.185"),
            stamp: String::new(),
        };
        assert_eq!(
            patch_args(std::slice::from_ref(&p), None),
            ["--config=patch.crates-io.libc.path=\"/r/target/crate-port/libc-0.2.185\""]
        );
        // A project whose lock has no `libc` gets no patch for it.
        let dir = crate::testutil::TempDir::new("patch-args");
        std::fs::write(
            dir.path().join("Cargo.lock"),
            "[[package]]\nname = \"libcx\"\n",
        )
        .unwrap();
        let manifest = dir.path().join("Cargo.toml");
        assert!(patch_args(std::slice::from_ref(&p), Some(&manifest)).is_empty());
        std::fs::write(
            dir.path().join("Cargo.lock"),
            "[[package]]\nname = \"libc\"\n",
        )
        .unwrap();
        assert_eq!(patch_args(&[p], Some(&manifest)).len(), 1);
    }
}
