//! `runner book build`: the book's static checks, then mdBook.
//!
//! 1. every Markdown file under `book/` is listed in `SUMMARY.md`;
//! 2. the generated CLI page is current; the Safety chapter's ledger,
//!    Miri registry and unsafe counts check out (`crate::safety`);
//! 3. `mdbook build` (tools installed if missing): the HTML in
//!    `target/book/html`, the preprocessor's checks (includes and anchors,
//!    code blocks) and mdbook-linkcheck2 on every link inside the book and
//!    to the repository's files;
//! 4. the external links are listed (not fetched).

use anyhow::{Context, Result, bail};

use super::{blocks, cli_ref, generated, links, mdbook, summary, tools};
use crate::Ctx;
use crate::step;

pub fn run(ctx: &Ctx, cli: clap::Command) -> Result<()> {
    let book_dir = ctx.repo.root().join("book");
    let files = blocks::markdown_files(&book_dir)?;
    let rel: Vec<String> = files
        .iter()
        .map(|f| summary::relative(&book_dir, f))
        .collect();
    let summary_path = book_dir.join("SUMMARY.md");
    let summary_text = std::fs::read_to_string(&summary_path)
        .context("cannot read book/SUMMARY.md, the book's table of contents")?;
    let problems = summary::check(&summary_text, &rel);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        bail!("the book's chapters and SUMMARY.md disagree (above)");
    }
    generated::check_fresh(ctx, cli_ref::PAGE, &cli_ref::render(cli))?;
    crate::safety::check(ctx)?;

    let bin = tools::ensure(ctx)?;
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    // Captured output: no colour codes, no backtraces from anyhow.
    let cmd = mdbook::command(ctx, &bin)?
        .arg("build")
        .env("NO_COLOR", "1")
        .env("RUST_LIB_BACKTRACE", "0");
    step::run(
        cmd,
        "building the book (mdBook, checks, link check)",
        ctx.verbose,
    )?;

    let mut external = Vec::new();
    for (file, shown) in files.iter().zip(&rel) {
        let text = std::fs::read_to_string(file)?;
        for (line, url) in links::external(&text) {
            external.push(format!("book/{shown}:{line}: {url}"));
        }
    }
    let html = ctx
        .repo
        .target_dir()
        .join("book")
        .join("html")
        .join("index.html");
    println!(
        "book built: {} ({} chapters; links inside the book and to the repository checked)",
        ctx.repo.rel(&html).display(),
        rel.len() - 1
    );
    println!("unsafe per crate (the Safety chapter's table):");
    for line in crate::safety::unsafe_table(ctx.repo.root())?.lines() {
        println!("  {line}");
    }
    println!("external links, listed but not fetched: {}", external.len());
    for link in &external {
        println!("  {link}");
    }
    Ok(())
}
