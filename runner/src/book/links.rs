//! The book's external links. They are not fetched (CI has no network, and
//! a remote site's mood is no reason to fail a build), but `book build`
//! lists them so that a reviewer sees every address the book points to.
//! Links inside the book and to the repository's files are checked by
//! mdbook-linkcheck2.

use super::markdown;

/// `(line, url)` of every `http(s)://` link outside code blocks: inline
/// `[text](url)`, autolinks `<url>` and reference definitions `[x]: url`.
pub fn external(text: &str) -> Vec<(usize, String)> {
    let fences = markdown::fences(text);
    let fenced = markdown::fenced_lines(&fences);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if fenced(i + 1) {
            continue;
        }
        let mut push = |url: &str| {
            if url.starts_with("http://") || url.starts_with("https://") {
                out.push((i + 1, url.to_owned()));
            }
        };
        for (open, close) in [("](", ')'), ("<", '>')] {
            let mut rest = line;
            while let Some(at) = rest.find(open) {
                rest = &rest[at + open.len()..];
                let end = rest.find(close).unwrap_or(rest.len());
                // `[t](url "title")`: the address is the first word.
                push(rest[..end].split_whitespace().next().unwrap_or(""));
                rest = &rest[end..];
            }
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[')
            && let Some((_, url)) = trimmed.split_once("]:")
        {
            push(url.split_whitespace().next().unwrap_or(""));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_external_links_outside_code() {
        let text = "See [rustup](https://rustup.rs) and <https://a.example/x>.\n\
                    [local](kernel.md) [src](../kernel/src/main.rs)\n\
                    ```sh\ncurl https://not.a.link\n[x](https://in.code)\n```\n\
                    [ref]: http://b.example \"title\"\n\
                    [t](https://c.example \"T\") <not-a-link>\n";
        assert_eq!(
            external(text),
            [
                (1, "https://rustup.rs".to_string()),
                (1, "https://a.example/x".to_string()),
                (7, "http://b.example".to_string()),
                (8, "https://c.example".to_string()),
            ]
        );
    }
}
