//! Fenced code blocks of a Markdown file, with their line numbers: the
//! small part of CommonMark the workbook's checks need.
//!
//! A fence opens with three or more backticks (or tildes), optionally
//! indented, followed by the info string (`rust,vibix,phase=0`); it closes
//! with at least as many of the same character and nothing else on the line.
//! An unclosed fence runs to the end of the file, as in CommonMark. The
//! opening fence's indentation is removed from the content lines.

/// One fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// 1-based line of the closing fence (the last line if unclosed).
    pub end_line: usize,
    /// The info string, trimmed.
    pub info: String,
    /// The content, every line ending in `\n`.
    pub body: String,
    /// The last non-blank line before the fence (outside any other fence),
    /// trimmed: where a `<!-- not run: … -->` marker goes.
    pub preceding: Option<String>,
}

/// An opening fence: its character, length, indentation and info string.
fn opening(line: &str) -> Option<(char, usize, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(ch).len();
    if len < 3 {
        return None;
    }
    let info = rest[len..].trim();
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((ch, len, indent, info))
}

fn closes(line: &str, ch: char, len: usize) -> bool {
    let rest = line.trim_start_matches(' ');
    let run = rest.len() - rest.trim_start_matches(ch).len();
    run >= len && rest[run..].trim().is_empty()
}

/// Removes up to `indent` leading spaces.
fn dedent(line: &str, indent: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(indent)..]
}

/// Every fenced code block of `text`, in order.
pub fn fences(text: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut preceding: Option<String> = None;
    let mut open: Option<(Fence, char, usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if let Some((mut fence, ch, len, indent)) = open.take() {
            if closes(line, ch, len) {
                fence.end_line = number;
                out.push(fence);
            } else {
                fence.body.push_str(dedent(line, indent));
                fence.body.push('\n');
                fence.end_line = number;
                open = Some((fence, ch, len, indent));
            }
            continue;
        }
        if let Some((ch, len, indent, info)) = opening(line) {
            let fence = Fence {
                line: number,
                end_line: number,
                info: info.to_owned(),
                body: String::new(),
                preceding: preceding.take(),
            };
            open = Some((fence, ch, len, indent));
        } else if !line.trim().is_empty() {
            preceding = Some(line.trim().to_owned());
        }
    }
    if let Some((fence, ..)) = open {
        out.push(fence);
    }
    out
}

/// The 1-based line numbers that are inside a fence (fence lines included).
pub fn fenced_lines(fences: &[Fence]) -> impl Fn(usize) -> bool + '_ {
    move |line| fences.iter().any(|f| (f.line..=f.end_line).contains(&line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fences_with_lines_and_info() {
        let text = "# Title\n\
                    \n\
                    <!-- not run: kernel code -->\n\
                    \n\
                    ```rust,ignore\n\
                    fn a() {}\n\
                    ```\n\
                    text\n\
                    ~~~~ text,output \n\
                    ```\n\
                    inner\n\
                    ~~~~\n";
        let f = fences(text);
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].line, f[0].end_line), (5, 7));
        assert_eq!(f[0].info, "rust,ignore");
        assert_eq!(f[0].body, "fn a() {}\n");
        assert_eq!(
            f[0].preceding.as_deref(),
            Some("<!-- not run: kernel code -->")
        );
        assert_eq!((f[1].line, f[1].end_line), (9, 12));
        assert_eq!(f[1].info, "text,output");
        assert_eq!(f[1].body, "```\ninner\n");
        assert_eq!(f[1].preceding.as_deref(), Some("text"));
    }

    #[test]
    fn longer_closing_fences_and_indentation() {
        let text = "  ```sh\n  a\n    b\nc\n  `````\n```\nopen to the end\n";
        let f = fences(text);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].body, "a\n  b\nc\n");
        assert_eq!((f[1].line, f[1].end_line), (6, 7));
        assert_eq!(f[1].info, "");
        assert_eq!(f[1].body, "open to the end\n");
    }

    #[test]
    fn not_fences() {
        assert!(fences("``not a fence``\n`` `\n").is_empty());
        assert!(fences("```a`b\n").is_empty());
        let f = fences("```\n```x\n```\n");
        assert_eq!(f[0].body, "```x\n");
    }

    #[test]
    fn knows_fenced_lines() {
        let f = fences("a\n```\nb\n```\nc\n");
        let inside = fenced_lines(&f);
        assert_eq!(
            (1..=5).map(&inside).collect::<Vec<_>>(),
            [false, true, true, true, false]
        );
    }
}
