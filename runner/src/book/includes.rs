//! Checking `{{#include FILE:ANCHOR}}` (and `#rustdoc_include`, ranges,
//! `#playground`) before mdBook expands them: mdBook only logs a missing
//! file and silently includes nothing for a missing anchor, so a renamed
//! anchor in the kernel would quietly empty a listing. Here either fails the
//! build, naming the chapter line.
//!
//! Anchors are mdBook's: a line containing `ANCHOR: name` starts the
//! region, one containing `ANCHOR_END: name` ends it; both must exist, in
//! that order, with something between them.

/// What part of the file an include takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    All,
    Anchor(String),
    /// 1-based first line and last line (inclusive), as written.
    Range(Option<usize>, Option<usize>),
}

/// One `{{#…}}` directive that names a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// 1-based line in the chapter.
    pub line: usize,
    /// The whole directive, for messages.
    pub text: String,
    /// The file, relative to the chapter's directory.
    pub path: String,
    pub selector: Selector,
}

/// mdBook's reading of `FILE:…` (see its `parse_range_or_anchor`).
fn parse_target(arg: &str) -> (String, Selector) {
    let (path, rest) = match arg.split_once(':') {
        Some((p, r)) => (p, Some(r)),
        None => (arg, None),
    };
    let selector = match rest {
        None => Selector::All,
        Some(rest) => {
            let mut parts = rest.splitn(3, ':');
            let first = parts.next().unwrap_or("");
            let second = parts.next();
            match (first.parse::<usize>(), first.is_empty()) {
                (Ok(start), _) => match second {
                    None => Selector::Range(Some(start), Some(start)),
                    Some(end) => Selector::Range(Some(start), end.parse().ok()),
                },
                (Err(_), true) => match second.and_then(|e| e.parse().ok()) {
                    Some(end) => Selector::Range(None, Some(end)),
                    None => Selector::All,
                },
                (Err(_), false) => Selector::Anchor(first.to_owned()),
            }
        }
    };
    (path.to_owned(), selector)
}

/// Every file-naming directive of a chapter (escaped `\{{#…}}` excluded).
pub fn find(text: &str) -> Vec<Include> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(at) = line[from..].find("{{").map(|a| a + from) {
            let Some(end) = line[at..].find("}}").map(|e| e + at) else {
                break;
            };
            from = end + 2;
            if line[..at].ends_with('\\') {
                continue;
            }
            let inner = line[at + 2..end].trim_start();
            let Some(inner) = inner.strip_prefix('#') else {
                continue;
            };
            let mut words = inner.split_whitespace();
            let (Some(kind), Some(arg)) = (words.next(), words.next()) else {
                continue;
            };
            let (path, selector) = match kind {
                "include" | "rustdoc_include" => parse_target(arg),
                "playground" | "playpen" => (arg.to_owned(), Selector::All),
                _ => continue,
            };
            out.push(Include {
                line: i + 1,
                text: line[at..end + 2].to_owned(),
                path,
                selector,
            });
        }
    }
    out
}

/// The name after `key` on `line` (`ANCHOR: name`), as mdBook reads it.
fn anchor_on<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let at = line.find(key)?;
    let rest = line[at + key.len()..].trim_start();
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

