//! The code blocks of the workbook: which run in QEMU (with their expected
//! output), which run on the host, which are not run and why, and what is
//! wrong with the rest.
//!
//! A block that is not run must say why, on the last non-blank line before
//! it: `<!-- not run: kernel code, shown from the source -->`. An HTML comment
//! is invisible in the rendered book and stays next to the block it excuses.
//!
//! A vibix block's id is `phase<N>/<name>`: `name=` from its info string, or
//! `<file stem>-<k>` for the k-th vibix block of the file. Names are unique
//! across the book. Lines starting with `# ` are hidden by mdBook but part of
//! the program, as in rustdoc.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use super::info::{self, Kind};
use super::markdown::{self, Fence};

/// A block that runs in QEMU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runnable {
    /// The Markdown file, as shown in messages (`book/kernel.md`).
    pub file: PathBuf,
    /// The line of its opening fence.
    pub line: usize,
    pub phase: u32,
    pub name: String,
    /// The status `main` must return.
    pub exit: i32,
    /// The program, with mdBook's hidden-line markers removed.
    pub code: String,
    /// What it must print (stdout and stderr, as on the console).
    pub expected: String,
    /// The lines of the expected-output fence.
    pub output_line: usize,
    pub output_end_line: usize,
}

impl Runnable {
    /// `phase0/hello`.
    pub fn id(&self) -> String {
        format!("phase{}/{}", self.phase, self.name)
    }

    /// `book/kernel.md:120`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }
}

/// A block that is not run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRun {
    pub file: PathBuf,
    pub line: usize,
    pub reason: String,
}

/// Something wrong with a block: where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// The blocks of one file or of the whole book.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Blocks {
    pub runnable: Vec<Runnable>,
    /// Where the host blocks are (file, line).
    pub host: Vec<(PathBuf, usize)>,
    pub not_run: Vec<NotRun>,
    pub problems: Vec<Problem>,
}

/// The reason in `<!-- not run: REASON -->`, if `line` is such a marker
/// (`Some("")` for a marker without a reason).
pub fn marker_reason(line: &str) -> Option<&str> {
    let inner = line.strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    inner.strip_prefix("not run:").map(str::trim)
}

/// Removes mdBook's hidden-line markers: `# code` → `code`, `#` → empty.
pub fn unhide(body: &str) -> String {
    body.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("# ") {
                rest
            } else if trimmed == "#" {
                ""
            } else {
                line
            }
        })
        .flat_map(|l| [l, "\n"])
        .collect()
}

/// The default name of the `k`-th vibix block of a file: `<stem>-<k>`.
fn default_name(file: &Path, k: usize) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = format!("{stem}-{k}");
    if info::check_name(&name).is_ok() {
        name
    } else {
        format!("block-{name}")
    }
}

