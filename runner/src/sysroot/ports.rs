//! Real C software on vibix: a phase's `ports.toml` lists programs built
//! from the C sources of a crates.io package (unchanged, at a fixed
//! version: [`crates_io::fetch`]) and C files of ours, each with its
//! compiler flags. Like a phase's single-file C programs, each is built
//! twice, for vibix against the sysroot and for the host with gcc against
//! glibc (the Linux oracle), with the same flags on both sides.
//!
//! Every source is compiled to its own object, kept under
//! `target/phase<N>-c/ports/<program>/<side>/` with a stamp: the SHA-256 of
//! gcc's arguments, the source's bytes and, for vibix, the sysroot's
//! headers. An object whose stamp matches is not compiled again (SQLite's
//! amalgamation takes gcc a while); linking, cheap, is done every time, so
//! a new `libc.a` is always in. The two sides compile in parallel.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Sysroot, cc};
use crate::Ctx;
use crate::building::crates_io;
use crate::phase::Phase;

/// `ports.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    #[serde(rename = "program")]
    programs: Vec<Port>,
}

/// One program.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Port {
    /// Installed as `/bin/<name>`.
    pub name: String,
    /// The crates.io package that holds the C sources, and its version
    /// (exactly this one).
    #[serde(rename = "crate")]
    pub krate: String,
    pub version: String,
    /// The package's C files: a path in the package, or `dir/*.c` (every
    /// `.c` file of that directory).
    pub sources: Vec<String>,
    /// Our C files, relative to the phase's directory.
    #[serde(default)]
    pub ours: Vec<String>,
    /// Include directories in the package (`-I`).
    #[serde(default)]
    pub include: Vec<String>,
    /// gcc's flags for every file, on both sides.
    #[serde(default)]
    pub flags: Vec<String>,
}

/// A phase's ports (none without `ports.toml`).
pub fn load(phase: &Phase) -> Result<Vec<Port>> {
    let path = phase.dir.join("ports.toml");
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let list: List =
        toml::from_str(&text).with_context(|| format!("{} is not a port list", path.display()))?;
    Ok(list.programs)
}

/// The files `pattern` names in `dir`: itself, or with `*.ext` as its last
/// part, that directory's files ending in `.ext`, sorted.
fn expand(dir: &Path, pattern: &str) -> Result<Vec<PathBuf>> {
    let path = dir.join(pattern);
    let Some(ext) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("*."))
        .map(String::from)
    else {
        if !path.is_file() {
            bail!("{} does not exist", path.display());
        }
        return Ok(vec![path]);
    };
    let parent = path.parent().expect("a pattern has a directory");
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(parent).with_context(|| format!("cannot read {}", parent.display()))?
    {
        let p = entry?.path();
        if p.is_file() && p.extension().is_some_and(|e| e == ext.as_str()) {
            out.push(p);
        }
    }
    if out.is_empty() {
        bail!("{pattern} matches no file in {}", dir.display());
    }
    out.sort();
    Ok(out)
}

/// Which build: for vibix (the sysroot) or for the host (glibc).
#[derive(Clone, Copy)]
enum Side<'a> {
    Vibix(&'a Sysroot),
    Host,
}

/// Builds the ports of `phases` into `out/<side>/<name>`; returns the
/// binaries, vibix's and the host's, by name.
pub fn build(
    ctx: &Ctx,
    sysroot: &Sysroot,
    phases: &[Phase],
    out: &Path,
) -> Result<(BTreeMap<String, PathBuf>, BTreeMap<String, PathBuf>)> {
    let (mut vibix, mut host) = (BTreeMap::new(), BTreeMap::new());
    let headers = tree_digest(&sysroot.include())?;
    for phase in phases {
        for port in load(phase)? {
            let id = format!("{}-{}", port.krate, port.version);
            let packages = ctx.repo.target_dir().join("c-packages");
            let pkg = crates_io::fetch(
                ctx,
                &port.krate,
                &port.version,
                &packages.join("fetch"),
                &packages.join("src").join(&id),
            )?;
            let mut sources = Vec::new();
            for pattern in &port.sources {
                sources.extend(expand(&pkg, pattern)?);
            }
            for file in &port.ours {
                sources.extend(expand(&phase.dir, file)?);
            }
            let mut flags = port.flags.clone();
            for dir in &port.include {
                flags.push(format!("-I{}", pkg.join(dir).display()));
            }
            let dir = out.join("ports").join(&port.name);
            let progress = crate::progress::Progress::start(format!(
                "building {} ({id}, {} C files) for vibix and for the host",
                port.name,
                sources.len()
            ));
            let (v, h) = std::thread::scope(|s| {
                let v = s.spawn(|| {
                    program(
                        Side::Vibix(sysroot),
                        &headers,
                        &sources,
                        &flags,
                        &dir,
                        &port.name,
                    )
                });
                let h = program(Side::Host, "", &sources, &flags, &dir, &port.name);
                (v.join().expect("the vibix build does not panic"), h)
            });
            let (v, h) = match (v, h) {
                (Ok(v), Ok(h)) => (v, h),
                (Err(e), _) | (_, Err(e)) => {
                    progress.fail();
                    return Err(e);
                }
            };
            progress.done();
            vibix.insert(port.name.clone(), v);
            host.insert(port.name, h);
        }
    }
    Ok((vibix, host))
}

