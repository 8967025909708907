//! `runner book preprocess`: the book's mdBook preprocessor (`[preprocessor.vibix]`
//! in `book.toml`), speaking mdBook's protocol: `… supports RENDERER` exits
//! 0 (every renderer is fine), and a plain run reads `[context, book]` as
//! JSON on stdin and writes the book back on stdout.
//!
//! It runs before mdBook's own `links` preprocessor, on the chapters as
//! written, and
//!
//! - fails on every `{{#include}}` whose file or anchor is missing
//!   (`includes.rs`), and on every code-block problem (`blocks.rs`), naming
//!   the chapter line;
//! - under each runnable block's expected output, adds the command that runs
//!   it (`cargo runner book run phase0/hello`), and marks the block
//!   `noplayground`, since it is no program for the Rust playground;
//! - fills the Safety chapter's table of `unsafe` per crate, counted from
//!   the sources at build time (`crate::safety::unsafe_count`).

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use super::blocks::{self, Runnable};
use super::includes;

/// The line added under a runnable block's expected output.
pub fn run_line(block: &Runnable) -> String {
    format!(
        "*Run it:* `cargo runner book run {}` boots vibix with this program as init; `cargo \
         runner book test` checks that it prints the output above.",
        block.id()
    )
}

/// Reads the book from stdin, writes it back processed.
pub fn run() -> Result<()> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("cannot read mdBook's input on stdin")?;
    let output = process(&input, |p| std::fs::read_to_string(p).ok())?;
    println!("{output}");
    Ok(())
}

/// The protocol's pure part: `[context, book]` in, book out. `read` reads
/// an included file (`None` if it cannot).
pub fn process(input: &str, read: impl Fn(&Path) -> Option<String>) -> Result<String> {
    let value: Value =
        serde_json::from_str(input).context("mdBook's input is not the JSON it should be")?;
    let Value::Array(mut parts) = value else {
        bail!("mdBook's input is not a [context, book] pair");
    };
    if parts.len() != 2 {
        bail!("mdBook's input is not a [context, book] pair");
    }
    let mut book = parts.pop().unwrap_or_default();
    let context = parts.pop().unwrap_or_default();
    let root = PathBuf::from(context["root"].as_str().unwrap_or("."));
    let src = context["config"]["book"]["src"].as_str().unwrap_or("src");
    let mut problems = Vec::new();
    for_each_chapter(&mut book, &mut |chapter| {
        let Some(source) = chapter.get("source_path").and_then(Value::as_str) else {
            return;
        };
        let shown = Path::new(src).join(source);
        let chapter_dir = root.join(src).join(source);
        let chapter_dir = chapter_dir.parent().unwrap_or(&root);
        let content = chapter
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        for inc in includes::find(&content) {
            let file = chapter_dir.join(&inc.path);
            let shown_file = file
                .strip_prefix(&root)
                .map(|p| normalise(p).display().to_string())
                .unwrap_or_else(|_| inc.path.clone());
            if let Err(e) = includes::check(&inc, read(&file).as_deref(), &shown_file) {
                problems.push(format!("{}:{}: {e}", shown.display(), inc.line));
            }
        }
        // The Safety chapter's table of `unsafe` per crate, counted now.
        let content = match crate::safety::fill_generated(&content, &root) {
            Ok(filled) => filled,
            Err(e) => {
                problems.push(format!("{}: {e:#}", shown.display()));
                content
            }
        };
        let found = blocks::extract(&shown, &content);
        problems.extend(found.problems.iter().map(|p| p.to_string()));
        chapter.insert(
            "content".into(),
            Value::String(annotate(&content, &found.runnable)),
        );
    });
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        bail!(
            "the book has {} problem{} (above)",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
    }
    Ok(serde_json::to_string(&book)?)
}