/// The blocks of one Markdown file; `file` is how messages name it.
pub fn extract(file: &Path, text: &str) -> Blocks {
    let mut blocks = Blocks::default();
    let problem = |line: usize, message: String| Problem {
        file: file.to_path_buf(),
        line,
        message,
    };
    let mut pending: Option<Runnable> = None;
    let mut vibix_count = 0;
    for fence in markdown::fences(text) {
        let kind = match info::parse(&fence.info) {
            Ok(kind) => kind,
            Err(e) => {
                blocks.problems.push(problem(fence.line, e));
                continue;
            }
        };
        if let Some(block) = pending.take() {
            if kind == Kind::Output {
                blocks.runnable.push(Runnable {
                    expected: fence.body.clone(),
                    output_line: fence.line,
                    output_end_line: fence.end_line,
                    ..block
                });
                check_no_marker(&fence, "its expected output", &mut blocks, file);
                continue;
            }
            blocks
                .problems
                .push(problem(block.line, no_output_message()));
        }
        match kind {
            Kind::Vibix(attrs) => {
                vibix_count += 1;
                check_no_marker(&fence, "a block that runs in QEMU", &mut blocks, file);
                pending = Some(Runnable {
                    file: file.to_path_buf(),
                    line: fence.line,
                    phase: attrs.phase,
                    name: attrs
                        .name
                        .unwrap_or_else(|| default_name(file, vibix_count)),
                    exit: attrs.exit,
                    code: unhide(&fence.body),
                    expected: String::new(),
                    output_line: 0,
                    output_end_line: 0,
                });
            }
            Kind::Output => blocks.problems.push(problem(
                fence.line,
                "a `text,output` block must come right after the `rust,vibix,…` block whose \
                 output it is"
                    .into(),
            )),
            Kind::Host => {
                check_no_marker(&fence, "a block that runs on the host", &mut blocks, file);
                blocks.host.push((file.to_path_buf(), fence.line));
            }
            Kind::NotRun(word) => match fence.preceding.as_deref().and_then(marker_reason) {
                Some(reason) if !reason.is_empty() => blocks.not_run.push(NotRun {
                    file: file.to_path_buf(),
                    line: fence.line,
                    reason: reason.to_owned(),
                }),
                Some(_) => blocks.problems.push(problem(
                    fence.line,
                    "the `<!-- not run: … -->` marker before this block gives no reason; say \
                     why it is not run"
                        .into(),
                )),
                None => blocks.problems.push(problem(
                    fence.line,
                    format!(
                        "this `{}` block is not run (`{word}`) and does not say why: put \
                         `<!-- not run: REASON -->` on the line before it, or make it run \
                         (`rust` on the host, `rust,vibix,phase=N` in QEMU)",
                        fence.info
                    ),
                )),
            },
            Kind::Other => check_no_marker(&fence, "a block that is not Rust", &mut blocks, file),
        }
    }
    if let Some(block) = pending {
        blocks
            .problems
            .push(problem(block.line, no_output_message()));
    }
    blocks
}

fn no_output_message() -> String {
    "a `rust,vibix,…` block needs its expected output: follow it with a ```text,output block \
     holding exactly what the program prints (an empty block if it prints nothing)"
        .into()
}

/// A marker before a block that needs none is a mistake (a stale marker).
fn check_no_marker(fence: &Fence, what: &str, blocks: &mut Blocks, file: &Path) {
    if fence.preceding.as_deref().and_then(marker_reason).is_some() {
        blocks.problems.push(Problem {
            file: file.to_path_buf(),
            line: fence.line,
            message: format!(
                "a `<!-- not run: … -->` marker stands before {what} (info `{}`); remove it",
                fence.info
            ),
        });
    }
}