/// Compiles (where the stamp says so) and links one side of a program.
fn program(
    side: Side<'_>,
    headers: &str,
    sources: &[PathBuf],
    flags: &[String],
    dir: &Path,
    name: &str,
) -> Result<PathBuf> {
    let dir = dir.join(match side {
        Side::Vibix(_) => "vibix",
        Side::Host => "host",
    });
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut objects = Vec::new();
    for src in sources {
        let stem = src
            .file_stem()
            .and_then(|s| s.to_str())
            .with_context(|| format!("{} has no usable name", src.display()))?;
        let obj = dir.join(format!("{stem}.o"));
        let mut args: Vec<String> = flags.to_vec();
        args.extend([
            "-c".into(),
            src.display().to_string(),
            "-o".into(),
            obj.display().to_string(),
        ]);
        let args = match side {
            Side::Vibix(sysroot) => cc::gcc_args(sysroot, &args),
            Side::Host => args,
        };
        let stamp_path = dir.join(format!("{stem}.stamp"));
        let stamp = stamp(&args, src, headers)?;
        if !(obj.is_file() && std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp)) {
            cc::gcc(&args, std::slice::from_ref(src), side.what())?;
            std::fs::write(&stamp_path, &stamp)
                .with_context(|| format!("cannot write {}", stamp_path.display()))?;
        }
        objects.push(obj);
    }
    let binary = dir.join(name);
    let mut args: Vec<String> = vec!["-o".into(), binary.display().to_string()];
    args.extend(objects.iter().map(|o| o.display().to_string()));
    args.extend(cc::LIBS.map(String::from));
    let args = match side {
        Side::Vibix(sysroot) => cc::gcc_args(sysroot, &args),
        Side::Host => args,
    };
    cc::gcc(&args, &objects, side.what())?;
    Ok(binary)
}

impl Side<'_> {
    fn what(self) -> &'static str {
        match self {
            Side::Vibix(_) => "vibix",
            Side::Host => "the host (glibc)",
        }
    }
}

/// An object's stamp: gcc's arguments, the source, the headers' digest.
fn stamp(args: &[String], src: &Path, headers: &str) -> Result<String> {
    let mut h = Sha256::new();
    for a in args {
        h.update(a.as_bytes());
        h.update([0]);
    }
    h.update(std::fs::read(src).with_context(|| format!("cannot read {}", src.display()))?);
    h.update(headers.as_bytes());
    Ok(format!("{:x}", h.finalize()))
}

/// The SHA-256 of every file under `dir` (names and bytes, in order).
fn tree_digest(dir: &Path) -> Result<String> {
    let mut h = Sha256::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if entry.file_type().is_file() {
            h.update(entry.path().strip_prefix(dir)?.to_string_lossy().as_bytes());
            h.update([0]);
            h.update(std::fs::read(entry.path())?);
        }
    }
    Ok(format!("{:x}", h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn patterns_name_files() {
        let tmp = TempDir::new("ports-expand");
        std::fs::create_dir_all(tmp.path().join("src")).unwrap();
        for f in ["b.c", "a.c", "a.h"] {
            std::fs::write(tmp.path().join("src").join(f), "").unwrap();
        }
        let names = |p: &str| -> Vec<String> {
            expand(tmp.path(), p)
                .unwrap()
                .iter()
                .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names("src/*.c"), ["a.c", "b.c"]);
        assert_eq!(names("src/a.h"), ["a.h"]);
        assert!(expand(tmp.path(), "src/*.txt").is_err());
        assert!(expand(tmp.path(), "src/missing.c").is_err());
    }

    #[test]
    fn stamps_change_with_flags_source_and_headers() {
        let tmp = TempDir::new("ports-stamp");
        let src = tmp.path().join("a.c");
        std::fs::write(&src, "int x;").unwrap();
        let base = stamp(&["-O1".into()], &src, "h").unwrap();
        assert_eq!(base, stamp(&["-O1".into()], &src, "h").unwrap());
        assert_ne!(base, stamp(&["-O2".into()], &src, "h").unwrap());
        assert_ne!(base, stamp(&["-O1".into()], &src, "h2").unwrap());
        std::fs::write(&src, "int y;").unwrap();
        assert_ne!(base, stamp(&["-O1".into()], &src, "h").unwrap());
    }

    #[test]
    fn the_repository_lists_lua_and_sqlite() {
        let repo = crate::repo::Repo::discover().unwrap();
        let phase = Phase {
            number: 4,
            dir: repo.root().join("phases/phase4-libc"),
        };
        let names: Vec<String> = load(&phase).unwrap().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["lua", "sqlite-run"]);
    }
}
