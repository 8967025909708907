//! The std port: a copy of the pinned toolchain's `rust-src` with every
//! phase's port layer applied, for `-Zbuild-std`.
//!
//! A layer is a phase's `std-port/` directory (see
//! `phases/phase1-println/std-port/port.toml` for the format): new files
//! under `library/`, crates copied beside std, and anchored edits to std's
//! existing files, each checked against the SHA-256 of the toolchain's
//! original. Phase N's std is phase 1's layer, then phase 2's, … up to N's.
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
    /// SHA-256 of the toolchain's original file.
    pub sha256: String,
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
    /// New files: path in `library/` → source.
    pub new_files: BTreeMap<String, PathBuf>,
    pub edits: Vec<FileSpec>,
    /// The crates copied whole: (name in `library/`, source directory).
    pub crates: Vec<(String, PathBuf)>,
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
        let toml_path = dir.join("port.toml");
        if !toml_path.is_file() {
            continue;
        }
        let shown = repo.rel(&toml_path).display().to_string();
        let text =
            fs::read_to_string(&toml_path).with_context(|| format!("cannot read {shown}"))?;
        let spec: PortToml =
            toml::from_str(&text).with_context(|| format!("{shown} is not a valid port layer"))?;
        let mut new_files = BTreeMap::new();
        let library = dir.join("library");
        if library.is_dir() {
            collect_files(&library, "", &mut new_files)?;
        }
        let mut crates = Vec::new();
        for krate in &spec.crates {
            let from = normalize(&dir.join(&krate.from));
            if !from.join("Cargo.toml").is_file() {
                bail!(
                    "{shown}: crate `{}` comes from {}, which has no Cargo.toml",
                    krate.name,
                    repo.rel(&from).display()
                );
            }
            collect_files(&from, &format!("{}/", krate.name), &mut new_files)?;
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
        layers.push(Layer {
            phase: phase.number,
            dir,
            toolchain: spec.toolchain,
            new_files,
            edits: spec.files,
            crates,
        });
    }
    Ok(layers)
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
/// Applies `edits` to `text`. Each anchor must be a whole line of the text,
/// exactly once.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, String> {
    let mut text = text.to_owned();
    for edit in edits {
        let starts: Vec<usize> = line_starts(&text)
            .filter(|&(_, line)| line == edit.anchor)
            .map(|(start, _)| start)
            .collect();
        let start = match starts[..] {
            [one] => one,
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
                    starts.len()
                ));
            }
        };
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let (at, insert) = match (&edit.before, &edit.after) {
            (Some(before), _) => (start, before),
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
    let out = crate::toolchain::tool(sh, "rustc")
        .args(["--print", "sysroot"])
        .read()
        .context("cannot ask rustc for its sysroot")?;
    Ok(PathBuf::from(out.trim()))
}

