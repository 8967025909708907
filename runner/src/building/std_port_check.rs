//! `runner std-port check [--rehash]`: after a toolchain bump, which of the
//! std port's anchored edits still apply to the new `rust-src`.
//!
//! Every layer is stacked as a build would stack it ([`Mode::Survey`]), and
//! each `[[file]]` is reported: its edits apply and its hash is right; its
//! edits apply but the toolchain's original changed (the recorded
//! `sha256` is stale); or an anchor is missing or not unique, and the edit
//! must be ported by hand. `--rehash` rewrites the stale hashes in the
//! layers' `port.toml` (nothing else in the text changes), and the layer's
//! `toolchain` to the pinned one once all its edits apply.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::building::std_port::{self, FileProblem, Layer, Mode, layer_tree};
use crate::repo::Repo;
use crate::{Ctx, phase};

/// The command: every layer against the pinned toolchain's `rust-src`.
pub fn run(ctx: &Ctx, rehash: bool) -> Result<ExitCode> {
    let phases = phase::later_phases(&ctx.repo)?;
    let layers = std_port::load_layers(&ctx.repo, &phases)?;
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    let library = std_port::toolchain_library(&ctx.sh)?;
    let pinned = std_port::pinned_channel(&ctx.repo)?;
    let summary = check(&ctx.repo, &layers, &library, &pinned, rehash)?;
    Ok(if summary.clean(rehash) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// What the check found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub ok: usize,
    /// Edits that apply, with a stale (or missing) hash.
    pub stale: usize,
    /// Edits whose anchors no longer apply.
    pub broken: usize,
    /// `port.toml` files rewritten by `--rehash`.
    pub rewritten: usize,
}

impl Summary {
    /// Whether the port builds with the toolchain as it now is.
    pub fn clean(&self, rehashed: bool) -> bool {
        self.broken == 0 && (rehashed || self.stale == 0)
    }
}

/// Checks `layers` against the toolchain's `library/`; prints one line per
/// problem; with `rehash`, rewrites what can be.
pub fn check(
    repo: &Repo,
    layers: &[Layer],
    toolchain_library: &Path,
    pinned: &str,
    rehash: bool,
) -> Result<Summary> {
    let (_, outcomes) = layer_tree(repo, layers, toolchain_library, Mode::Survey)?;
    let mut summary = Summary::default();
    for layer in layers {
        let port_toml = layer.dir.join("port.toml");
        let shown = repo.rel(&port_toml).display().to_string();
        let mut text =
            fs::read_to_string(&port_toml).with_context(|| format!("cannot read {shown}"))?;
        let original = text.clone();
        let mut layer_broken = false;
        for outcome in outcomes.iter().filter(|o| o.phase == layer.phase) {
            match &outcome.problem {
                None => summary.ok += 1,
                Some(FileProblem::Anchor(e)) => {
                    summary.broken += 1;
                    layer_broken = true;
                    println!("{shown}: {}: {e}: port this edit by hand", outcome.path);
                }
                Some(FileProblem::Hash { recorded, actual }) => {
                    summary.stale += 1;
                    let was = recorded.as_deref().unwrap_or("none");
                    if rehash {
                        text = rewrite_sha256(&text, &outcome.path, actual)
                            .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
                        println!(
                            "{shown}: {}: the edits apply; sha256 rewritten ({was} -> {actual})",
                            outcome.path
                        );
                    } else {
                        println!(
                            "{shown}: {}: the edits apply, but the original changed (sha256 \
                             {actual}, recorded {was}): `--rehash` rewrites it",
                            outcome.path
                        );
                    }
                }
            }
        }
        if rehash && !layer_broken && layer.toolchain != pinned {
            text = rewrite_key(&text, "toolchain", pinned)
                .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
            println!("{shown}: toolchain {} -> {pinned}", layer.toolchain);
        } else if layer.toolchain != pinned {
            println!(
                "{shown}: written for {}, rust-toolchain.toml pins {pinned}",
                layer.toolchain
            );
        }
        if text != original {
            fs::write(&port_toml, &text).with_context(|| format!("cannot write {shown}"))?;
            summary.rewritten += 1;
        }
    }
    println!(
        "std port: {} edited files fit, {} with a stale hash{}, {} with an anchor that no longer \
         applies",
        summary.ok,
        summary.stale,
        if rehash { " (rewritten)" } else { "" },
        summary.broken
    );
    Ok(summary)
}

/// The value of a `key = value` line, if `line` is one.
fn key_value(line: &str, key: &str) -> Option<toml::Value> {
    let table: toml::Table = toml::from_str(line.trim()).ok()?;
    table.get(key).cloned()
}

/// `text` (a `port.toml`) with the `sha256` of each `[[file]]` whose `path`
/// is `path` set to `sha256` (added right after `path` if it has none).
pub fn rewrite_sha256(text: &str, path: &str, sha256: &str) -> Result<String, String> {
    // The text in blocks, each starting at a `[…]` header (the first at 0).
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.split_inclusive('\n') {
        if line.trim().starts_with('[') {
            blocks.push(Vec::new());
        }
        blocks.last_mut().expect("one block at least").push(line);
    }
    let new_line = format!("sha256 = \"{sha256}\"\n");
    let mut out = String::new();
    let mut found = false;
    for block in &blocks {
        let is_file = block.first().is_some_and(|l| l.trim() == "[[file]]");
        let is_path = |l: &&str| key_value(l, "path").is_some_and(|v| v.as_str() == Some(path));
        if !is_file || !block.iter().any(is_path) {
            out.extend(block.iter().copied());
            continue;
        }
        found = true;
        let has_hash = block.iter().any(|l| key_value(l, "sha256").is_some());
        for line in block {
            if key_value(line, "sha256").is_some() {
                out.push_str(&new_line);
                continue;
            }
            out.push_str(line);
            if !has_hash && is_path(line) {
                if !line.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&new_line);
            }
        }
    }
    if !found {
        return Err(format!("no [[file]] with path = {path:?}"));
    }
    Ok(out)
}

