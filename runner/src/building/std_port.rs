//! The std port: a copy of the pinned toolchain's `rust-src` with every
//! phase's port layer applied, for `-Zbuild-std`.
//!
//! A layer is a phase's `std-port/` directory (see
//! `phases/phase1-println/std-port/port.toml` for the format): new files
//! under `library/`, crates copied beside std, and anchored edits to files.
//! Phase N's std is phase 1's layer, then phase 2's, … up to N's, each
//! applied onto the result of the ones before ([`layer_tree`]):
//!
//! - an edit (`[[file]]`) may change a file of the toolchain's `rust-src`,
//!   or a `library/` file an earlier layer created; edits of several layers
//!   to one file apply in phase order;
//! - `sha256` is always the hash of the *toolchain's original* file: it is
//!   required on an edit of a `rust-src` file (also when an earlier layer
//!   edited it too: the hash is still the original's) and refused on an
//!   edit of a layer's own file, which is ours and versioned with the
//!   repository;
//! - a layer's `library/` file at a path that already exists (an earlier
//!   layer's file or crate, or a `rust-src` file) replaces it wholesale, so
//!   it is an error unless the layer's `replaces` lists that path;
//! - a copied crate's files are never edited: the crate grows by phase
//!   features instead (see `book/reference/contributing.md`).
//!
//! The patched copy lives in `target/std-port/phase<N>/library/`, the
//! directory cargo's `__CARGO_TESTS_ONLY_SRC_ROOT` names. It is rewritten
//! only when its stamp (toolchain, sysroot, every layer's bytes) changes,
//! and then file by file: a file whose bytes did not change keeps its
//! modification time, so cargo rebuilds only what the change touched.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use crate::phase::Phase;
use crate::progress::Progress;
use crate::repo::Repo;

/// A phase's `std-port/port.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PortToml {
    /// The toolchain the layer was written against.
    toolchain: String,
    #[serde(default, rename = "crate")]
    crates: Vec<CrateSpec>,
    #[serde(default, rename = "file")]
    files: Vec<FileSpec>,
    /// `library/` paths this layer's own files replace on purpose (an
    /// earlier layer's file, or a `rust-src` file).
    #[serde(default)]
    replaces: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateSpec {
    /// Its directory name in `library/`.
    name: String,
    /// Its source, relative to `std-port/`.
    from: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// Relative to `library/`.
    pub path: String,
    /// SHA-256 of the toolchain's original file; none for a file an
    /// earlier layer created.
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(rename = "edit")]
    pub edits: Vec<Edit>,
}

/// Text to put before or after a line that occurs exactly once.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub anchor: String,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

/// One phase's layer, read.
pub struct Layer {
    pub phase: u32,
    /// `phases/phase<N>-*/std-port`.
    pub dir: PathBuf,
    pub toolchain: String,
    /// New files: path in `library/` → source (the crates' files too).
    pub new_files: BTreeMap<String, PathBuf>,
    /// Which of `new_files` belong to a copied crate: path → crate name.
    pub crate_files: BTreeMap<String, String>,
    pub edits: Vec<FileSpec>,
    /// The crates copied whole: (name in `library/`, source directory).
    pub crates: Vec<(String, PathBuf)>,
    /// Paths the layer's new files replace on purpose.
    pub replaces: Vec<String>,
}

/// `std-port/` of `phase`.
pub fn layer_dir(phase: &Phase) -> PathBuf {
    phase.dir.join("std-port")
}

/// Reads the layers of `phases` (those that have one), in phase order.
pub fn load_layers(repo: &Repo, phases: &[Phase]) -> Result<Vec<Layer>> {
    let mut layers = Vec::new();
    for phase in phases.iter().filter(|p| p.number >= 1) {
        let dir = layer_dir(phase);
        if dir.join("port.toml").is_file() {
            layers.push(load_layer(repo, phase.number, dir)?);
        }
    }
    Ok(layers)
}

/// Reads one layer: `dir/port.toml` and `dir/library/`.
pub fn load_layer(repo: &Repo, phase: u32, dir: PathBuf) -> Result<Layer> {
    let toml_path = dir.join("port.toml");
    let shown = repo.rel(&toml_path).display().to_string();
    let text = fs::read_to_string(&toml_path).with_context(|| format!("cannot read {shown}"))?;
    let spec: PortToml =
        toml::from_str(&text).with_context(|| format!("{shown} is not a valid port layer"))?;
    let mut new_files = BTreeMap::new();
    let library = dir.join("library");
    if library.is_dir() {
        collect_files(&library, "", &mut new_files)?;
    }
    let mut crates = Vec::new();
    let mut crate_files = BTreeMap::new();
    for krate in &spec.crates {
        let from = normalize(&dir.join(&krate.from));
        if !from.join("Cargo.toml").is_file() {
            bail!(
                "{shown}: crate `{}` comes from {}, which has no Cargo.toml",
                krate.name,
                repo.rel(&from).display()
            );
        }
        let mut files = BTreeMap::new();
        collect_files(&from, &format!("{}/", krate.name), &mut files)?;
        for (rel, source) in files {
            if new_files.contains_key(&rel) {
                bail!(
                    "{shown}: {rel} is both a file of library/ and of crate `{}`",
                    krate.name
                );
            }
            crate_files.insert(rel.clone(), krate.name.clone());
            new_files.insert(rel, source);
        }
        crates.push((krate.name.clone(), from));
    }
    for file in &spec.files {
        for edit in &file.edits {
            if edit.before.is_none() == edit.after.is_none() {
                bail!(
                    "{shown}: the edit of {} at {:?} needs exactly one of `before` and `after`",
                    file.path,
                    edit.anchor
                );
            }
        }
    }
    Ok(Layer {
        phase,
        dir,
        toolchain: spec.toolchain,
        new_files,
        crate_files,
        edits: spec.files,
        crates,
        replaces: spec.replaces,
    })
}

