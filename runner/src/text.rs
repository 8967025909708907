//! Console text: CRLF normalisation, log tails and the first difference
//! between two outputs.
//!
//! vibix's console behaves like a Linux tty with ONLCR: every "\n" a program
//! writes reaches the serial line as "\r\n". Turning "\r\n" back into "\n"
//! gives exactly the bytes the program wrote (a program's own "\r\n" arrives
//! as "\r\r\n" and becomes "\r\n" again).

/// "\r\n" → "\n"; every other byte is kept.
pub fn normalise_crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            out.push(b'\n');
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The last `n` lines of `text` (a trailing newline does not count as an
/// empty last line).
pub fn tail_lines(text: &str, n: usize) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

/// Where two outputs first differ.
#[derive(Debug, PartialEq, Eq)]
pub struct Difference {
    /// 1-based line number.
    pub line: usize,
    /// That line on each side, `None` past the end; shown with escapes.
    pub left: Option<String>,
    pub right: Option<String>,
}

/// The first line where `left` and `right` differ, or `None` if equal.
/// Lines keep their "\n", so a missing final newline shows as a difference.
pub fn first_difference(left: &[u8], right: &[u8]) -> Option<Difference> {
    if left == right {
        return None;
    }
    let mut l = left.split_inclusive(|&b| b == b'\n');
    let mut r = right.split_inclusive(|&b| b == b'\n');
    let mut line = 1;
    loop {
        match (l.next(), r.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Some(Difference {
                    line,
                    left: a.map(show_line),
                    right: b.map(show_line),
                });
            }
        }
    }
}

/// A line for display: quoted, with control characters and invalid UTF-8
/// escaped, so that "\r" and trailing spaces are visible.
pub fn show_line(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// Lossy text of a log, with CRLF normalised.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&normalise_crlf(bytes)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_crlf_only() {
        assert_eq!(normalise_crlf(b"a\r\nb\r\n"), b"a\nb\n");
        assert_eq!(normalise_crlf(b"a\rb\n\r"), b"a\rb\n\r");
        assert_eq!(normalise_crlf(b"a\r\r\n"), b"a\r\n");
        assert_eq!(normalise_crlf(b"\r"), b"\r");
        assert_eq!(normalise_crlf(b""), b"");
        assert_eq!(normalise_crlf(b"\n\r\n\n"), b"\n\n\n");
    }

    #[test]
    fn tails() {
        assert_eq!(tail_lines("a\nb\nc\n", 2), ["b", "c"]);
        assert_eq!(tail_lines("a\nb", 5), ["a", "b"]);
        assert!(tail_lines("", 3).is_empty());
    }

    #[test]
    fn finds_first_difference() {
        assert_eq!(first_difference(b"a\nb\n", b"a\nb\n"), None);
        assert_eq!(
            first_difference(b"a\nb\nc\n", b"a\nx\nc\n"),
            Some(Difference {
                line: 2,
                left: Some("\"b\\n\"".into()),
                right: Some("\"x\\n\"".into())
            })
        );
        let d = first_difference(b"a\n", b"a\nmore\n").unwrap();
        assert_eq!(
            (d.line, d.left, d.right),
            (2, None, Some("\"more\\n\"".into()))
        );
        let d = first_difference(b"a", b"a\n").unwrap();
        assert_eq!(
            (d.line, d.left.as_deref(), d.right.as_deref()),
            (1, Some("\"a\""), Some("\"a\\n\""))
        );
    }
}