/// `text` with its top-level `key = "…"` line set to `value`.
fn rewrite_key(text: &str, key: &str, value: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut top = true;
    let mut found = false;
    for line in text.split_inclusive('\n') {
        if line.trim().starts_with('[') {
            top = false;
        }
        if top && key_value(line, key).is_some() {
            out.push_str(&format!("{key} = \"{value}\"\n"));
            found = true;
        } else {
            out.push_str(line);
        }
    }
    if !found {
        return Err(format!("no top-level `{key}`"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::building::std_port::sha256_hex;
    use crate::building::std_port::tests::{Fixture, PAL, pal_edit};

    #[test]
    fn rewrites_a_files_hash_and_nothing_else() {
        let text = "toolchain = \"a\"\n\n[[file]]\npath = \"x.rs\"\nsha256 = \"00\"\n\n\
                    [[file.edit]]\nanchor = \"a\"\nafter = '''\n[[file]]\n'''\n\n\
                    [[file]]\npath = \"y.rs\"\nsha256 = \"00\"\n";
        let out = rewrite_sha256(text, "x.rs", "ff").unwrap();
        assert_eq!(out, text.replacen("sha256 = \"00\"", "sha256 = \"ff\"", 1));
        // A file without a hash gets one after its path.
        let bare = "[[file]]\npath = \"x.rs\"\n\n[[file.edit]]\nanchor = \"a\"\n";
        assert_eq!(
            rewrite_sha256(bare, "x.rs", "ff").unwrap(),
            "[[file]]\npath = \"x.rs\"\nsha256 = \"ff\"\n\n[[file.edit]]\nanchor = \"a\"\n"
        );
        assert!(rewrite_sha256(bare, "z.rs", "ff").is_err());
        assert_eq!(
            rewrite_key(text, "toolchain", "b").unwrap(),
            text.replace("\"a\"\n\n[[file]]", "\"b\"\n\n[[file]]")
        );
    }

    #[test]
    fn reports_broken_anchors_and_rehashes_the_rest() {
        let f = Fixture::new("std-port-check");
        // Written for an older toolchain: the hash is stale, the anchor fits.
        f.layer(1, &pal_edit(Some("00")), &[]);
        let summary = check(&f.repo, &f.layers(), &f.toolchain(), "n", false).unwrap();
        assert_eq!((summary.ok, summary.stale, summary.broken), (0, 1, 0));
        assert!(!summary.clean(false));
        let summary = check(&f.repo, &f.layers(), &f.toolchain(), "new", true).unwrap();
        assert_eq!((summary.stale, summary.rewritten), (1, 1));
        assert!(summary.clean(true));
        let port_toml = f.repo.root().join("phases/phase1-x/std-port/port.toml");
        let text = fs::read_to_string(&port_toml).unwrap();
        assert!(text.contains(&sha256_hex(PAL.as_bytes())), "{text}");
        assert!(text.starts_with("toolchain = \"new\"\n"), "{text}");
        // Now it builds as it is.
        let summary = check(&f.repo, &f.layers(), &f.toolchain(), "new", false).unwrap();
        assert_eq!((summary.ok, summary.stale, summary.broken), (1, 0, 0));
        // The anchor is gone from the new toolchain: reported, not rehashed,
        // and the layer keeps its toolchain.
        f.write("toolchain/std/src/sys/pal/mod.rs", "changed\n");
        let summary = check(&f.repo, &f.layers(), &f.toolchain(), "newer", true).unwrap();
        assert_eq!((summary.ok, summary.stale, summary.broken), (0, 0, 1));
        assert!(!summary.clean(true));
        assert_eq!(fs::read_to_string(&port_toml).unwrap(), text);
    }
}
