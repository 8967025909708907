//! The pinned mdBook tools, installed into the repository's `target/tools/`
//! (or `$VIBIX_TOOLS_DIR`) with `cargo install --locked` the first time a
//! book command needs them.
//!
//! - mdBook 0.5.4 builds and serves the book;
//! - mdbook-linkcheck2 0.13.0 checks its links. The original
//!   mdbook-linkcheck (0.7.7, its last release) cannot read mdBook 0.5's
//!   render context, so it would pin mdBook to 0.4; linkcheck2 is the
//!   maintained fork mdBook's documentation points to, built on mdBook 0.5.
//!
//! skeptic, the third tool, is a library: `runner/book-tests` depends on an
//! exact version and `Cargo.lock` pins the rest. Why these versions is
//! explained in the book's contributing page; change them there too.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::repo::Repo;
use crate::{Ctx, building::toolchain, step};

/// A tool installed with `cargo install`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tool {
    pub krate: &'static str,
    pub version: &'static str,
    pub bin: &'static str,
}

pub const MDBOOK: Tool = Tool {
    krate: "mdbook",
    version: "0.5.4",
    bin: "mdbook",
};

pub const LINKCHECK: Tool = Tool {
    krate: "mdbook-linkcheck2",
    version: "0.13.0",
    bin: "mdbook-linkcheck2",
};

/// Every tool the book commands need.
pub const TOOLS: [Tool; 2] = [MDBOOK, LINKCHECK];

/// Where the tools go instead of `target/tools`, if set: a directory that
/// outlives the clone (CI's fresh clones then install them only once).
pub const ROOT_VAR: &str = "VIBIX_TOOLS_DIR";

/// The `--root` of the installs: `$VIBIX_TOOLS_DIR`, or `target/tools`.
pub fn root(repo: &Repo) -> PathBuf {
    match std::env::var_os(ROOT_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => repo.target_dir().join("tools"),
    }
}

/// `target/tools/bin`.
pub fn bin_dir(repo: &Repo) -> PathBuf {
    root(repo).join("bin")
}

/// The version a `--version` line reports: its last word, without a `v`.
pub fn reported_version(line: &str) -> Option<&str> {
    let word = line.split_whitespace().last()?;
    Some(word.strip_prefix('v').unwrap_or(word))
}

/// The installed version of `tool` under `bin`, if any.
fn installed_version(bin: &Path, tool: Tool) -> Option<String> {
    let out = std::process::Command::new(bin.join(tool.bin))
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    reported_version(text.lines().next()?).map(str::to_owned)
}

/// The tools missing from `bin` or at another version (with a note for
/// the latter).
pub fn missing(repo: &Repo) -> Vec<Tool> {
    let bin = bin_dir(repo);
    let mut out = Vec::new();
    for tool in TOOLS {
        match installed_version(&bin, tool) {
            Some(v) if v == tool.version => continue,
            Some(v) => eprintln!(
                "note: {}/{} is version {v}; the book is pinned to {}",
                repo.rel(&bin).display(),
                tool.bin,
                tool.version
            ),
            None => {}
        }
        out.push(tool);
    }
    out
}

/// Installs whatever tool is missing or at another version; returns the
/// directory that holds them.
pub fn ensure(ctx: &Ctx) -> Result<PathBuf> {
    for tool in missing(&ctx.repo) {
        install(ctx, tool)?;
    }
    Ok(bin_dir(&ctx.repo))
}

/// `cargo install --locked` of `tool`, run at the repository root. The
/// installs share one build directory, so the crates mdBook and
/// mdbook-linkcheck2 both use are compiled once, and they are built
/// without optimisation (`--debug`): that takes half the time (about 4
/// minutes on two cores, against 8), and the book still builds and checks
/// in seconds (5 s against 2).
pub fn install_command<'a>(ctx: &'a Ctx, tool: Tool) -> xshell::Cmd<'a> {
    let root = root(&ctx.repo);
    toolchain::tool(&ctx.sh, "cargo")
        .args(["install", "--locked", "--debug", "--root"])
        .arg(&root)
        .arg("--target-dir")
        .arg(root.join("build"))
        .arg(format!("{}@{}", tool.krate, tool.version))
}

/// `installing mdbook 0.5.4 into target/tools (once; a few minutes)`.
pub fn install_label(repo: &Repo, tool: Tool) -> String {
    format!(
        "installing {} {} into {} (once; a few minutes)",
        tool.krate,
        tool.version,
        repo.rel(&root(repo)).display()
    )
}

fn install(ctx: &Ctx, tool: Tool) -> Result<()> {
    let root = root(&ctx.repo);
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    let spec = format!("{}@{}", tool.krate, tool.version);
    let cmd = install_command(ctx, tool);
    step::run(cmd, &install_label(&ctx.repo, tool), ctx.verbose).with_context(|| {
        format!(
            "cannot install {spec}: crates.io must be reachable; or install it yourself with \
             `cargo install --locked --root {} {spec}`",
            ctx.repo.rel(&root).display()
        )
    })?;
    eprintln!(
        "note: {bin} is in {dir}/; with the tools there, `{dir}/mdbook serve` at the \
         repository root serves the book without the runner",
        bin = tool.bin,
        dir = ctx.repo.rel(&root.join("bin")).display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_version_lines() {
        assert_eq!(reported_version("mdbook v0.5.4"), Some("0.5.4"));
        assert_eq!(reported_version("mdbook-linkcheck2 0.13.0"), Some("0.13.0"));
        assert_eq!(reported_version(""), None);
    }

    #[test]
    fn the_contributing_page_names_the_pinned_versions() {
        let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/reference/contributing.md");
        let text = std::fs::read_to_string(&page).unwrap();
        for tool in TOOLS {
            let named = format!("{} {}", tool.krate, tool.version);
            assert!(
                text.contains(&named),
                "{} does not say `{named}`",
                page.display()
            );
        }
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("book-tests/Cargo.toml");
        let manifest = std::fs::read_to_string(manifest).unwrap();
        let skeptic = manifest
            .lines()
            .find_map(|l| l.strip_prefix("skeptic = \"="))
            .and_then(|v| v.strip_suffix('"'))
            .expect("book-tests pins skeptic with `skeptic = \"=X.Y.Z\"`");
        assert!(text.contains(&format!("skeptic {skeptic}")));
    }
}
