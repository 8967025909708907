//! A phase's benchmark manifest, `benches.toml` in its directory: which of
//! its programs are benchmarks and what each of their items measures.
//!
//! ```toml
//! [[program]]
//! name = "bench"        # /bin/bench, built by the phase
//! host = true           # also run natively on the host
//! items = [
//!     { name = "null_syscall", what = "null system call (getpid)" },
//!     { name = "open_dir", what = "open + close in a directory of N entries", param = "entries" },
//! ]
//! runs = ["dl-hello"]   # other programs of the phases it starts (by name)
//! ```
//!
//! An item with a `param` is a scaling curve: the program reports it once
//! per value of the parameter. `runner bench --phase N` runs the programs
//! of every landed phase up to N, so each phase adds its own.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::phase::Phase;

/// The manifest's file name in a phase directory.
pub const FILE: &str = "benches.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    program: Vec<Program>,
}

/// One benchmark program.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Its name in `/bin`.
    pub name: String,
    /// Whether it also runs natively on the host (a static program with no
    /// vibix-only behaviour).
    #[serde(default)]
    pub host: bool,
    /// Its items, in the order it reports them.
    pub items: Vec<Item>,
    /// Other programs it starts (`/bin/<name>`): on vibix every program
    /// of the phases is there; the Linux guest's initramfs gets these too
    /// (their host builds, with their shared libraries).
    #[serde(default)]
    pub runs: Vec<String>,
    /// The phase that declares it (filled in on loading).
    #[serde(skip)]
    pub phase: u32,
}

/// One item a program measures.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub name: String,
    /// What one operation is.
    pub what: String,
    /// For a scaling curve: what the parameter counts.
    pub param: Option<String>,
}

/// The benchmark programs of `phases`, in phase order.
pub fn load(phases: &[Phase], shown: impl Fn(&Path) -> PathBuf) -> Result<Vec<Program>> {
    let mut all: Vec<Program> = Vec::new();
    for phase in phases {
        let path = phase.dir.join(FILE);
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        for mut program in parse(&text).with_context(|| format!("{}", shown(&path).display()))? {
            if all.iter().any(|p| p.name == program.name) {
                bail!(
                    "{}: program `{}` is already a benchmark of an earlier phase",
                    shown(&path).display(),
                    program.name
                );
            }
            program.phase = phase.number;
            all.push(program);
        }
    }
    Ok(all)
}

/// Parses and checks one manifest.
pub fn parse(text: &str) -> Result<Vec<Program>> {
    let manifest: Manifest = toml::from_str(text)?;
    for program in &manifest.program {
        if program.items.is_empty() {
            bail!("program `{}` lists no items", program.name);
        }
        for (i, item) in program.items.iter().enumerate() {
            if item.name.is_empty() || item.name.contains(char::is_whitespace) {
                bail!("item name {:?} must be one word", item.name);
            }
            if program.items[..i].iter().any(|o| o.name == item.name) {
                bail!(
                    "program `{}` lists item `{}` twice",
                    program.name,
                    item.name
                );
            }
        }
    }
    Ok(manifest.program)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_programs_and_items() {
        let programs = parse(
            r#"
            [[program]]
            name = "bench"
            host = true
            items = [
                { name = "null_syscall", what = "getpid" },
                { name = "open_dir", what = "open", param = "entries" },
            ]
            "#,
        )
        .unwrap();
        assert_eq!(programs.len(), 1);
        assert!(programs[0].host);
        assert_eq!(programs[0].items[1].param.as_deref(), Some("entries"));
        assert_eq!(programs[0].items[0].param, None);
        assert!(programs[0].runs.is_empty());
        let starts = parse(
            "[[program]]\nname = \"s\"\nitems = [{ name = \"x\", what = \"a\" }]\nruns = [\"dl-hello\"]\n",
        )
        .unwrap();
        assert_eq!(starts[0].runs, ["dl-hello"]);
    }

    #[test]
    fn rejects_bad_manifests() {
        let twice = r#"
            [[program]]
            name = "b"
            items = [{ name = "x", what = "a" }, { name = "x", what = "b" }]
        "#;
        assert!(parse(twice).unwrap_err().to_string().contains("twice"));
        assert!(parse("[[program]]\nname = \"b\"\nitems = []\n").is_err());
        assert!(parse("[[program]]\nname = \"b\"\nitems = []\nextra = 1\n").is_err());
    }
}