/// Every file of ours under `dir`, as `prefix + relative path` → path: not
/// a build's `target/` nor a `Cargo.lock` (a crate copied beside std is
/// locked by std's `Cargo.lock`).
fn collect_files(dir: &Path, prefix: &str, out: &mut BTreeMap<String, PathBuf>) -> Result<()> {
    collect(dir, prefix, true, out)
}

fn collect(
    dir: &Path,
    prefix: &str,
    ours: bool,
    out: &mut BTreeMap<String, PathBuf>,
) -> Result<()> {
    let walk = WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(ours && e.file_name() == "target"));
    for entry in walk {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if !entry.file_type().is_file() || (ours && entry.file_name() == "Cargo.lock") {
            continue;
        }
        let rel = entry.path().strip_prefix(dir)?;
        let Some(rel) = rel.to_str() else {
            bail!("{} has a name that is not UTF-8", entry.path().display());
        };
        out.insert(format!("{prefix}{rel}"), entry.path().to_path_buf());
    }
    Ok(())
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ANCHOR: apply
/// Applies `edits` to `text`. Each anchor must be whole lines of the text
/// (one line, or several written with newlines between them, for an arm
/// whose first line is not unique), exactly once.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, String> {
    let mut text = text.to_owned();
    for edit in edits {
        let anchor: Vec<&str> = edit.anchor.lines().collect();
        let lines: Vec<(usize, &str)> = line_starts(&text).collect();
        let matches: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                lines.len() - i >= anchor.len()
                    && anchor.iter().zip(&lines[i..]).all(|(a, (_, l))| a == l)
            })
            .collect();
        let (first, last) = match matches[..] {
            [i] => (lines[i].0, lines[i + anchor.len() - 1].0),
            [] => {
                return Err(format!(
                    "the anchor line {:?} is not in the file",
                    edit.anchor
                ));
            }
            _ => {
                return Err(format!(
                    "the anchor line {:?} occurs {} times; it must occur once",
                    edit.anchor,
                    matches.len()
                ));
            }
        };
        let end = text[last..].find('\n').map_or(text.len(), |i| last + i + 1);
        let (at, insert) = match (&edit.before, &edit.after) {
            (Some(before), _) => (first, before),
            (None, Some(after)) => (end, after),
            (None, None) => return Err("an edit needs `before` or `after`".into()),
        };
        let mut insert = insert.clone();
        if !insert.ends_with('\n') {
            insert.push('\n');
        }
        if at == text.len() && !text.ends_with('\n') {
            insert.insert(0, '\n');
        }
        text.insert_str(at, &insert);
    }
    Ok(text)
}
// ANCHOR_END: apply

/// The `channel` that `rust-toolchain.toml` pins (`nightly-2026-05-20`).
pub fn pinned_channel(repo: &Repo) -> Result<String> {
    #[derive(Deserialize)]
    struct File {
        toolchain: Toolchain,
    }
    #[derive(Deserialize)]
    struct Toolchain {
        channel: String,
    }
    let path = repo.root().join("rust-toolchain.toml");
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let file: File = toml::from_str(&text)
        .with_context(|| format!("{} has no toolchain.channel", path.display()))?;
    Ok(file.toolchain.channel)
}

/// The pinned toolchain's sysroot (`rustc --print sysroot` in the
/// repository).
pub fn sysroot(sh: &xshell::Shell) -> Result<PathBuf> {
    let out = crate::building::toolchain::tool(sh, "rustc")
        .args(["--print", "sysroot"])
        .read()
        .context("cannot ask rustc for its sysroot")?;
    Ok(PathBuf::from(out.trim()))
}

/// Where a sysroot keeps `rust-src`'s `library/`.
pub fn rust_src_library(sysroot: &Path) -> PathBuf {
    sysroot.join("lib/rustlib/src/rust/library")
}

/// The pinned toolchain's `rust-src` `library/`, or why it is missing.
pub fn toolchain_library(sh: &xshell::Shell) -> Result<PathBuf> {
    let sysroot = sysroot(sh)?;
    let library = rust_src_library(&sysroot);
    if !library.is_dir() {
        bail!(
            "the toolchain at {} has no rust-src; `rustup component add rust-src` (in the \
             repository) adds it",
            sysroot.display()
        );
    }
    Ok(library)
}

/// `(byte offset, line without its newline)` for each line.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.strip_suffix('\n').unwrap_or(line))
    })
}

