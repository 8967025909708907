//! Building the book's phase-0 blocks: the generated crate of `program.rs`
//! is written under `target/book-blocks/phase0/` (files rewritten only when
//! they change, so cargo's rebuilds stay incremental) and built like
//! `kernel/user`, for `x86_64-unknown-none`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use super::blocks::Runnable;
use super::program;
use crate::phase;
use crate::{Ctx, building::kbuild, building::toolchain, step};

/// The programs built from a phase's blocks, by binary name
/// (`program::block_bin`).
pub struct BuiltBlocks {
    pub programs: BTreeMap<String, PathBuf>,
    /// The same programs built to run on the Linux host (phase 0's run on
    /// both as they are).
    pub host: BTreeMap<String, PathBuf>,
}

/// `target/book-blocks/`, where the generated crates and their builds live.
pub fn work_dir(ctx: &Ctx) -> PathBuf {
    ctx.repo.target_dir().join("book-blocks")
}

/// Writes and builds the crate of `blocks` (all of phase 0).
pub fn build(ctx: &Ctx, blocks: &[&Runnable]) -> Result<BuiltBlocks> {
    let user = phase::phase_zero(&ctx.repo);
    let user_manifest = user.cargo_toml();
    let text = std::fs::read_to_string(&user_manifest)
        .with_context(|| format!("cannot read {}", ctx.repo.rel(&user_manifest).display()))?;
    let user_toml: toml::Table = toml::from_str(&text).with_context(|| {
        format!(
            "{} is not valid TOML",
            ctx.repo.rel(&user_manifest).display()
        )
    })?;

    let dir = work_dir(ctx).join("phase0");
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut bins = Vec::new();
    for block in blocks {
        let single = format!("src/bin/{}.rs", block.name);
        files.insert(single.clone().into(), block.code.clone());
        bins.push((program::block_bin(&block.name), single));
    }
    let manifest = program::manifest(&user_toml, &user.dir, 0, &bins)?;
    files.insert("Cargo.toml".into(), manifest);
    write_tree(&dir, &files)?;

    let map = block_map(ctx, blocks, &dir);
    let _cd = ctx.sh.push_dir(&dir);
    let cmd = toolchain::tool(&ctx.sh, "cargo")
        .args([
            "build",
            "--release",
            "--message-format=json-render-diagnostics",
        ])
        .env("CARGO_TARGET_DIR", work_dir(ctx).join("target"));
    let label = format!("building the book's phase-0 blocks ({})", blocks.len());
    let out = step::run(cmd, &label, ctx.verbose).with_context(|| map.clone())?;
    let programs: BTreeMap<String, PathBuf> = kbuild::parse_artifacts(&out.stdout)
        .into_iter()
        .map(|a| (a.name, a.path))
        .collect();
    for block in blocks {
        let bin = program::block_bin(&block.name);
        if !programs.contains_key(&bin) {
            bail!("cargo did not report building {bin}; {map}");
        }
    }
    Ok(BuiltBlocks {
        host: programs.clone(),
        programs,
    })
}

/// Which generated file is which block, for compiler errors.
pub(super) fn block_map(ctx: &Ctx, blocks: &[&Runnable], dir: &Path) -> String {
    let mut s = format!(
        "the generated crate {} holds the book's blocks:",
        ctx.repo.rel(dir).display()
    );
    for b in blocks {
        let _ = write!(
            s,
            "\n  src/bin/{0}.rs is the block at {1}",
            b.name,
            b.location()
        );
    }
    s
}

/// Makes `dir` hold exactly `files` (relative paths), rewriting only what
/// changed.
pub(super) fn write_tree(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<()> {
    for (rel, content) in files {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let wanted: BTreeSet<PathBuf> = files.keys().map(|rel| dir.join(rel)).collect();
    let src = dir.join("src");
    if src.is_dir() {
        for entry in WalkDir::new(&src) {
            let entry = entry?;
            if entry.file_type().is_file() && !wanted.contains(entry.path()) {
                std::fs::remove_file(entry.path())
                    .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let tmp = TempDir::new("book-tree");
        let dir = tmp.path();
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("Cargo.toml"), "a".to_string());
        files.insert(PathBuf::from("src/bin/x.rs"), "x".to_string());
        write_tree(dir, &files).unwrap();
        let before = std::fs::metadata(dir.join("Cargo.toml"))
            .unwrap()
            .modified()
            .unwrap();
        files.remove(Path::new("src/bin/x.rs"));
        files.insert(PathBuf::from("src/bin/y.rs"), "y".to_string());
        write_tree(dir, &files).unwrap();
        let after = std::fs::metadata(dir.join("Cargo.toml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert!(!dir.join("src/bin/x.rs").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("src/bin/y.rs")).unwrap(),
            "y"
        );
    }
}
