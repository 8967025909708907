//! The findings ledger: the table in `book/safety.md` with one row per RFC
//! 0009 review finding (id, what it demands, status, the tests that check
//! it). This module parses that table and checks it:
//!
//! - every finding of the RFC has exactly one row, and no row is unknown;
//! - a status is `done`, `phase N pending` or `open` (anything after it is
//!   a comment);
//! - a `done` row names at least one test;
//! - every test named resolves: a link `[name](../path)` is either a
//!   `#[test] fn name` in that file, or a QEMU test called `name` (in a
//!   `tests.toml`) whose program is that file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::table::{self as markdown_table, Table};

/// The review findings of RFC 0009, in the RFC's order.
pub const FINDINGS: [&str; 31] = [
    "S-B1", "S-A1", "S-B2", "S-A1'", "S-A2", "S-A3", "S-A4", "S-A5", // security
    "O-B1", "O-B2", "O-A1", "O-A3", "O-A5", // OS
    "U-B1", "U-B2", "U-A1", "U-A3", "U-A4", "U-A5", // user space
    "T-B1", "T-B2", "T-A1", "T-A2", "T-A3", "T-A5", "T-A6", "T-A7", // toolchain
    "A-A2", "A-A3", "A-A5", "A-A6", // academic
];

/// Where a finding stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Done,
    Pending(u32),
    Open,
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub status: Status,
    /// `(test name, path relative to the repository root)`.
    pub tests: Vec<(String, PathBuf)>,
}

/// A QEMU test from a manifest: its name and its program's name.
#[derive(Debug, Clone)]
pub struct QemuTest {
    pub name: String,
    pub program: String,
}

/// The ledger's table is the one whose header starts with this cell.
const HEADER: &str = "Finding";

/// Parses the ledger out of the Safety chapter's text. Paths in links are
/// relative to `book/`.
pub fn parse(chapter: &str) -> Result<Vec<Row>, String> {
    let table = markdown_table::tables(chapter)
        .into_iter()
        .find(|t| t.header.first().map(String::as_str) == Some(HEADER))
        .ok_or_else(|| format!("no findings table (a table whose first column is `{HEADER}`)"))?;
    rows(&table)
}

fn rows(table: &Table) -> Result<Vec<Row>, String> {
    let col = |name: &str| {
        table
            .header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("the findings table has no `{name}` column"))
    };
    let (status_col, tests_col) = (col("Status")?, col("Checked by")?);
    let mut out = Vec::new();
    for (line, cells) in &table.rows {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let id = cell(0).trim_matches('*').trim().to_string();
        let status = parse_status(cell(status_col))
            .map_err(|e| format!("line {line}, finding {id}: {e}"))?;
        let tests = links(cell(tests_col))
            .into_iter()
            .map(|(name, target)| (name, book_relative(&target)))
            .collect();
        out.push(Row { id, status, tests });
    }
    Ok(out)
}

fn parse_status(cell: &str) -> Result<Status, String> {
    let words: Vec<&str> = cell
        .split_whitespace()
        .map(|w| w.trim_end_matches([':', ',', ';']))
        .collect();
    match words.as_slice() {
        ["done", ..] => Ok(Status::Done),
        ["open", ..] => Ok(Status::Open),
        ["phase", n, "pending", ..] => n
            .parse()
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Status::Pending)
            .ok_or_else(|| format!("`{n}` is not a phase (1 to 5)")),
        _ => Err(format!(
            "status {cell:?} is none of `done`, `phase N pending`, `open`"
        )),
    }
}

/// Every `[text](target)` link in a cell, text without backquotes.
fn links(cell: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        let text = after[..close].replace('`', "");
        let target = &after[close + 2..close + 2 + end];
        out.push((text.trim().to_string(), target.to_string()));
        rest = &after[close + 2 + end..];
    }
    out
}

/// `../kernel/x.rs` (as the chapter in `book/` links it) -> `kernel/x.rs`.
fn book_relative(target: &str) -> PathBuf {
    let target = target.split('#').next().unwrap_or(target);
    PathBuf::from(target.strip_prefix("../").unwrap_or(target))
}

/// Everything wrong with the ledger. `read` gives a repository file's text
/// (None if missing); `qemu_tests` are all manifests' tests.
pub fn check(
    rows: &[Row],
    qemu_tests: &[QemuTest],
    read: &dyn Fn(&Path) -> Option<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for row in rows {
        if !FINDINGS.contains(&row.id.as_str()) {
            problems.push(format!("`{}` is not a finding of RFC 0009", row.id));
        }
        if !seen.insert(row.id.as_str()) {
            problems.push(format!("finding {} has two rows", row.id));
        }
        if row.status == Status::Done && row.tests.is_empty() {
            problems.push(format!(
                "finding {} is marked done but names no test",
                row.id
            ));
        }
        for (name, path) in &row.tests {
            if let Err(e) = resolve(name, path, qemu_tests, read) {
                problems.push(format!("finding {}: {e}", row.id));
            }
        }
    }
    for id in FINDINGS {
        if !seen.contains(id) {
            problems.push(format!("finding {id} has no row"));
        }
    }
    problems
}

