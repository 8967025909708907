//! Generates the skeptic tests of the workbook's host code blocks.
//!
//! skeptic treats every block whose info string says `rust` as a host
//! program, but `rust,vibix,…` blocks are vibix programs that `cargo runner
//! book test` runs in QEMU. So skeptic reads copies of the chapters (in
//! OUT_DIR, names flattened: `reference/x.md` → `reference_x.md`) in which
//! those blocks' info strings say `text`; lines do not move, so test names
//! keep the chapters' line numbers.

use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let book = manifest_dir.join("../../book");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("book-md");
    println!("cargo:rerun-if-changed={}", book.display());
    std::fs::create_dir_all(&out).expect("cannot create OUT_DIR/book-md");
    let mut copies = Vec::new();
    for file in markdown_files(&book) {
        let rel = file.strip_prefix(&book).expect("under book/");
        let flat = rel.to_string_lossy().replace(['/', '\\'], "_");
        let text = std::fs::read_to_string(&file).expect("cannot read a chapter");
        let copy = out.join(flat);
        let hidden = hide_vibix_blocks(&text);
        // Rewritten only when changed, so cargo does not rerun this script.
        if std::fs::read_to_string(&copy).ok().as_deref() != Some(hidden.as_str()) {
            std::fs::write(&copy, hidden).expect("cannot write into OUT_DIR");
        }
        copies.push(copy.to_string_lossy().into_owned());
    }
    skeptic::generate_doc_tests(&copies);
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("cannot read book/")
        .map(|e| e.expect("cannot read book/").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files
}

/// The chapter with each opening fence whose info string has the word
/// `vibix` turned into a `text` fence.
fn hide_vibix_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |c| trimmed.len() - trimmed.trim_start_matches(c).len());
        let mut written = false;
        match (open, fence_char) {
            (Some((c, len)), Some(f))
                if f == c && run >= len && trimmed[run..].trim().is_empty() =>
            {
                open = None;
            }
            (None, Some(c)) if run >= 3 => {
                open = Some((c, run));
                let info = &trimmed[run..];
                if info.split([',', ' ']).any(|w| w == "vibix") {
                    out.push_str(&line[..line.len() - info.len()]);
                    out.push_str("text");
                    written = true;
                }
            }
            _ => {}
        }
        if !written {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