/// Checks that `content` (the included file, `None` if it cannot be read)
/// has what `inc` takes; `shown` names the file in messages.
pub fn check(inc: &Include, content: Option<&str>, shown: &str) -> Result<(), String> {
    let Some(content) = content else {
        return Err(format!(
            "{} names {shown}, which does not exist (paths are relative to the chapter's \
             directory)",
            inc.text
        ));
    };
    match &inc.selector {
        Selector::All => Ok(()),
        Selector::Anchor(name) => {
            let lines: Vec<&str> = content.lines().collect();
            let start = lines
                .iter()
                .position(|l| anchor_on(l, "ANCHOR:") == Some(name.as_str()));
            let Some(start) = start else {
                return Err(format!(
                    "{}: {shown} has no anchor `{name}`: mark the lines with `// ANCHOR: {name}` \
                     and `// ANCHOR_END: {name}`, or fix the anchor's name",
                    inc.text
                ));
            };
            let end = lines[start + 1..]
                .iter()
                .position(|l| anchor_on(l, "ANCHOR_END:") == Some(name.as_str()));
            match end {
                None => Err(format!(
                    "{}: {shown} opens anchor `{name}` on line {} but never closes it: add \
                     `// ANCHOR_END: {name}`",
                    inc.text,
                    start + 1
                )),
                Some(0) => Err(format!(
                    "{}: anchor `{name}` in {shown} encloses no lines",
                    inc.text
                )),
                Some(_) => Ok(()),
            }
        }
        Selector::Range(start, end) => {
            let count = content.lines().count();
            let last = end.or(*start).unwrap_or(count);
            if start.is_some_and(|s| s == 0 || s > count) || last > count {
                Err(format!(
                    "{}: {shown} has {count} lines, fewer than the range asks for; prefer an \
                     anchor, which follows the code when it moves",
                    inc.text
                ))
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directives() {
        let text = "a {{#include ../k/x.rs:trapframe}} b\n\
                    \\{{#include escaped.rs}}\n\
                    {{ #rustdoc_include y.rs:2:5 }} {{#title T}} {{#playground p.rs editable}}\n\
                    {{#include z.rs::3}} {{#include w.rs:4}} {{#include v.rs:4:}}\n";
        let f = find(text);
        let got: Vec<(usize, &str, Selector)> = f
            .iter()
            .map(|i| (i.line, i.path.as_str(), i.selector.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (1, "../k/x.rs", Selector::Anchor("trapframe".into())),
                (3, "y.rs", Selector::Range(Some(2), Some(5))),
                (3, "p.rs", Selector::All),
                (4, "z.rs", Selector::Range(None, Some(3))),
                (4, "w.rs", Selector::Range(Some(4), Some(4))),
                (4, "v.rs", Selector::Range(Some(4), None)),
            ]
        );
        assert_eq!(f[0].text, "{{#include ../k/x.rs:trapframe}}");
    }

    fn include(selector: Selector) -> Include {
        Include {
            line: 1,
            text: "{{#include f.rs:x}}".into(),
            path: "f.rs".into(),
            selector,
        }
    }

    #[test]
    fn checks_anchors() {
        let file = "// ANCHOR: a\nfn a() {}\n// ANCHOR_END: a\n// ANCHOR: ab\n// ANCHOR: empty\n\
                    // ANCHOR_END: empty\n";
        let anchor = |n: &str| check(&include(Selector::Anchor(n.into())), Some(file), "f.rs");
        assert_eq!(anchor("a"), Ok(()));
        assert!(anchor("b").unwrap_err().contains("has no anchor `b`"));
        assert!(anchor("ab").unwrap_err().contains("never closes it"));
        assert!(anchor("empty").unwrap_err().contains("encloses no lines"));
        let missing = check(&include(Selector::All), None, "f.rs").unwrap_err();
        assert!(missing.contains("does not exist"));
        assert_eq!(
            anchor_on("x ANCHOR:  trap-frame_2 y", "ANCHOR:"),
            Some("trap-frame_2")
        );
        assert_eq!(anchor_on("ANCHOR_END: a", "ANCHOR:"), None);
    }

    #[test]
    fn checks_ranges() {
        let file = "1\n2\n3\n";
        let range = |s, e| check(&include(Selector::Range(s, e)), Some(file), "f.rs");
        assert_eq!(range(Some(1), Some(3)), Ok(()));
        assert_eq!(range(Some(2), None), Ok(()));
        assert_eq!(range(None, Some(3)), Ok(()));
        assert!(range(Some(2), Some(4)).is_err());
        assert!(range(Some(4), None).is_err());
        assert!(range(Some(0), Some(1)).is_err());
    }
}
