//! Miri's part of `runner test`: which crates it runs on, and the registry
//! of tests it skips. A test that needs what the interpreter cannot model
//! (real system calls, say) carries `#[cfg_attr(miri, ignore)]`; the Safety
//! chapter's table "Ignored under Miri" names each one and why. The check
//! fails when the sources and the table disagree, so the ignored set cannot
//! grow (or shrink) unnoticed.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result};
use walkdir::WalkDir;

use super::table;

/// The crates `runner test` runs under Miri (tree borrows): package name
/// and directory. Crates of later phases join when their directory exists.
pub const CRATES: &[(&str, &str)] = &[
    ("kcore", "kernel/kcore"),
    ("vibix_uapi", "kernel/uapi"),
    ("vibix_abi", "phases/phase1-println/vibix_abi"),
    ("vibix_libc", "phases/phase4-libc/vibix_libc"),
    ("ld_vibix", "phases/phase5-dynlink/ld_vibix"),
];

/// The crates of [`CRATES`] present in this checkout.
pub fn present(root: &Path) -> Vec<(&'static str, &'static str)> {
    CRATES
        .iter()
        .copied()
        .filter(|(_, dir)| root.join(dir).join("Cargo.toml").is_file())
        .collect()
}

/// A skipped test: `(crate, test function name)`.
pub type Ignored = (String, String);

/// The tests of one file's text that Miri skips.
pub fn ignored_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = false;
    for line in text.lines() {
        let t = line.trim();
        let squashed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if squashed.starts_with("#[cfg_attr(miri,ignore") {
            pending = true;
        } else if pending && let Some(name) = fn_name(t) {
            out.push(name);
            pending = false;
        }
    }
    out
}

fn fn_name(line: &str) -> Option<String> {
    let rest = line
        .trim_start_matches("pub ")
        .trim_start_matches("async ")
        .strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(rest[..end].to_string())
}

/// Every skipped test in the present crates.
pub fn ignored(root: &Path) -> Result<BTreeSet<Ignored>> {
    let mut set = BTreeSet::new();
    for (name, dir) in present(root) {
        for entry in WalkDir::new(root.join(dir))
            .into_iter()
            .filter_entry(|e| e.file_name() != "target")
        {
            let entry = entry.with_context(|| format!("cannot walk {dir}"))?;
            if entry.path().extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(entry.path())
                    .with_context(|| format!("cannot read {}", entry.path().display()))?;
                for t in ignored_in(&text) {
                    set.insert((name.to_string(), t));
                }
            }
        }
    }
    Ok(set)
}

/// The chapter's registry: the table whose first column is `Ignored under Miri`,
/// with a `Crate` column; test names may be in backquotes.
pub fn registry(chapter: &str) -> Result<BTreeSet<Ignored>, String> {
    let t = table::tables(chapter)
        .into_iter()
        .find(|t| t.header.first().map(String::as_str) == Some("Ignored under Miri"))
        .ok_or("no table whose first column is `Ignored under Miri`")?;
    let krate = t
        .header
        .iter()
        .position(|h| h == "Crate")
        .ok_or("the `Ignored under Miri` table has no `Crate` column")?;
    let mut set = BTreeSet::new();
    for (_, cells) in &t.rows {
        let clean = |s: &str| s.replace('`', "").trim().to_string();
        let name = clean(&cells[0]);
        // "(none yet)" rows keep the table non-empty.
        if name.starts_with('(') {
            continue;
        }
        let c = clean(cells.get(krate).map(String::as_str).unwrap_or(""));
        set.insert((c, name));
    }
    Ok(set)
}

/// The differences between the sources and the registry.
pub fn compare(found: &BTreeSet<Ignored>, listed: &BTreeSet<Ignored>) -> Vec<String> {
    let mut problems = Vec::new();
    for (c, t) in found.difference(listed) {
        problems.push(format!(
            "{c}: test `{t}` is ignored under Miri but not listed in book/safety.md (add a row saying why)"
        ));
    }
    for (c, t) in listed.difference(found) {
        problems.push(format!(
            "{c}: book/safety.md lists `{t}` as ignored under Miri, but no such ignored test exists"
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ignored_tests() {
        let src = "#[test]\n#[cfg_attr(miri, ignore)] // needs syscalls\nfn real_brk() {}\n\n#[test]\nfn plain() {}\n#[cfg_attr( miri , ignore = \"why\" )]\n#[test]\npub fn other_one() {}\n";
        assert_eq!(ignored_in(src), ["real_brk", "other_one"]);
    }

    #[test]
    fn registry_and_sources_must_agree() {
        let chapter = "| Ignored under Miri | Crate | Why |\n|---|---|---|\n| `real_brk` | `vibix_abi` | syscalls |\n| (none yet) | | |\n";
        let listed = registry(chapter).unwrap();
        let pair = |c: &str, t: &str| (c.to_string(), t.to_string());
        assert_eq!(listed, BTreeSet::from([pair("vibix_abi", "real_brk")]));
        assert!(compare(&listed, &listed).is_empty());
        let found = BTreeSet::from([pair("vibix_abi", "real_brk"), pair("kcore", "new_one")]);
        let p = compare(&found, &listed);
        assert_eq!(p.len(), 1);
        assert!(p[0].contains("`new_one` is ignored under Miri but not listed"));
        let p = compare(&BTreeSet::new(), &listed);
        assert!(p[0].contains("no such ignored test exists"));
        assert!(registry("no table").is_err());
    }
}
