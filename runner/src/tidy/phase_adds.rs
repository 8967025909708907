//! Every phase says what it adds: each `phases/phase<N>-*/README.md` and
//! its book chapter (`book/phase<N>-*.md`) have a section "What the phase
//! adds" whose table lists, in its `path` (README) or `where` (chapter)
//! column, every path the phase adds or extends, in backticks, from the
//! repository root; a path ending in `/` stands for every file under it.
//!
//! The check (a step of `runner test`, and a unit test on the repository):
//! each listed path exists; the two lists name the same paths; and nothing
//! that is phase N's is missing from either:
//!
//! - every file under the phase's directory, except its `README.md`, every
//!   `Cargo.lock` and `.gitignore`, and anything under a `target/`
//!   (build outputs and lockfiles, no part of the design);
//! - every file of its std-port layer (`std-port/`) one by one: a directory
//!   entry does not cover them, and the phase directory itself is not an
//!   entry;
//! - every `.rs` file under `kernel/` or `phases/` that contains
//!   `feature = "phase<N>"`, and every `Cargo.toml` there (outside the
//!   phase's directory) that declares a feature `phase<N>`: the crates that
//!   grow by phase.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::phase::{self, Phase};
use crate::repo::Repo;

/// The heading of the section, in the README and in the chapter.
pub const HEADING: &str = "## What the phase adds";

/// The backticked paths in the `path`/`where` column of the table in the
/// section [`HEADING`] of `markdown`; `None` when there is no such section.
pub fn listed_paths(markdown: &str) -> Option<Result<BTreeSet<String>, String>> {
    let mut lines = markdown.lines().skip_while(|l| l.trim_end() != HEADING);
    lines.next()?;
    let section: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
    let mut rows = section
        .iter()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let Some(header) = rows.next() else {
        return Some(Ok(BTreeSet::new()));
    };
    let cells = |row: &str| -> Vec<String> {
        row.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let Some(column) = cells(header)
        .iter()
        .position(|c| c == "path" || c == "where")
    else {
        return Some(Err(format!(
            "the table under \"{HEADING}\" needs a `path` or `where` column"
        )));
    };
    let mut paths = BTreeSet::new();
    for row in rows.skip(1) {
        let Some(cell) = cells(row).get(column).cloned() else {
            continue;
        };
        paths.extend(
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .filter(|p| !p.is_empty()),
        );
    }
    Some(Ok(paths))
}

/// The paths phase `phase` must list (repository-relative, `/`-separated).
pub fn required_paths(repo: &Repo, phase: &Phase) -> Result<BTreeSet<String>> {
    let rel = |p: &Path| repo.rel(p).to_string_lossy().replace('\\', "/");
    let mut required = BTreeSet::new();
    for file in files_under(&phase.dir)? {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let own_readme = file == phase.dir.join("README.md");
        if !own_readme && name != "Cargo.lock" && name != ".gitignore" {
            required.insert(rel(&file));
        }
    }
    let feature = format!("feature = \"phase{}\"", phase.number);
    let declared = format!("phase{}", phase.number);
    for root in [repo.kernel_dir(), repo.phases_dir()] {
        for file in files_under(&root)? {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".rs") {
                let text = fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                if text.contains(&feature) {
                    required.insert(rel(&file));
                }
            } else if name == "Cargo.toml" && !file.starts_with(&phase.dir) {
                let text = fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let table: toml::Table = toml::from_str(&text)
                    .with_context(|| format!("{} is not valid TOML", file.display()))?;
                let features = table.get("features").and_then(|f| f.as_table());
                if features.is_some_and(|f| f.contains_key(&declared)) {
                    required.insert(rel(&file));
                }
            }
        }
    }
    Ok(required)
}

