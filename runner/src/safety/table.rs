//! Markdown pipe tables, as the Safety chapter writes them: a header row,
//! a `|---|` separator, then rows, each line starting with `|`. Cells are
//! trimmed; a `|` inside backquotes does not split a cell.

/// One table: its header cells and its rows (with 1-based line numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Every table in `text`, in order.
pub fn tables(text: &str) -> Vec<Table> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        if is_row(lines[i]) && is_separator(lines[i + 1]) {
            let header = cells(lines[i]);
            let mut rows = Vec::new();
            i += 2;
            while i < lines.len() && is_row(lines[i]) {
                rows.push((i + 1, cells(lines[i])));
                i += 1;
            }
            out.push(Table { header, rows });
        } else {
            i += 1;
        }
    }
    out
}

fn is_row(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

fn is_separator(line: &str) -> bool {
    is_row(line)
        && line
            .trim()
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut in_code = false;
    for c in inner.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                cell.push(c);
            }
            '|' if !in_code => out.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    out.push(cell.trim().to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tables_and_rows() {
        let text = "para\n\n| a | b |\n|---|:-:|\n| 1 | `x|y` |\n|2|3|\n\nafter\n| c |\n|--|\n";
        let t = tables(text);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].header, ["a", "b"]);
        assert_eq!(
            t[0].rows,
            [
                (5, vec!["1".to_string(), "`x|y`".to_string()]),
                (6, vec!["2".to_string(), "3".to_string()])
            ]
        );
        assert_eq!(t[1].header, ["c"]);
        assert!(t[1].rows.is_empty());
    }

    #[test]
    fn a_row_without_separator_is_no_table() {
        assert!(tables("| a | b |\n| 1 | 2 |\n").is_empty());
    }
}