/// Where a sysroot keeps `rust-src`'s `library/`.
pub fn rust_src_library(sysroot: &Path) -> PathBuf {
    sysroot.join("lib/rustlib/src/rust/library")
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
    let expected = expected_tree(repo, layers, sysroot_library)?;
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

fn expected_tree(
    repo: &Repo,
    layers: &[Layer],
    sysroot_library: &Path,
) -> Result<BTreeMap<String, Content>> {
    let mut tree = BTreeMap::new();
    collect_files_raw(sysroot_library, &mut tree)?;
    // Edits, layer by layer, each checked against the original.
    let mut edited: BTreeMap<String, String> = BTreeMap::new();
    for layer in layers {
        for file in &layer.edits {
            let original_path = sysroot_library.join(&file.path);
            let original = fs::read(&original_path).with_context(|| {
                format!(
                    "phase {}'s std port edits {}, which the toolchain's rust-src ({}) does not have",
                    layer.phase,
                    file.path,
                    sysroot_library.display()
                )
            })?;
            let actual = sha256_hex(&original);
            if actual != file.sha256 {
                bail!(
                    "phase {}'s std port was written for {}'s rust-src, but {} differs \
                     (sha256 {actual}, the port expects {}): use the pinned toolchain \
                     (`rustup toolchain install` in the repository) or port the layer",
                    layer.phase,
                    layer.toolchain,
                    original_path.display(),
                    file.sha256
                );
            }
            let current = match edited.remove(&file.path) {
                Some(text) => text,
                None => String::from_utf8(original)
                    .with_context(|| format!("{} is not UTF-8", file.path))?,
            };
            let text = apply_edits(&current, &file.edits).map_err(|e| {
                anyhow::anyhow!(
                    "phase {}'s std port ({}): {}: {e}",
                    layer.phase,
                    repo.rel(&layer.dir.join("port.toml")).display(),
                    file.path
                )
            })?;
            edited.insert(file.path.clone(), text);
        }
        for (rel, source) in &layer.new_files {
            tree.insert(rel.clone(), Content::Copy(source.clone()));
        }
    }
    for (rel, text) in edited {
        tree.insert(rel, Content::Bytes(text.into_bytes()));
    }
    // ANCHOR: path_deps
    // A copied crate may depend on another by path (`vibix_abi` on
    // `vibix_uapi`, which lives under `kernel/`). In the repository that
    // path leads out of the phase; in `library/` the other crate is a
    // sibling. So every copied crate's manifest has its path dependencies
    // rewritten to `../<name>` of the copy; a path dependency on a crate no
    // layer copies is an error (it would not resolve inside std's build).
    let copied: BTreeMap<PathBuf, String> = layers
        .iter()
        .flat_map(|l| l.crates.iter().map(|(name, from)| (from.clone(), name.clone())))
        .collect();
    for (from, name) in &copied {
        let manifest_path = from.join("Cargo.toml");
        let text = fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        let text = rewrite_path_deps(&text, from, &copied).map_err(|e| {
            anyhow::anyhow!("{}: {e}", repo.rel(&manifest_path).display())
        })?;
        tree.insert(format!("{name}/Cargo.toml"), Content::Bytes(text.into_bytes()));
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
    let table: toml::Table = toml::from_str(text).map_err(|e| format!("not a valid manifest: {e}"))?;
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut dep_tables: Vec<&toml::Table> =
        kinds.iter().filter_map(|k| table.get(*k)?.as_table()).collect();
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
            return Err(format!("cannot find the path {quoted} of `{dep}` in the text"));
        }
        out = out.replace(&quoted, &format!("\"../{name}\""));
    }
    Ok(out)
}

/// Every file of the toolchain's `library/`, as it is.
fn collect_files_raw(dir: &Path, out: &mut BTreeMap<String, Content>) -> Result<()> {
    let mut files = BTreeMap::new();
    collect(dir, "", false, &mut files)?;
    out.extend(files.into_iter().map(|(k, v)| (k, Content::Copy(v))));
    Ok(())
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
const COPY_VERSION: &str = "vibix std-port copy 3\n";

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
mod tests {
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
        let out = rewrite_path_deps(manifest, Path::new("/r/phases/p1/std-port/../abi"), &copied).unwrap();
        assert!(out.contains("vibix_uapi = { path = \"../vibix_uapi\" }"), "{out}");
        assert!(out.contains("libc = \"0.2\""));
        // A path dependency on a crate that is not copied cannot resolve.
        let stray = "[dependencies]\nkcore = { path = \"../../../kernel/kcore\" }\n";
        let err = rewrite_path_deps(stray, Path::new("/r/phases/p1/abi"), &copied).unwrap_err();
        assert!(err.contains("`kcore`") && err.contains("[[crate]]"), "{err}");
        assert_eq!(normalize(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
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
        let tree = expected_tree(&repo, &layers, &library).unwrap();
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
        assert!(tree.contains_key("vibix_uapi/src/errno.rs"));
    }
}