/// `a/b/../c` → `a/c`, for messages.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Calls `f` on every chapter of the book (mdBook 0.5 keeps them in
/// `items`, 0.4 in `sections`; sub-chapters are in `sub_items`).
fn for_each_chapter(value: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Array(items) => {
            for item in items {
                for_each_chapter(item, f);
            }
        }
        Value::Object(map) if map.contains_key("content") && map.contains_key("sub_items") => {
            f(map);
            if let Some(sub) = map.get_mut("sub_items") {
                for_each_chapter(sub, f);
            }
        }
        Value::Object(map) => {
            for (_, v) in map.iter_mut() {
                for_each_chapter(v, f);
            }
        }
        _ => {}
    }
}

/// The chapter with the run line under each runnable block and its fence
/// marked `noplayground`.
fn annotate(content: &str, runnable: &[Runnable]) -> String {
    let mut out = String::with_capacity(content.len());
    for (i, line) in content.lines().enumerate() {
        let number = i + 1;
        match runnable.iter().find(|b| b.line == number) {
            Some(_) => {
                let fence_end = line.len() - line.trim_start_matches([' ', '`', '~']).len();
                out.push_str(&line[..fence_end]);
                out.push_str("rust,noplayground");
            }
            None => out.push_str(line),
        }
        out.push('\n');
        if let Some(block) = runnable.iter().find(|b| b.output_end_line == number) {
            out.push('\n');
            out.push_str(&run_line(block));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "# K\n\n```rust,vibix,phase=0,name=hi\nvrt::entry!(main);\n```\n\n\
                           ```text,output\nhi\n```\n\n{{#include ../src/a.rs:one}}\n";

    fn input(content: &str) -> String {
        let book = serde_json::json!({"items": [
            {"Chapter": {"name": "K", "content": content, "number": [1], "sub_items": [
                {"Chapter": {"name": "Sub", "content": "```rust,ignore\n```\n", "sub_items": [],
                             "path": "k/sub.md", "source_path": "k/sub.md"}}
            ], "path": "k.md", "source_path": "k.md", "parent_names": []}},
            "Separator",
            {"PartTitle": "Reference"}
        ]});
        let ctx = serde_json::json!({"root": "/r", "config": {"book": {"src": "book"}},
                                     "renderer": "html", "mdbook_version": "0.5.4"});
        serde_json::json!([ctx, book]).to_string()
    }

    fn read(p: &Path) -> Option<String> {
        (p == Path::new("/r/book/../src/a.rs"))
            .then(|| "// ANCHOR: one\nfn a() {}\n// ANCHOR_END: one\n".to_string())
    }

    #[test]
    fn annotates_runnable_blocks_and_checks_everything() {
        // The sub-chapter's unmarked `rust,ignore` is an error.
        let err = process(&input(CHAPTER), read).unwrap_err();
        assert!(err.to_string().contains("1 problem"), "{err}");

        let fixed =
            input(CHAPTER).replace("```rust,ignore", "<!-- not run: x -->\\n```rust,ignore");
        let out: Value = serde_json::from_str(&process(&fixed, read).unwrap()).unwrap();
        let content = out["items"][0]["Chapter"]["content"].as_str().unwrap();
        assert!(
            content.contains("\n```rust,noplayground\nvrt::entry!(main);\n"),
            "{content}"
        );
        assert!(content.contains(
            "```text,output\nhi\n```\n\n*Run it:* `cargo runner book run phase0/hi` boots"
        ));
        assert_eq!(out["items"][1], "Separator");
    }

    #[test]
    fn fails_on_a_missing_anchor() {
        let text = CHAPTER.replace(":one}}", ":two}}");
        let fixed = input(&text).replace("```rust,ignore", "<!-- not run: x -->\\n```rust,ignore");
        let err = process(&fixed, read).unwrap_err();
        assert!(err.to_string().contains("1 problem"));
        assert_eq!(
            normalise(Path::new("book/../src/a.rs")),
            Path::new("src/a.rs")
        );
    }
}