/// Every file under `dir`, not looking into `target/`.
fn files_under(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let walk = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != "target");
    for entry in walk {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if entry.file_type().is_file() {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// The problems with one list (`shown`: where it is, for messages).
fn check_list(
    repo: &Repo,
    phase: &Phase,
    shown: &str,
    listed: &BTreeSet<String>,
    required: &BTreeSet<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let phase_dir = repo.rel(&phase.dir).to_string_lossy().into_owned();
    let layer = format!("{phase_dir}/std-port/");
    for path in listed {
        let full = repo.root().join(path.trim_end_matches('/'));
        let exists = if path.ends_with('/') {
            full.is_dir()
        } else {
            full.is_file()
        };
        if path.trim_end_matches('/') == phase_dir {
            problems.push(format!(
                "{shown} lists the phase's whole directory `{path}`: list what is in it"
            ));
        } else if !exists {
            problems.push(format!(
                "{shown} lists `{path}`, which is not a {} in the repository",
                if path.ends_with('/') {
                    "directory"
                } else {
                    "file"
                }
            ));
        }
    }
    for path in required {
        let covered = listed.contains(path)
            || listed.iter().any(|l| {
                l.ends_with('/') && path.starts_with(l.as_str()) && !path.starts_with(&layer)
            });
        if !covered {
            problems.push(format!(
                "{shown} does not list `{path}`, which is phase {}'s: add it to the table under \
                 \"{HEADING}\"",
                phase.number
            ));
        }
    }
    problems
}

/// The chapter of `phase`: `book/<its directory's name>.md`.
fn chapter(repo: &Repo, phase: &Phase) -> std::path::PathBuf {
    let name = phase.dir.file_name().unwrap_or_default().to_string_lossy();
    repo.root().join("book").join(format!("{name}.md"))
}

/// Every problem of `phase`'s two lists, each naming the list and the path.
pub fn check_phase(repo: &Repo, phase: &Phase) -> Result<Vec<String>> {
    let required = required_paths(repo, phase)?;
    let mut problems = Vec::new();
    let mut lists = Vec::new();
    for (path, must_exist) in [
        (phase.dir.join("README.md"), true),
        (chapter(repo, phase), false),
    ] {
        let shown = repo.rel(&path).display().to_string();
        let Ok(text) = fs::read_to_string(&path) else {
            if must_exist || !required.is_empty() {
                problems.push(format!(
                    "{shown} is missing: it says what phase {} adds",
                    phase.number
                ));
            }
            continue;
        };
        let listed = match listed_paths(&text) {
            Some(Ok(listed)) => listed,
            Some(Err(e)) => {
                problems.push(format!("{shown}: {e}"));
                continue;
            }
            // A README always has the section; a chapter once there is
            // something to list.
            None if must_exist || !required.is_empty() => {
                problems.push(format!("{shown} has no section \"{HEADING}\""));
                continue;
            }
            None => continue,
        };
        problems.extend(check_list(repo, phase, &shown, &listed, &required));
        lists.push((shown, listed));
    }
    if let [(a, a_paths), (b, b_paths)] = &lists[..] {
        for (one, other, paths, other_paths) in [(a, b, a_paths, b_paths), (b, a, b_paths, a_paths)]
        {
            for path in paths.difference(other_paths) {
                problems.push(format!(
                    "{one} lists `{path}` but {other} does not: list it in both"
                ));
            }
        }
    }
    Ok(problems)
}

/// The check over every phase directory, landed or not.
pub fn check_repo(repo: &Repo) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for phase in phase::later_phases(repo)? {
        problems.extend(check_phase(repo, &phase)?);
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn readme(rows: &[&str]) -> String {
        let mut s = format!("# Phase 1\n\nintro\n\n{HEADING}\n\n| path | what |\n|---|---|\n");
        for r in rows {
            s.push_str(&format!("| {r} | x |\n"));
        }
        s.push_str("\n## Next\n\n| path | what |\n|---|---|\n| `not/listed.rs` | x |\n");
        s
    }

    #[test]
    fn reads_the_tables_path_column() {
        let text = format!(
            "{HEADING}\n\nText.\n\n| piece | where | what |\n|---|---|---|\n\
             | a | `kernel/a.rs`, `kernel/b/` | `not.rs` |\n| b | none | x |\n"
        );
        let paths = listed_paths(&text).unwrap().unwrap();
        assert_eq!(
            paths.into_iter().collect::<Vec<_>>(),
            ["kernel/a.rs", "kernel/b/"]
        );
        assert!(listed_paths("# nothing\n").is_none());
        let err = listed_paths(&format!("{HEADING}\n\n| a | b |\n|--|--|\n"))
            .unwrap()
            .unwrap_err();
        assert!(err.contains("`path` or `where` column"), "{err}");
    }

    #[test]
    fn every_gated_and_added_path_must_be_listed() {
        let tmp = TempDir::new("phase-adds");
        let root = tmp.path();
        write(root, "rust-toolchain.toml", "");
        write(root, "kernel/src/main.rs", "fn main() {}\n");
        write(
            root,
            "kernel/src/gated.rs",
            "#[cfg(feature = \"phase1\")]\nfn a() {}\n",
        );
        write(
            root,
            "kernel/src/later.rs",
            "#[cfg(feature = \"phase10\")]\nfn a() {}\n",
        );
        write(root, "kernel/Cargo.toml", "[features]\nphase1 = []\n");
        let p = "phases/phase1-x";
        write(root, &format!("{p}/tests.toml"), "");
        write(root, &format!("{p}/Cargo.lock"), "");
        write(root, &format!("{p}/target/debug/out"), "");
        write(root, &format!("{p}/programs/src/a.rs"), "");
        write(root, &format!("{p}/std-port/port.toml"), "");
        write(root, &format!("{p}/std-port/library/std/vibix.rs"), "");
        let repo = Repo::find_from(root).unwrap();
        let phase = phase::later_phases(&repo).unwrap().remove(0);
        let required = required_paths(&repo, &phase).unwrap();
        assert_eq!(
            required.iter().map(String::as_str).collect::<Vec<_>>(),
            [
                "kernel/Cargo.toml",
                "kernel/src/gated.rs",
                "phases/phase1-x/programs/src/a.rs",
                "phases/phase1-x/std-port/library/std/vibix.rs",
                "phases/phase1-x/std-port/port.toml",
                "phases/phase1-x/tests.toml",
            ]
        );
        let all = [
            "`kernel/Cargo.toml`, `kernel/src/gated.rs`",
            "`phases/phase1-x/programs/`",
            "`phases/phase1-x/std-port/port.toml`",
            "`phases/phase1-x/std-port/library/std/vibix.rs`",
            "`phases/phase1-x/tests.toml`",
        ];
        write(root, &format!("{p}/README.md"), &readme(&all));
        // A phase with something to list has a chapter too.
        assert_eq!(
            check_phase(&repo, &phase).unwrap(),
            ["book/phase1-x.md is missing: it says what phase 1 adds"]
        );
        let chapter = |rows: &[&str]| readme(rows).replace("| path |", "| where |");
        write(root, "book/phase1-x.md", &chapter(&all));
        assert_eq!(check_phase(&repo, &phase).unwrap(), Vec::<String>::new());

        // A gated kernel file missing; a path that does not exist; the
        // layer covered by a directory entry only.
        let rows = [
            "`kernel/Cargo.toml`",
            "`phases/phase1-x/programs/`, `kernel/src/gone.rs`",
            "`phases/phase1-x/std-port/`",
            "`phases/phase1-x/tests.toml`",
        ];
        write(root, &format!("{p}/README.md"), &readme(&rows));
        write(root, "book/phase1-x.md", &chapter(&rows));
        let problems: Vec<String> = check_phase(&repo, &phase)
            .unwrap()
            .into_iter()
            .filter(|p| p.starts_with("phases/"))
            .collect();
        let readme_path = "phases/phase1-x/README.md";
        assert_eq!(
            problems,
            [
                format!(
                    "{readme_path} lists `kernel/src/gone.rs`, which is not a file in the repository"
                ),
                format!(
                    "{readme_path} does not list `kernel/src/gated.rs`, which is phase 1's: add it \
                     to the table under \"{HEADING}\""
                ),
                format!(
                    "{readme_path} does not list `phases/phase1-x/std-port/library/std/vibix.rs`, \
                     which is phase 1's: add it to the table under \"{HEADING}\""
                ),
                format!(
                    "{readme_path} does not list `phases/phase1-x/std-port/port.toml`, which is \
                     phase 1's: add it to the table under \"{HEADING}\""
                ),
            ]
        );

        // The chapter must list the same paths.
        write(root, &format!("{p}/README.md"), &readme(&all));
        let mut chapter_rows = all.to_vec();
        chapter_rows.push("`kernel/src/main.rs`");
        write(root, "book/phase1-x.md", &chapter(&chapter_rows));
        let problems = check_phase(&repo, &phase).unwrap();
        assert_eq!(
            problems,
            [
                "book/phase1-x.md lists `kernel/src/main.rs` but phases/phase1-x/README.md does not: \
              list it in both"
            ]
        );
        // The whole phase directory is not an entry.
        write(root, "book/phase1-x.md", &readme(&["`phases/phase1-x/`"]));
        let problems = check_phase(&repo, &phase).unwrap();
        assert!(
            problems[0].contains("lists the phase's whole directory"),
            "{problems:?}"
        );
    }

    /// The repository's phases list what they add.
    #[test]
    fn the_repository_phases_list_what_they_add() {
        let repo = Repo::find_from(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let problems = check_repo(&repo).unwrap();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