/// Every Markdown file under `book_dir`, sorted.
pub fn markdown_files(book_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(book_dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", book_dir.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// The blocks of every Markdown file under `book_dir`; files are named
/// relative to `root` in messages.
pub fn scan(root: &Path, book_dir: &Path) -> Result<Blocks> {
    let mut all = Blocks::default();
    for path in markdown_files(book_dir)? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let shown = path.strip_prefix(root).unwrap_or(&path);
        let mut blocks = extract(shown, &text);
        all.runnable.append(&mut blocks.runnable);
        all.host.append(&mut blocks.host);
        all.not_run.append(&mut blocks.not_run);
        all.problems.append(&mut blocks.problems);
    }
    all.problems.extend(duplicate_names(&all.runnable));
    Ok(all)
}

/// Block names used twice.
fn duplicate_names(runnable: &[Runnable]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, block) in runnable.iter().enumerate() {
        if let Some(first) = runnable[..i].iter().find(|b| b.name == block.name) {
            problems.push(Problem {
                file: block.file.clone(),
                line: block.line,
                message: format!(
                    "the block name `{}` is already used at {}; names are unique across the \
                     book (set another with `name=`)",
                    block.name,
                    first.location()
                ),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "# Chapter\n\
\n\
```rust,vibix,phase=0,name=hello\n\
# #![no_std]\n\
vrt::entry!(main);\n\
```\n\
\n\
```text,output\n\
hello\n\
```\n\
\n\
<!-- not run: kernel code -->\n\
```rust,ignore\n\
{{#include ../kernel/src/x.rs:a}}\n\
```\n\
\n\
```rust\n\
fn main() {}\n\
```\n\
\n\
```sh\n\
cargo runner test\n\
```\n\
\n\
```rust,vibix,phase=1,exit=2\n\
```\n\
```text,output\n\
```\n";

    #[test]
    fn extracts_every_kind() {
        let b = extract(Path::new("book/ch.md"), CHAPTER);
        assert_eq!(b.problems, []);
        assert_eq!(b.runnable.len(), 2);
        let hello = &b.runnable[0];
        assert_eq!(hello.id(), "phase0/hello");
        assert_eq!(hello.location(), "book/ch.md:3");
        assert_eq!(hello.code, "#![no_std]\nvrt::entry!(main);\n");
        assert_eq!(hello.expected, "hello\n");
        assert_eq!((hello.output_line, hello.output_end_line), (8, 10));
        let second = &b.runnable[1];
        assert_eq!((second.id(), second.exit), ("phase1/ch-2".to_owned(), 2));
        assert_eq!(second.expected, "");
        assert_eq!(b.host, [(PathBuf::from("book/ch.md"), 17)]);
        assert_eq!(
            b.not_run,
            [NotRun {
                file: "book/ch.md".into(),
                line: 13,
                reason: "kernel code".into()
            }]
        );
    }

    fn problems(text: &str) -> Vec<String> {
        extract(Path::new("b.md"), text)
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn reports_problems_with_their_lines() {
        let p = problems("```rust,ignore\n```\n");
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("b.md:1: this `rust,ignore` block is not run"),
            "{p:?}"
        );

        let p = problems("<!-- not run: -->\n```rust,no_run\n```\n");
        assert!(
            p[0].starts_with("b.md:2: ") && p[0].contains("gives no reason"),
            "{p:?}"
        );

        let p = problems("```rust,vibix,phase=0\n```\n\n```sh\n```\n");
        assert!(p[0].starts_with("b.md:1: ") && p[0].contains("needs its expected output"));

        let p = problems("```rust,vibix,phase=0\n```\n");
        assert!(p[0].contains("needs its expected output"));

        let p = problems("text\n```text,output\n```\n");
        assert!(p[0].starts_with("b.md:2: ") && p[0].contains("must come right after"));

        let p = problems("<!-- not run: old -->\n```rust\n```\n");
        assert!(p[0].contains("marker stands before a block that runs on the host"));

        let p = problems("```rust,vibix\n```\n");
        assert!(p[0].contains("needs its phase"));
    }

    #[test]
    fn names_must_be_unique() {
        let text = "```rust,vibix,phase=0,name=a\n```\n```text,output\n```\n\
                    ```rust,vibix,phase=0,name=a\n```\n```text,output\n```\n";
        let b = extract(Path::new("b.md"), text);
        let dups = duplicate_names(&b.runnable);
        assert_eq!(dups.len(), 1);
        assert!(
            dups[0]
                .to_string()
                .starts_with("b.md:5: the block name `a` is already used at b.md:1")
        );
    }

    #[test]
    fn markers_and_hidden_lines() {
        assert_eq!(
            marker_reason("<!-- not run: kernel code -->"),
            Some("kernel code")
        );
        assert_eq!(marker_reason("<!--not run:x-->"), Some("x"));
        assert_eq!(marker_reason("<!-- note -->"), None);
        assert_eq!(marker_reason("not run: x"), None);
        assert_eq!(
            unhide("# a\n#\n  # b\n#[attr]\n#![x]\nc"),
            "a\n\nb\n#[attr]\n#![x]\nc\n"
        );
        assert_eq!(
            default_name(Path::new("book/phase1-println.md"), 2),
            "phase1-println-2"
        );
        assert_eq!(default_name(Path::new("book/1.md"), 1), "block-1-1");
    }
}
