//! The book's Performance page (`book/reference/performance.md`): its
//! prose is written by hand; the results between the two marker comments
//! are rendered from the committed `book/reference/bench-results.json`.
//! `runner bench --update-book` rewrites that file from a run and renders
//! the page; `runner book gen` renders the page from the committed file
//! (no benchmark runs in CI).

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::benching::results::Results;
use crate::benching::table;

/// The page and its results file, under `book/`.
pub const PAGE: &str = "reference/performance.md";
pub const RESULTS: &str = "reference/bench-results.json";

const BEGIN: &str = "<!-- bench-results: begin (generated from bench-results.json) -->";
const END: &str = "<!-- bench-results: end -->";

/// Writes the results file, then renders the page from it.
pub fn update(ctx: &Ctx, results: &Results) -> Result<()> {
    let path = ctx.repo.root().join("book").join(RESULTS);
    let json = serde_json::to_string_pretty(results)? + "\n";
    std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?;
    let changed = render(ctx)?;
    println!(
        "book/{RESULTS}: written; book/{PAGE}: {}",
        if changed { "updated" } else { "up to date" }
    );
    Ok(())
}

/// Renders the page's results section from the committed file; true if
/// the page changed.
pub fn render(ctx: &Ctx) -> Result<bool> {
    let book = ctx.repo.root().join("book");
    let text = std::fs::read_to_string(book.join(RESULTS))
        .with_context(|| format!("cannot read book/{RESULTS}"))?;
    let results: Results =
        serde_json::from_str(&text).with_context(|| format!("book/{RESULTS} is not valid"))?;
    let page = std::fs::read_to_string(book.join(PAGE))
        .with_context(|| format!("cannot read book/{PAGE}"))?;
    let new = splice(&page, &table::markdown(&results))?;
    crate::book::generated::write(ctx, PAGE, &new)
}

/// `page` with the text between the markers replaced by `section`.
fn splice(page: &str, section: &str) -> Result<String> {
    let (Some(begin), Some(end)) = (page.find(BEGIN), page.find(END)) else {
        bail!("book/{PAGE} lacks the marker lines `{BEGIN}` and `{END}`");
    };
    if end < begin {
        bail!("book/{PAGE}: the end marker comes before the begin marker");
    }
    Ok(format!(
        "{}{BEGIN}\n\n{}\n{}",
        &page[..begin],
        section.trim_end(),
        &page[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_between_the_markers() {
        let page = format!("# P\n\nintro\n\n{BEGIN}\nold\n{END}\n\nafter\n");
        let new = splice(&page, "new table\n").unwrap();
        assert_eq!(
            new,
            format!("# P\n\nintro\n\n{BEGIN}\n\nnew table\n{END}\n\nafter\n")
        );
        assert_eq!(splice(&new, "new table").unwrap(), new, "idempotent");
        assert!(splice("# no markers", "x").is_err());
    }
}