/// Makes `target/std-port/phase<n>/library` the toolchain's `rust-src` with
/// `layers` applied, unless its stamp says it already is; returns it.
pub fn prepare(
    repo: &Repo,
    n: u32,
    layers: &[Layer],
    sysroot_library: &Path,
    rustc_version: &str,
    pinned: &str,
) -> Result<PathBuf> {
    let root = repo.target_dir().join("std-port").join(format!("phase{n}"));
    let library = root.join("library");
    let stamp_path = root.join("stamp");
    let stamp = stamp(layers, sysroot_library, rustc_version)?;
    if library.is_dir() && fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) {
        return Ok(library);
    }
    for layer in layers {
        if layer.toolchain != pinned {
            bail!(
                "phase {}'s std port ({}) was written for {}, but rust-toolchain.toml pins {pinned}: \
                 port the layer to the new toolchain (its edits' anchors and hashes) or pin {} again",
                layer.phase,
                repo.rel(&layer.dir).display(),
                layer.toolchain,
                layer.toolchain
            );
        }
    }
    let progress = Progress::start(format!(
        "applying the std port to the toolchain's rust-src (phase {n})"
    ));
    let expected = expected_tree(repo, n, layers, sysroot_library)?;
    let written = sync_tree(&library, &expected)?;
    fs::write(&stamp_path, &stamp)
        .with_context(|| format!("cannot write {}", stamp_path.display()))?;
    progress.done_with(&format!(
        "{} files, {written} written, {} layer{}",
        expected.len(),
        layers.len(),
        if layers.len() == 1 { "" } else { "s" }
    ));
    Ok(library)
}

/// What the library should hold: path → bytes, or the file to copy.
pub enum Content {
    Copy(PathBuf),
    Bytes(Vec<u8>),
}

/// Where a file of the patched `library/` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The toolchain's `rust-src` (perhaps edited by layers since).
    Toolchain,
    /// A layer's `library/` file, or a file of a crate it copies.
    Layer {
        phase: u32,
        /// The source in the repository.
        source: PathBuf,
        /// The copied crate it belongs to, if any.
        krate: Option<String>,
    },
}

/// One file of the patched `library/`.
pub struct Entry {
    pub content: Content,
    pub origin: Origin,
}

/// How one layer's `[[file]]` fared; only [`Survey`](Mode::Survey) records
/// these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileOutcome {
    pub phase: u32,
    /// The layer's `port.toml`.
    pub port_toml: PathBuf,
    pub path: String,
    pub problem: Option<FileProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// An anchor is missing or not unique: the edit must be ported by hand.
    Anchor(String),
    /// Every anchor applies, but the toolchain's original is not the file
    /// the layer recorded (or the layer recorded no hash).
    Hash {
        recorded: Option<String>,
        actual: String,
    },
}

/// What [`layer_tree`] does with an edit that does not fit the toolchain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Building: a wrong hash or anchor is an error.
    Strict,
    /// `std-port check`: record it and go on (a failed file keeps its text
    /// from before the layer).
    Survey,
}

fn read_content(content: &Content) -> Result<Vec<u8>> {
    match content {
        Content::Copy(from) => {
            fs::read(from).with_context(|| format!("cannot read {}", from.display()))
        }
        Content::Bytes(b) => Ok(b.clone()),
    }
}

