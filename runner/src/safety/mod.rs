//! The Safety chapter's checks (`book/safety.md`), run by `runner book
//! build` and so by `runner test`:
//!
//! - `ledger`: the RFC review findings table; a `done` row must name tests
//!   that exist;
//! - `miri`: the tests skipped under Miri must be exactly those the
//!   chapter lists;
//! - `unsafe_count`: the table of `unsafe` per crate, which the book's
//!   preprocessor fills in between two markers at build time (so it is
//!   never stale); the check only makes sure the markers are there.
//!
//! `table` reads the chapter's Markdown tables.

pub mod ledger;
pub mod miri;
mod table;
pub mod unsafe_count;

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::{Ctx, judging::manifest, phase};

/// The chapter, relative to `book/`.
pub const CHAPTER: &str = "safety.md";

const BEGIN: &str = "<!-- filled in by the book's preprocessor: unsafe per crate -->";
const END: &str = "<!-- end of generated table -->";

/// Runs every check; fails listing all problems.
pub fn check(ctx: &Ctx) -> Result<()> {
    let root = ctx.repo.root();
    let path = root.join("book").join(CHAPTER);
    let chapter =
        std::fs::read_to_string(&path).with_context(|| format!("cannot read book/{CHAPTER}"))?;
    let mut problems = Vec::new();

    match ledger::parse(&chapter) {
        Ok(rows) => {
            let tests = qemu_tests(ctx)?;
            let read = |p: &std::path::Path| std::fs::read_to_string(root.join(p)).ok();
            problems.extend(ledger::check(&rows, &tests, &read));
        }
        Err(e) => problems.push(format!("the findings ledger: {e}")),
    }
    match miri::registry(&chapter) {
        Ok(listed) => problems.extend(miri::compare(&miri::ignored(root)?, &listed)),
        Err(e) => problems.push(e.to_string()),
    }
    if !(chapter.contains(BEGIN) && chapter.contains(END)) {
        problems.push(format!(
            "the markers of the generated unsafe table are missing:\n  {BEGIN}\n  {END}"
        ));
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        bail!("book/{CHAPTER}: {} problem(s) (above)", problems.len());
    }
    Ok(())
}

/// `text` with the generated table filled in, if `text` has the markers
/// (the preprocessor calls this on every chapter).
pub fn fill_generated(text: &str, root: &Path) -> Result<String> {
    if !text.contains(BEGIN) {
        return Ok(text.to_string());
    }
    with_generated(text, &unsafe_table(root)?)
}

/// The table of `unsafe` per crate, counted now.
pub fn unsafe_table(root: &Path) -> Result<String> {
    let mut rows = Vec::new();
    for (label, dir) in unsafe_count::crates(root) {
        rows.push((label, unsafe_count::count_dir(&dir)?));
    }
    Ok(unsafe_count::render(&rows))
}

/// Replaces what lies between the markers with `table`.
fn with_generated(chapter: &str, table: &str) -> Result<String> {
    let (Some(begin), Some(end)) = (chapter.find(BEGIN), chapter.find(END)) else {
        bail!("book/{CHAPTER} lacks the markers of its generated table:\n  {BEGIN}\n  {END}");
    };
    if end < begin {
        bail!("book/{CHAPTER}: the generated table's end marker comes before its start");
    }
    let head = &chapter[..begin + BEGIN.len()];
    Ok(format!("{head}\n{table}{}", &chapter[end..]))
}

/// Every QEMU test of every phase's manifest.
fn qemu_tests(ctx: &Ctx) -> Result<Vec<ledger::QemuTest>> {
    let mut phases = vec![phase::phase_zero(&ctx.repo)];
    phases.extend(phase::later_phases(&ctx.repo)?);
    let mut out = Vec::new();
    for p in phases.iter().filter(|p| p.landed()) {
        let file = p.tests_toml();
        for t in manifest::load(&file, ctx.repo.rel(&file))? {
            out.push(ledger::QemuTest {
                name: t.name,
                program: t.program,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_generated_part() {
        let text = format!("before\n{BEGIN}\nold | table\n{END}\nafter\n");
        let new = with_generated(&text, "| new |\n").unwrap();
        assert_eq!(new, format!("before\n{BEGIN}\n| new |\n{END}\nafter\n"));
        assert_eq!(with_generated(&new, "| new |\n").unwrap(), new);
        assert!(with_generated("no markers", "x").is_err());
        assert!(with_generated(&format!("{END}\n{BEGIN}"), "x").is_err());
    }
}
