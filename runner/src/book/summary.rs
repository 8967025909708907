//! Every Markdown file under `book/` must be a chapter: listed in
//! `SUMMARY.md`. mdBook itself only reads what the summary lists, so an
//! unlisted file would never be built, link-checked or shown.

use std::path::Path;

/// The chapter files `SUMMARY.md` links to, relative to `book/` (draft
/// chapters, `[Title]()`, have none).
pub fn listed(summary: &str) -> Vec<String> {
    let mut files = Vec::new();
    for line in summary.lines() {
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            rest = &rest[start + 2..];
            let Some(end) = rest.find(')') else { break };
            let target = rest[..end].trim();
            let target = target.split('#').next().unwrap_or("");
            let target = target.strip_prefix("./").unwrap_or(target);
            if !target.is_empty() {
                files.push(target.replace("%20", " "));
            }
            rest = &rest[end..];
        }
    }
    files
}

/// What is wrong between the summary and the files: unlisted files and
/// listed files that do not exist. `files` are relative to `book/`, with `/`.
pub fn check(summary: &str, files: &[String]) -> Vec<String> {
    let listed = listed(summary);
    let mut problems = Vec::new();
    for file in files {
        if file != "SUMMARY.md" && !listed.contains(file) {
            problems.push(format!(
                "book/{file} is not listed in book/SUMMARY.md, so mdBook never builds it: add \
                 `- [Title]({file})` where it belongs, or delete the file"
            ));
        }
    }
    for file in &listed {
        if !files.contains(file) {
            problems.push(format!(
                "book/SUMMARY.md lists {file}, which does not exist under book/"
            ));
        }
    }
    problems
}

/// `path` relative to `book_dir`, with `/` separators.
pub fn relative(book_dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(book_dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "# Summary\n\n[Introduction](introduction.md)\n\n\
                           - [Kernel](kernel.md)\n  - [Sub](./kernel/sub.md#part)\n\
                           - [Draft]()\n\n# Reference\n\n- [Runner](reference/runner.md)\n";

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lists_chapters() {
        assert_eq!(
            listed(SUMMARY),
            [
                "introduction.md",
                "kernel.md",
                "kernel/sub.md",
                "reference/runner.md"
            ]
        );
    }

    #[test]
    fn finds_unlisted_and_missing_files() {
        let files = strings(&[
            "SUMMARY.md",
            "introduction.md",
            "kernel.md",
            "kernel/sub.md",
            "reference/runner.md",
        ]);
        assert!(check(SUMMARY, &files).is_empty());
        let files = strings(&[
            "SUMMARY.md",
            "introduction.md",
            "kernel.md",
            "kernel/sub.md",
            "reference/glossary.md",
        ]);
        let p = check(SUMMARY, &files);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("book/reference/glossary.md is not listed"));
        assert!(p[1].contains("lists reference/runner.md, which does not exist"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/r/book"), Path::new("/r/book/reference/x.md")),
            "reference/x.md"
        );
    }
}