/// The toolchain's `library/` with `layers` stacked on it in order, by the
/// rules in this module's header. Errors in the layers' structure (an edit
/// of a file nobody has, a hash where none belongs, a replacement not
/// declared) fail in both modes.
pub fn layer_tree(
    repo: &Repo,
    layers: &[Layer],
    toolchain_library: &Path,
    mode: Mode,
) -> Result<(BTreeMap<String, Entry>, Vec<FileOutcome>)> {
    let mut tree = BTreeMap::new();
    let mut raw = BTreeMap::new();
    collect(toolchain_library, "", false, &mut raw)?;
    for (rel, path) in raw {
        tree.insert(
            rel,
            Entry {
                content: Content::Copy(path),
                origin: Origin::Toolchain,
            },
        );
    }
    let mut outcomes = Vec::new();
    for layer in layers {
        let port_toml = layer.dir.join("port.toml");
        let shown = repo.rel(&port_toml).display().to_string();
        let who = format!("phase {}'s std port ({shown})", layer.phase);
        for file in &layer.edits {
            if let Some(source) = layer.new_files.get(&file.path) {
                bail!(
                    "{who} edits {}, which is its own file ({}): change that file instead",
                    file.path,
                    repo.rel(source).display()
                );
            }
            let Some(entry) = tree.get_mut(&file.path) else {
                bail!(
                    "{who} edits {}, which neither the toolchain's rust-src ({}) nor an \
                     earlier layer has",
                    file.path,
                    toolchain_library.display()
                );
            };
            let mut problem = None;
            match &entry.origin {
                Origin::Toolchain => {
                    let original_path = toolchain_library.join(&file.path);
                    let actual = sha256_hex(
                        &fs::read(&original_path)
                            .with_context(|| format!("cannot read {}", original_path.display()))?,
                    );
                    if file.sha256.as_deref() != Some(actual.as_str()) {
                        if mode == Mode::Strict {
                            match &file.sha256 {
                                None => bail!(
                                    "{who} edits {}, a file of the toolchain's rust-src, \
                                     without its `sha256` (the original's: {actual})",
                                    file.path
                                ),
                                Some(recorded) => bail!(
                                    "phase {}'s std port was written for {}'s rust-src, but {} \
                                     differs (sha256 {actual}, the port expects {recorded}): use \
                                     the pinned toolchain (`rustup toolchain install` in the \
                                     repository) or port the layer (`cargo runner std-port \
                                     check`)",
                                    layer.phase,
                                    layer.toolchain,
                                    original_path.display()
                                ),
                            }
                        }
                        problem = Some(FileProblem::Hash {
                            recorded: file.sha256.clone(),
                            actual,
                        });
                    }
                }
                Origin::Layer {
                    phase,
                    source,
                    krate: Some(krate),
                } => bail!(
                    "{who} edits {}, a file of crate `{krate}` that phase {phase}'s layer \
                     copies ({}): a copied crate is not edited, it grows by phase features",
                    file.path,
                    repo.rel(source).display()
                ),
                Origin::Layer {
                    phase,
                    source,
                    krate: None,
                } => {
                    if file.sha256.is_some() {
                        bail!(
                            "{who}: the edit of {} has a `sha256`, but the file is phase \
                             {phase}'s ({}), not the toolchain's: `sha256` is only for \
                             rust-src files; remove it",
                            file.path,
                            repo.rel(source).display()
                        );
                    }
                }
            }
            let current = String::from_utf8(read_content(&entry.content)?)
                .with_context(|| format!("{} is not UTF-8", file.path))?;
            match apply_edits(&current, &file.edits) {
                Ok(text) => entry.content = Content::Bytes(text.into_bytes()),
                Err(e) if mode == Mode::Survey => problem = Some(FileProblem::Anchor(e)),
                Err(e) => bail!("{who}: {}: {e}", file.path),
            }
            outcomes.push(FileOutcome {
                phase: layer.phase,
                port_toml: port_toml.clone(),
                path: file.path.clone(),
                problem,
            });
        }
        for replaced in &layer.replaces {
            if !layer.new_files.contains_key(replaced) || !tree.contains_key(replaced) {
                bail!(
                    "{who} lists {replaced} in `replaces`, but {}",
                    if layer.new_files.contains_key(replaced) {
                        "no earlier layer nor the toolchain has that file: remove it from the list"
                    } else {
                        "the layer has no such file under library/: remove it from the list"
                    }
                );
            }
        }
        for (rel, source) in &layer.new_files {
            if let Some(old) = tree.get(rel)
                && !layer.replaces.contains(rel)
            {
                let had = match &old.origin {
                    Origin::Toolchain => "the toolchain's rust-src has".to_string(),
                    Origin::Layer { phase, source, .. } => format!(
                        "phase {phase}'s layer created ({})",
                        repo.rel(source).display()
                    ),
                };
                bail!(
                    "{who} would replace {rel}, which {had}, with its own copy ({}): edit \
                     the file with a [[file]] in {shown} instead, or add {rel:?} to its \
                     `replaces` to replace it on purpose",
                    repo.rel(source).display()
                );
            }
            tree.insert(
                rel.clone(),
                Entry {
                    content: Content::Copy(source.clone()),
                    origin: Origin::Layer {
                        phase: layer.phase,
                        source: source.clone(),
                        krate: layer.crate_files.get(rel).cloned(),
                    },
                },
            );
        }
    }
    Ok((tree, outcomes))
}

fn expected_tree(
    repo: &Repo,
    n: u32,
    layers: &[Layer],
    sysroot_library: &Path,
) -> Result<BTreeMap<String, Content>> {
    let (layered, _) = layer_tree(repo, layers, sysroot_library, Mode::Strict)?;
    let mut tree: BTreeMap<String, Content> =
        layered.into_iter().map(|(k, e)| (k, e.content)).collect();
    // ANCHOR: path_deps
    // A copied crate may depend on another by path (`vibix_abi` on
    // `vibix_uapi`, which lives under `kernel/`). In the repository that
    // path leads out of the phase; in `library/` the other crate is a
    // sibling. So every copied crate's manifest has its path dependencies
    // rewritten to `../<name>` of the copy; a path dependency on a crate no
    // layer copies is an error (it would not resolve inside std's build).
    // A crate that grows by phase gets phase N's feature as its copy's
    // default (std names it with fixed features): see `phase_features`.
    let copied: BTreeMap<PathBuf, String> = layers
        .iter()
        .flat_map(|l| {
            l.crates
                .iter()
                .map(|(name, from)| (from.clone(), name.clone()))
        })
        .collect();
    for (from, name) in &copied {
        let manifest_path = from.join("Cargo.toml");
        let text = fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        let text = rewrite_path_deps(&text, from, &copied)
            .and_then(|text| crate::building::phase_features::enable_in_copy(&text, n))
            .map_err(|e| anyhow::anyhow!("{}: {e}", repo.rel(&manifest_path).display()))?;
        tree.insert(
            format!("{name}/Cargo.toml"),
            Content::Bytes(text.into_bytes()),
        );
    }
    // ANCHOR_END: path_deps
    Ok(tree)
}

