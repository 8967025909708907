//! What a benchmark program prints, read back: one line per measurement.
//!
//! ```text
//! bench-start
//! bench <item> <param|-> <total_ns> <ops>
//! bench-skip <item> <param|-> <reason…>
//! bench-end
//! ```
//!
//! Anything else on the console (a Linux guest's kernel messages, say) is
//! not a benchmark line and is left alone.

/// The first line a benchmark program prints.
pub const START: &str = "bench-start";
/// Its last line, after every measurement.
pub const END: &str = "bench-end";

/// One measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub item: String,
    pub param: Option<u64>,
    /// Nanoseconds per operation; `None` if the program skipped the item.
    pub ns_per_op: Option<f64>,
    /// Why it was skipped.
    pub skipped: Option<String>,
}

/// One console line as a sample, if it is one.
pub fn parse_line(line: &str) -> Option<Sample> {
    let line = line.trim_end_matches(['\r', '\n']);
    let mut words = line.split_whitespace();
    let kind = words.next()?;
    if kind != "bench" && kind != "bench-skip" {
        return None;
    }
    let item = words.next()?.to_owned();
    let param = match words.next()? {
        "-" => None,
        p => Some(p.parse().ok()?),
    };
    if kind == "bench-skip" {
        let reason: Vec<&str> = words.collect();
        return Some(Sample {
            item,
            param,
            ns_per_op: None,
            skipped: Some(reason.join(" ")),
        });
    }
    let total: u64 = words.next()?.parse().ok()?;
    let ops: u64 = words.next()?.parse().ok()?;
    if ops == 0 || words.next().is_some() {
        return None;
    }
    Some(Sample {
        item,
        param,
        ns_per_op: Some(total as f64 / ops as f64),
        skipped: None,
    })
}

/// Whether a console line is exactly `marker`.
pub fn is(line: &str, marker: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim() == marker
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_measurements() {
        let s = parse_line("bench null_syscall - 2000 10\r\n").unwrap();
        assert_eq!(
            (s.item.as_str(), s.param, s.ns_per_op),
            ("null_syscall", None, Some(200.0))
        );
        let s = parse_line("bench open_dir 1000 500 2").unwrap();
        assert_eq!(s.param, Some(1000));
        let s = parse_line("bench-skip file_write 256 ENOSPC: no space").unwrap();
        assert_eq!(s.skipped.as_deref(), Some("ENOSPC: no space"));
        assert_eq!(s.ns_per_op, None);
    }

    #[test]
    fn ignores_other_lines() {
        for line in [
            "bench-start",
            "[   32.4] reboot: Power down",
            "bench x - 10 0",
            "bench x - ten 1",
            "bench x y 1 1",
            "bench x - 1 1 extra",
            "",
        ] {
            assert_eq!(parse_line(line), None, "{line}");
        }
        assert!(is("bench-end\r", END));
        assert!(!is("bench-ended", END));
    }
}
