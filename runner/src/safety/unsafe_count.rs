//! Counting `unsafe` per crate, for the Safety chapter's generated table:
//! `unsafe` blocks, `unsafe fn`s (including trait and extern-free
//! declarations) and `unsafe impl`s, found by parsing each source file with
//! `syn` (so comments, strings and macros' text never count).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use syn::visit::{self, Visit};
use walkdir::WalkDir;

/// What one crate (or group of files) contains.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub files: usize,
    pub blocks: usize,
    pub fns: usize,
    pub impls: usize,
}

impl std::ops::AddAssign for Count {
    fn add_assign(&mut self, o: Count) {
        self.files += o.files;
        self.blocks += o.blocks;
        self.fns += o.fns;
        self.impls += o.impls;
    }
}

/// Counts one file's text.
pub fn count_source(text: &str) -> syn::Result<Count> {
    let file = syn::parse_file(text)?;
    let mut v = Counter::default();
    v.visit_file(&file);
    Ok(Count { files: 1, ..v.0 })
}

#[derive(Default)]
struct Counter(Count);

impl<'a> Visit<'a> for Counter {
    fn visit_expr_unsafe(&mut self, e: &'a syn::ExprUnsafe) {
        self.0.blocks += 1;
        visit::visit_expr_unsafe(self, e);
    }
    fn visit_signature(&mut self, s: &'a syn::Signature) {
        if s.unsafety.is_some() {
            self.0.fns += 1;
        }
        visit::visit_signature(self, s);
    }
    fn visit_item_impl(&mut self, i: &'a syn::ItemImpl) {
        if i.unsafety.is_some() {
            self.0.impls += 1;
        }
        visit::visit_item_impl(self, i);
    }
}

/// Counts every `.rs` file under `dir` (skipping `target/`).
pub fn count_dir(dir: &Path) -> Result<Count> {
    let mut total = Count::default();
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
    {
        let entry = entry.with_context(|| format!("cannot walk {}", dir.display()))?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") && entry.file_type().is_file() {
            total += count_file(path)?;
        }
    }
    Ok(total)
}

fn count_file(path: &Path) -> Result<Count> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    count_source(&text).with_context(|| format!("cannot parse {}", path.display()))
}

/// The crates the table covers: (label, directory under the repository).
/// A directory that does not exist (a phase not landed yet) is left out.
pub fn crates(root: &Path) -> Vec<(String, PathBuf)> {
    let mut list: Vec<(String, PathBuf)> = [
        ("kernel (vibix-kernel)", "kernel/src"),
        ("kcore", "kernel/kcore/src"),
        ("vibix_uapi", "kernel/uapi/src"),
        ("vrt and the phase-0 test programs", "kernel/user/src"),
        ("runner", "runner/src"),
    ]
    .iter()
    .map(|(l, d)| (l.to_string(), root.join(d)))
    .collect();
    // Each landed phase: its crates (directories with a Cargo.toml) and its
    // std port files.
    if let Ok(entries) = std::fs::read_dir(root.join("phases")) {
        let mut phases: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        phases.sort();
        for phase in phases {
            let name = phase
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            for (label, dir) in phase_parts(&phase) {
                list.push((format!("{name}: {label}"), dir));
            }
        }
    }
    list.retain(|(_, d)| d.is_dir());
    list
}

fn phase_parts(phase: &Path) -> Vec<(String, PathBuf)> {
    let mut parts = Vec::new();
    if phase.join("Cargo.toml").is_file() {
        parts.push(("test programs".to_string(), phase.join("src")));
    }
    if let Ok(entries) = std::fs::read_dir(phase) {
        let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        dirs.sort();
        for dir in dirs {
            let name = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if name == "std-port" {
                parts.push(("std port (our files)".to_string(), dir));
            } else if dir.join("Cargo.toml").is_file() {
                parts.push((name, dir.join("src")));
            }
        }
    }
    parts
}

/// The generated Markdown table.
pub fn render(rows: &[(String, Count)]) -> String {
    let mut s = String::from(
        "| crate | files | `unsafe` blocks | `unsafe fn` | `unsafe impl` |\n|---|--:|--:|--:|--:|\n",
    );
    let mut total = Count::default();
    for (label, c) in rows {
        s.push_str(&format!(
            "| {label} | {} | {} | {} | {} |\n",
            c.files, c.blocks, c.fns, c.impls
        ));
        total += *c;
    }
    s.push_str(&format!(
        "| **all** | {} | {} | {} | {} |\n",
        total.files, total.blocks, total.fns, total.impls
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_blocks_fns_and_impls_not_text() {
        let src = r#"
            // unsafe { in a comment }
            const S: &str = "unsafe { in a string }";
            unsafe fn f() {}
            struct T;
            unsafe impl Send for T {}
            trait Tr { unsafe fn g(&self); fn h(&self); }
            impl T {
                pub unsafe fn i(&self) { unsafe { f() } }
            }
            fn main() {
                let x = unsafe { 1 } + unsafe { unsafe { 2 } };
                let _c = || unsafe { f() };
            }
        "#;
        let c = count_source(src).unwrap();
        assert_eq!(
            c,
            Count {
                files: 1,
                blocks: 5,
                fns: 3,
                impls: 1
            }
        );
    }

    #[test]
    fn reports_unparsable_files() {
        assert!(count_source("fn broken( {").is_err());
    }

    #[test]
    fn renders_a_total_row() {
        let one = Count {
            files: 2,
            blocks: 3,
            fns: 1,
            impls: 0,
        };
        let table = render(&[("a".into(), one), ("b".into(), one)]);
        assert!(table.contains("| a | 2 | 3 | 1 | 0 |\n"));
        assert!(table.ends_with("| **all** | 4 | 6 | 2 | 0 |\n"));
    }
}