/// `path` with `.` and `..` resolved lexically (no file system access).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The manifest `text` of the crate in `crate_dir`, with each path
/// dependency on a crate of `copied` (source directory → name in
/// `library/`) pointing at its copy, `../<name>`. Looks in
/// `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]` and
/// their `[target.*]` forms.
pub fn rewrite_path_deps(
    text: &str,
    crate_dir: &Path,
    copied: &BTreeMap<PathBuf, String>,
) -> Result<String, String> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| format!("not a valid manifest: {e}"))?;
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut dep_tables: Vec<&toml::Table> = kinds
        .iter()
        .filter_map(|k| table.get(*k)?.as_table())
        .collect();
    if let Some(targets) = table.get("target").and_then(|t| t.as_table()) {
        for target in targets.values().filter_map(|t| t.as_table()) {
            dep_tables.extend(kinds.iter().filter_map(|k| target.get(*k)?.as_table()));
        }
    }
    let mut out = text.to_owned();
    for (dep, spec) in dep_tables.iter().flat_map(|t| t.iter()) {
        let Some(path) = spec.get("path").and_then(|p| p.as_str()) else {
            continue;
        };
        let target = normalize(&crate_dir.join(path));
        let Some(name) = copied.get(&target) else {
            return Err(format!(
                "the path dependency `{dep}` ({path}) is not a crate the std port copies: \
                 list it as a [[crate]] in port.toml"
            ));
        };
        let quoted = format!("\"{path}\"");
        if !out.contains(&quoted) {
            return Err(format!(
                "cannot find the path {quoted} of `{dep}` in the text"
            ));
        }
        out = out.replace(&quoted, &format!("\"../{name}\""));
    }
    Ok(out)
}