/// Whether `name` in `path` is a real test.
fn resolve(
    name: &str,
    path: &Path,
    qemu_tests: &[QemuTest],
    read: &dyn Fn(&Path) -> Option<String>,
) -> Result<(), String> {
    let shown = path.display();
    let Some(text) = read(path) else {
        return Err(format!("test `{name}`: {shown} does not exist"));
    };
    if is_test_fn(&text, name) {
        return Ok(());
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if qemu_tests
        .iter()
        .any(|t| t.name == name && t.program == stem)
    {
        return Ok(());
    }
    Err(format!(
        "`{name}` is neither a `#[test] fn {name}` in {shown} nor a QEMU test of that program"
    ))
}

/// Whether `text` has `fn name(` with `#[test]` among the attribute lines
/// right above it.
fn is_test_fn(text: &str, name: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let signature = format!("fn {name}(");
    lines.iter().enumerate().any(|(i, line)| {
        line.trim_start().starts_with(&signature)
            && lines[..i]
                .iter()
                .rev()
                .map(|l| l.trim())
                .take_while(|l| l.starts_with("#[") || l.starts_with("//"))
                .any(|l| l == "#[test]")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&str]) -> String {
        let mut s = String::from(
            "Intro.\n\n| Finding | Demands | Status | Checked by |\n|---|---|---|---|\n",
        );
        for r in rows {
            s.push_str(r);
            s.push('\n');
        }
        s
    }

    fn files(path: &Path) -> Option<String> {
        match path.to_str()? {
            "kernel/kcore/src/a.rs" => Some("#[test]\nfn works() {}\nfn helper() {}\n".into()),
            "kernel/user/src/bin/efault.rs" => Some("//! efault\n".into()),
            _ => None,
        }
    }

    fn qemu() -> Vec<QemuTest> {
        vec![QemuTest {
            name: "efault".into(),
            program: "efault".into(),
        }]
    }

    #[test]
    fn parses_rows() {
        let text = table(&[
            "| **S-A4** | EFAULT | done | [`efault`](../kernel/user/src/bin/efault.rs), [works](../kernel/kcore/src/a.rs#L2) |",
            "| O-B2 | futex | phase 3 pending (threads) | |",
            "| T-A1 | red zone | open: no test yet | |",
        ]);
        let rows = parse(&text).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].id, "S-A4");
        assert_eq!(rows[0].status, Status::Done);
        assert_eq!(
            rows[0].tests,
            [
                (
                    "efault".to_string(),
                    PathBuf::from("kernel/user/src/bin/efault.rs")
                ),
                ("works".to_string(), PathBuf::from("kernel/kcore/src/a.rs")),
            ]
        );
        assert_eq!(rows[1].status, Status::Pending(3));
        assert_eq!(rows[2].status, Status::Open);
        assert!(rows[1].tests.is_empty());
    }

    #[test]
    fn rejects_bad_statuses_and_missing_tables() {
        assert!(
            parse("no table here")
                .unwrap_err()
                .contains("no findings table")
        );
        for bad in ["finished", "phase 9 pending", "phase x pending", ""] {
            let text = table(&[&format!("| S-A4 | x | {bad} | |")]);
            assert!(parse(&text).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_complete_valid_ledger_has_no_problems() {
        let rows: Vec<Row> = FINDINGS
            .iter()
            .map(|id| Row {
                id: id.to_string(),
                status: Status::Done,
                tests: vec![("efault".into(), "kernel/user/src/bin/efault.rs".into())],
            })
            .collect();
        assert_eq!(check(&rows, &qemu(), &files), Vec::<String>::new());
    }

    #[test]
    fn finds_every_kind_of_problem() {
        let row = |id: &str, status, tests: &[(&str, &str)]| Row {
            id: id.into(),
            status,
            tests: tests
                .iter()
                .map(|(n, p)| (n.to_string(), PathBuf::from(p)))
                .collect(),
        };
        let rows = vec![
            row("S-A4", Status::Done, &[]),
            row("S-A4", Status::Open, &[]),
            row("X-Y9", Status::Open, &[]),
            row("S-A5", Status::Done, &[("helper", "kernel/kcore/src/a.rs")]),
            row(
                "U-A4",
                Status::Done,
                &[("gone", "kernel/user/src/bin/gone.rs")],
            ),
            row(
                "U-A5",
                Status::Done,
                &[("other", "kernel/user/src/bin/efault.rs")],
            ),
        ];
        let problems = check(&rows, &qemu(), &files);
        let has = |s: &str| problems.iter().any(|p| p.contains(s));
        assert!(has("finding S-A4 is marked done but names no test"));
        assert!(has("finding S-A4 has two rows"));
        assert!(has("`X-Y9` is not a finding"));
        assert!(has("finding S-A5: `helper` is neither"));
        assert!(has("gone.rs does not exist"));
        assert!(has("finding U-A5: `other` is neither"));
        assert!(has("finding S-B1 has no row"));
        // 31 findings, 4 of them have rows.
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.ends_with("has no row"))
                .count(),
            27
        );
    }

    #[test]
    fn test_attribute_must_precede_the_fn() {
        assert!(is_test_fn(
            "#[test]\n#[cfg_attr(miri, ignore)]\nfn t() {}",
            "t"
        ));
        assert!(!is_test_fn("fn t() {}\n#[test]\nfn u() {}", "t"));
        assert!(!is_test_fn("#[test]\nfn tt() {}", "t"));
        assert!(!is_test_fn("#[test]\nfn a() {}\nfn t() {}", "t"));
    }
}