/// Makes `dest` hold exactly `expected`; a file whose bytes are already
/// right is not touched. Returns how many files were written.
pub fn sync_tree(dest: &Path, expected: &BTreeMap<String, Content>) -> Result<usize> {
    let mut written = 0;
    for (rel, content) in expected {
        let path = dest.join(rel);
        let bytes = match content {
            Content::Copy(from) => {
                fs::read(from).with_context(|| format!("cannot read {}", from.display()))?
            }
            Content::Bytes(b) => b.clone(),
        };
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
        written += 1;
    }
    // Files a layer no longer has.
    let keep: BTreeSet<&str> = expected.keys().map(String::as_str).collect();
    if dest.is_dir() {
        let mut stale = Vec::new();
        for entry in WalkDir::new(dest).min_depth(1) {
            let entry = entry?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dest)?
                .to_string_lossy()
                .into_owned();
            if !keep.contains(rel.as_str()) {
                stale.push(entry.path().to_path_buf());
            }
        }
        for path in stale {
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(written)
}

/// Changes when the way the copy is made changes, so old copies are redone.
const COPY_VERSION: &str = "vibix std-port copy 4\n";

/// What the patched copy depends on: the compiler, the sysroot, and every
/// byte of every layer (file names included).
fn stamp(layers: &[Layer], sysroot_library: &Path, rustc_version: &str) -> Result<String> {
    let mut h = Sha256::new();
    h.update(COPY_VERSION.as_bytes());
    h.update(rustc_version.as_bytes());
    h.update(sysroot_library.as_os_str().as_encoded_bytes());
    for layer in layers {
        h.update(format!("\0layer {}\0", layer.phase).as_bytes());
        let (name, port_toml) = ("port.toml".to_string(), layer.dir.join("port.toml"));
        for (rel, source) in std::iter::once((&name, &port_toml)).chain(&layer.new_files) {
            h.update(rel.as_bytes());
            h.update(b"\0");
            h.update(
                fs::read(source).with_context(|| format!("cannot read {}", source.display()))?,
            );
            h.update(b"\0");
        }
    }
    Ok(format!("{:x}\n", h.finalize()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testutil::TempDir;

    fn edit(anchor: &str, before: Option<&str>, after: Option<&str>) -> Edit {
        Edit {
            anchor: anchor.into(),
            before: before.map(Into::into),
            after: after.map(Into::into),
        }
    }

    const TEXT: &str = "cfg_select! {\n    unix => {\n        mod unix;\n    }\n    _ => {\n        mod unsupported;\n    }\n}\n";

    #[test]
    fn inserts_before_and_after_anchor_lines() {
        let out = apply_edits(
            TEXT,
            &[
                edit(
                    "    _ => {",
                    Some("    vibix => {\n        mod vibix;\n    }"),
                    None,
                ),
                edit("        mod unix;", None, Some("        // after unix\n")),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "cfg_select! {\n    unix => {\n        mod unix;\n        // after unix\n    }\n    \
             vibix => {\n        mod vibix;\n    }\n    _ => {\n        mod unsupported;\n    }\n}\n"
        );
        // At the very end, even without a final newline.
        let out = apply_edits("a\nlast", &[edit("last", None, Some("x"))]).unwrap();
        assert_eq!(out, "a\nlast\nx\n");
    }

    #[test]
    fn an_anchor_of_several_lines_is_a_block_occurring_once() {
        let text = "    any(\n        unix,\n    ) => {}\n    any(\n        wasi,\n    ) => {}\n";
        let out = apply_edits(
            text,
            &[edit(
                "    any(\n        wasi,",
                Some("    vibix => {}"),
                None,
            )],
        )
        .unwrap();
        assert_eq!(
            out,
            "    any(\n        unix,\n    ) => {}\n    vibix => {}\n    any(\n        wasi,\n    ) => {}\n"
        );
        let out =
            apply_edits(text, &[edit("        unix,\n    ) => {}", None, Some("x"))]).unwrap();
        assert!(
            out.starts_with("    any(\n        unix,\n    ) => {}\nx\n"),
            "{out}"
        );
        let err = apply_edits(text, &[edit("    any(\n    ) => {}", Some("x"), None)]).unwrap_err();
        assert!(err.contains("is not in the file"), "{err}");
        let err = apply_edits(text, &[edit("    any(", Some("x"), None)]).unwrap_err();
        assert!(err.contains("occurs 2 times"), "{err}");
    }

    #[test]
    fn anchors_must_be_whole_lines_occurring_once() {
        let err = apply_edits(TEXT, &[edit("    }", Some("x"), None)]).unwrap_err();
        assert!(err.contains("occurs 2 times"), "{err}");
        let err = apply_edits(TEXT, &[edit("_ => {", Some("x"), None)]).unwrap_err();
        assert!(err.contains("is not in the file"), "{err}");
        // Edits apply in order: a later anchor may be an earlier insertion.
        let out = apply_edits(
            "a\n",
            &[edit("a", None, Some("b")), edit("b", None, Some("c"))],
        )
        .unwrap();
        assert_eq!(out, "a\nb\nc\n");
    }

    #[test]
    fn path_dependencies_point_at_the_copies() {
        let copied = BTreeMap::from([
            (PathBuf::from("/r/kernel/uapi"), "vibix_uapi".to_string()),
            (PathBuf::from("/r/phases/p1/abi"), "vibix_abi".to_string()),
        ]);
        let manifest = "[package]\nname = \"vibix_abi\"\n\n[dependencies]\n\
                        core = { version = \"1\", optional = true }\n\
                        vibix_uapi = { path = \"../../../kernel/uapi\" }\n\n\
                        [target.'cfg(unix)'.dev-dependencies]\nlibc = \"0.2\"\n";
        let out = rewrite_path_deps(manifest, Path::new("/r/phases/p1/std-port/../abi"), &copied)
            .unwrap();
        assert!(
            out.contains("vibix_uapi = { path = \"../vibix_uapi\" }"),
            "{out}"
        );
        assert!(out.contains("libc = \"0.2\""));
        // A path dependency on a crate that is not copied cannot resolve.
        let stray = "[dependencies]\nkcore = { path = \"../../../kernel/kcore\" }\n";
        let err = rewrite_path_deps(stray, Path::new("/r/phases/p1/abi"), &copied).unwrap_err();
        assert!(
            err.contains("`kcore`") && err.contains("[[crate]]"),
            "{err}"
        );
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }

    #[test]
    fn hashes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn sync_writes_only_what_changed_and_removes_the_rest() {
        let tmp = TempDir::new("std-port-sync");
        let dest = tmp.path().join("library");
        let src = tmp.path().join("a.rs");
        fs::write(&src, "fn a() {}\n").unwrap();
        let tree = |b: &str| {
            BTreeMap::from([
                ("std/a.rs".to_string(), Content::Copy(src.clone())),
                (
                    "std/b.rs".to_string(),
                    Content::Bytes(b.as_bytes().to_vec()),
                ),
            ])
        };
        assert_eq!(sync_tree(&dest, &tree("one")).unwrap(), 2);
        fs::write(dest.join("std/stale.rs"), "old").unwrap();
        let mtime = |p: &str| fs::metadata(dest.join(p)).unwrap().modified().unwrap();
        let before = mtime("std/a.rs");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(sync_tree(&dest, &tree("two")).unwrap(), 1);
        assert_eq!(
            mtime("std/a.rs"),
            before,
            "unchanged files keep their mtime"
        );
        assert_eq!(fs::read_to_string(dest.join("std/b.rs")).unwrap(), "two");
        assert!(!dest.join("std/stale.rs").exists());
        assert_eq!(sync_tree(&dest, &tree("two")).unwrap(), 0);
    }

    /// A throwaway repository with a toolchain `library/` and layers.
    pub(crate) struct Fixture {
        tmp: TempDir,
        pub repo: Repo,
    }

    pub(crate) const PAL: &str = "cfg_select! {\n    unix => {\n        mod unix;\n    }\n    _ => {\n        mod unsupported;\n    }\n}\n";

    impl Fixture {
        pub(crate) fn new(tag: &str) -> Fixture {
            let tmp = TempDir::new(tag);
            fs::write(
                tmp.path().join("rust-toolchain.toml"),
                "[toolchain]\nchannel = \"n\"\n",
            )
            .unwrap();
            fs::create_dir_all(tmp.path().join("kernel")).unwrap();
            let repo = Repo::find_from(tmp.path()).unwrap();
            let f = Fixture { tmp, repo };
            f.write("toolchain/std/src/sys/pal/mod.rs", PAL);
            f.write("toolchain/std/Cargo.toml", "[package]\nname = \"std\"\n");
            f
        }

        pub(crate) fn write(&self, rel: &str, text: &str) {
            let path = self.tmp.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }

        pub(crate) fn toolchain(&self) -> PathBuf {
            self.tmp.path().join("toolchain")
        }

        /// Phase `n`'s layer: `port.toml` after its toolchain line, and its
        /// `library/` files (a layer written again loses its old files).
        pub(crate) fn layer(&self, n: u32, port_toml: &str, files: &[(&str, &str)]) {
            let dir = format!("phases/phase{n}-x/std-port");
            let _ = fs::remove_dir_all(self.tmp.path().join(&dir));
            self.write(
                &format!("{dir}/port.toml"),
                &format!("toolchain = \"n\"\n{port_toml}"),
            );
            for (rel, text) in files {
                self.write(&format!("{dir}/library/{rel}"), text);
            }
        }

        pub(crate) fn layers(&self) -> Vec<Layer> {
            let phases = crate::phase::later_phases(&self.repo).unwrap();
            load_layers(&self.repo, &phases).unwrap()
        }

        pub(crate) fn tree(
            &self,
            mode: Mode,
        ) -> Result<(BTreeMap<String, Entry>, Vec<FileOutcome>)> {
            layer_tree(&self.repo, &self.layers(), &self.toolchain(), mode)
        }

        pub(crate) fn text(&self, path: &str) -> String {
            let (tree, _) = self.tree(Mode::Strict).unwrap();
            String::from_utf8(read_content(&tree[path].content).unwrap()).unwrap()
        }

        pub(crate) fn err(&self) -> String {
            format!("{:#}", self.tree(Mode::Strict).err().expect("an error"))
        }
    }

    pub(crate) fn pal_edit(sha: Option<&str>) -> String {
        let sha = sha
            .map(|s| format!("sha256 = \"{s}\"\n"))
            .unwrap_or_default();
        format!(
            "[[file]]\npath = \"std/src/sys/pal/mod.rs\"\n{sha}\n[[file.edit]]\n\
             anchor = \"    _ => {{\"\nbefore = \"    vibix => {{\\n        mod vibix;\\n    }}\"\n"
        )
    }

    const OWN_EDIT: &str = "[[file]]\npath = \"std/src/sys/pal/vibix/mod.rs\"\n\n\
                            [[file.edit]]\nanchor = \"pub mod args;\"\nafter = \"pub mod fs;\"\n";

    #[test]
    fn a_later_layer_edits_an_earlier_layers_file_and_a_toolchain_file_again() {
        let f = Fixture::new("layers-stack");
        let sha = sha256_hex(PAL.as_bytes());
        f.layer(
            1,
            &pal_edit(Some(&sha)),
            &[("std/src/sys/pal/vibix/mod.rs", "pub mod args;\n")],
        );
        // Phase 2 edits phase 1's file (no hash) and the toolchain's file
        // that phase 1 edited (the original's hash, not phase 1's result).
        let again = format!(
            "{OWN_EDIT}\n[[file]]\npath = \"std/src/sys/pal/mod.rs\"\nsha256 = \"{sha}\"\n\n\
             [[file.edit]]\nanchor = \"        mod vibix;\"\nafter = \"        // phase 2\"\n"
        );
        f.layer(2, &again, &[("std/src/sys/fs/vibix.rs", "// fs\n")]);
        assert_eq!(
            f.text("std/src/sys/pal/vibix/mod.rs"),
            "pub mod args;\npub mod fs;\n"
        );
        let pal = f.text("std/src/sys/pal/mod.rs");
        assert!(
            pal.contains(
                "    vibix => {\n        mod vibix;\n        // phase 2\n    }\n    _ => {"
            ),
            "{pal}"
        );
        assert_eq!(f.text("std/src/sys/fs/vibix.rs"), "// fs\n");
        let (tree, _) = f.tree(Mode::Strict).unwrap();
        assert!(matches!(
            tree["std/src/sys/pal/vibix/mod.rs"].origin,
            Origin::Layer {
                phase: 1,
                krate: None,
                ..
            }
        ));
    }

    #[test]
    fn hashes_are_only_for_toolchain_files() {
        let f = Fixture::new("layers-hash");
        f.layer(
            1,
            "",
            &[("std/src/sys/pal/vibix/mod.rs", "pub mod args;\n")],
        );
        // A hash on an edit of a layer's file is refused.
        let hashed = OWN_EDIT.replace("\n\n[[file.edit]]", "\nsha256 = \"00\"\n\n[[file.edit]]");
        f.layer(2, &hashed, &[]);
        let err = f.err();
        assert!(
            err.contains("phase 2's std port") && err.contains("is phase 1's"),
            "{err}"
        );
        assert!(
            err.contains("phases/phase1-x/std-port/library/std/src/sys/pal/vibix/mod.rs"),
            "{err}"
        );
        // A toolchain file needs its hash, and the right one.
        f.layer(2, &pal_edit(None), &[]);
        assert!(f.err().contains("without its `sha256`"), "{}", f.err());
        f.layer(2, &pal_edit(Some("00")), &[]);
        assert!(f.err().contains("the port expects 00"), "{}", f.err());
        // An edit of a file nobody has.
        f.layer(2, &OWN_EDIT.replace("pal/vibix/mod.rs", "nothing.rs"), &[]);
        assert!(f.err().contains("nor an earlier layer has"), "{}", f.err());
    }

    #[test]
    fn replacing_an_earlier_layers_file_must_be_declared() {
        let f = Fixture::new("layers-replace");
        f.layer(
            1,
            "",
            &[("std/src/sys/pal/vibix/mod.rs", "pub mod args;\n")],
        );
        f.layer(
            2,
            "",
            &[("std/src/sys/pal/vibix/mod.rs", "pub mod other;\n")],
        );
        let err = f.err();
        assert!(
            err.contains(
                "phase 2's std port (phases/phase2-x/std-port/port.toml) would replace \
                 std/src/sys/pal/vibix/mod.rs, which phase 1's layer created \
                 (phases/phase1-x/std-port/library/std/src/sys/pal/vibix/mod.rs)"
            ),
            "{err}"
        );
        assert!(err.contains("`replaces`"), "{err}");
        f.layer(
            2,
            "replaces = [\"std/src/sys/pal/vibix/mod.rs\"]\n",
            &[("std/src/sys/pal/vibix/mod.rs", "pub mod other;\n")],
        );
        assert_eq!(f.text("std/src/sys/pal/vibix/mod.rs"), "pub mod other;\n");
        // A toolchain file too.
        f.layer(2, "", &[("std/Cargo.toml", "[package]\n")]);
        assert!(
            f.err().contains("which the toolchain's rust-src has"),
            "{}",
            f.err()
        );
        // A stale `replaces` entry, and an edit of the layer's own file.
        f.layer(2, "replaces = [\"std/x.rs\"]\n", &[("std/x.rs", "")]);
        assert!(
            f.err()
                .contains("no earlier layer nor the toolchain has that file"),
            "{}",
            f.err()
        );
        f.layer(
            2,
            OWN_EDIT,
            &[("std/src/sys/pal/vibix/mod.rs", "pub mod args;\n")],
        );
        assert!(f.err().contains("which is its own file"), "{}", f.err());
    }

    #[test]
    fn a_survey_records_what_no_longer_fits() {
        let f = Fixture::new("layers-survey");
        f.layer(1, &pal_edit(Some("00")), &[]);
        let (_, outcomes) = f.tree(Mode::Survey).unwrap();
        assert_eq!(
            outcomes[0].problem,
            Some(FileProblem::Hash {
                recorded: Some("00".into()),
                actual: sha256_hex(PAL.as_bytes())
            })
        );
        f.write("toolchain/std/src/sys/pal/mod.rs", "changed\n");
        let (tree, outcomes) = f.tree(Mode::Survey).unwrap();
        let Some(FileProblem::Anchor(e)) = &outcomes[0].problem else {
            panic!("{outcomes:?}");
        };
        assert!(e.contains("is not in the file"), "{e}");
        // The file is left as it was.
        assert_eq!(
            read_content(&tree["std/src/sys/pal/mod.rs"].content).unwrap(),
            b"changed\n"
        );
    }

    /// The repository's own layers: they parse, their edits' anchors fit the
    /// pinned toolchain's rust-src (when it is installed), and they say which
    /// toolchain they were written for.
    #[test]
    fn the_repository_layers_apply_to_the_pinned_rust_src() {
        let repo = Repo::find_from(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let phases = crate::phase::later_phases(&repo).unwrap();
        let layers = load_layers(&repo, &phases).unwrap();
        assert!(!layers.is_empty(), "phase 1 has a std port layer");
        let pinned = pinned_channel(&repo).unwrap();
        for layer in &layers {
            assert_eq!(layer.toolchain, pinned, "phase {}", layer.phase);
        }
        let sh = xshell::Shell::new().unwrap();
        sh.change_dir(repo.root());
        let library = match sysroot(&sh) {
            Ok(sysroot) if rust_src_library(&sysroot).is_dir() => rust_src_library(&sysroot),
            _ => {
                eprintln!(
                    "the pinned toolchain's rust-src is not installed: only parsed the layers"
                );
                return;
            }
        };
        let tree = expected_tree(&repo, 1, &layers, &library).unwrap();
        let Some(Content::Bytes(build_rs)) = tree.get("std/build.rs") else {
            panic!("std/build.rs is not edited");
        };
        assert!(String::from_utf8_lossy(build_rs).contains("target_os == \"vibix\""));
        assert!(tree.contains_key("std/src/sys/pal/vibix/mod.rs"));
        assert!(tree.contains_key("vibix_abi/Cargo.toml"));
        let Some(Content::Bytes(abi)) = tree.get("vibix_abi/Cargo.toml") else {
            panic!("vibix_abi's manifest is not rewritten");
        };
        assert!(String::from_utf8_lossy(abi).contains("path = \"../vibix_uapi\""));
        // It grows by phase: its copy for phase 1 has exactly phase 1's feature.
        assert!(String::from_utf8_lossy(abi).contains("default = [\"phase1\"]\n"));
        assert!(tree.contains_key("vibix_uapi/src/errno.rs"));
    }
}
