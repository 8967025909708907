//! A conformance suite's results (pjdfstest's): the verdict of each test
//! case read from the suite's output, the Linux results file, the ledger
//! of the cases where vibix differs from Linux (each with its reason), and
//! the check that keeps the ledger true.
//!
//! pjdfstest prints one line per case, `<case> <spaces> <verdict>`
//! (`ok`, `FAILED`, `skipped`, and with expected failures configured
//! `failed as expected`, `PASSED UNEXPECTEDLY`), then tab-indented lines
//! (a failure's panic message, a skip's reasons).

use std::collections::BTreeMap;

/// One case's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Pass,
    Fail,
    Skip,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Skip => "skip",
        }
    }

    pub fn from_word(w: &str) -> Option<Verdict> {
        match w {
            "pass" => Some(Verdict::Pass),
            "fail" => Some(Verdict::Fail),
            "skip" => Some(Verdict::Skip),
            _ => None,
        }
    }
}

/// A run's cases: verdict and the first indented line after it (why it
/// failed or was skipped), by case name.
pub type Results = BTreeMap<String, (Verdict, String)>;

/// `text` without ANSI colour sequences (`ESC [ … m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else if c != '\r' {
            out.push(c);
        }
    }
    out
}

// ANCHOR: parse
/// The cases of pjdfstest's output `text`.
pub fn parse_output(text: &str) -> Results {
    let text = strip_ansi(text);
    let mut results = Results::new();
    let mut last: Option<String> = None;
    for line in text.lines() {
        if let Some(detail) = line.strip_prefix('\t') {
            if let Some((_, why)) = last.as_ref().and_then(|c| results.get_mut(c))
                && why.is_empty()
            {
                *why = detail.trim().to_owned();
            }
            continue;
        }
        last = None;
        let Some((name, rest)) = line.split_once(' ') else {
            continue;
        };
        if !name.contains("::") {
            continue;
        }
        let verdict = match rest.trim() {
            "ok" | "failed as expected" => Verdict::Pass,
            "FAILED" | "PASSED UNEXPECTEDLY" => Verdict::Fail,
            "skipped" => Verdict::Skip,
            _ => continue,
        };
        results.insert(name.to_owned(), (verdict, String::new()));
        last = Some(name.to_owned());
    }
    results
}
// ANCHOR_END: parse

/// `(pass, fail, skip)` of `results`.
pub fn counts<'a>(verdicts: impl Iterator<Item = &'a Verdict>) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for v in verdicts {
        match v {
            Verdict::Pass => c.0 += 1,
            Verdict::Fail => c.1 += 1,
            Verdict::Skip => c.2 += 1,
        }
    }
    c
}

/// The Linux results file: comment lines (`#`), then `<case> <verdict>`.
pub fn parse_results_file(text: &str) -> Result<BTreeMap<String, Verdict>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (case, word) = line
            .split_once(' ')
            .ok_or_else(|| format!("line {}: not `<case> <verdict>`", i + 1))?;
        let v = Verdict::from_word(word.trim())
            .ok_or_else(|| format!("line {}: unknown verdict {word:?}", i + 1))?;
        out.insert(case.to_owned(), v);
    }
    Ok(out)
}

/// `results` as a results file, after the `header` comment lines.
pub fn results_file(header: &[String], results: &Results) -> String {
    let mut out: String = header.iter().map(|h| format!("# {h}\n")).collect();
    for (case, (v, _)) in results {
        out.push_str(&format!("{case} {}\n", v.word()));
    }
    out
}

/// One ledger entry: vibix's verdict where it is not Linux's, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub vibix: Verdict,
    pub reason: String,
}

// ANCHOR: ledger
/// The ledger's table rows, `` | `case` | linux | vibix | reason | ``
/// (other lines are prose).
pub fn parse_ledger(text: &str) -> Result<BTreeMap<String, Entry>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let Some(row) = line.trim().strip_prefix("| `") else {
            continue;
        };
        let cells: Vec<&str> = row.split(" | ").collect();
        let [case, _linux, vibix, reason] = cells[..] else {
            return Err(format!("line {}: a row has four cells", i + 1));
        };
        let case = case.trim_end_matches('`');
        let vibix = Verdict::from_word(vibix.trim())
            .ok_or_else(|| format!("line {}: unknown verdict {vibix:?}", i + 1))?;
        let reason = reason.trim_end_matches('|').trim().to_owned();
        if reason.is_empty() {
            return Err(format!("line {}: `{case}` has no reason", i + 1));
        }
        if out
            .insert(case.to_owned(), Entry { vibix, reason })
            .is_some()
        {
            return Err(format!("line {}: `{case}` is listed twice", i + 1));
        }
    }
    Ok(out)
}
// ANCHOR_END: ledger

// ANCHOR: check
/// What is wrong with a vibix run against Linux's results and the ledger:
/// a case whose verdict differs from Linux's without a ledger entry that
/// says so, and a ledger entry the run contradicts (the case now agrees
/// with Linux, or differs otherwise). Cases the run did not include (a
/// subset) are not judged.
pub fn check(
    vibix: &Results,
    linux: &BTreeMap<String, Verdict>,
    ledger: &BTreeMap<String, Entry>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (case, (got, why)) in vibix {
        let Some(&want) = linux.get(case) else {
            problems.push(format!(
                "`{case}`: not in the Linux results (run the Linux side again)"
            ));
            continue;
        };
        match ledger.get(case) {
            None if *got != want => problems.push(format!(
                "`{case}`: {} on vibix, {} on Linux, and not in the ledger ({why})",
                got.word(),
                want.word()
            )),
            Some(_) if *got == want => problems.push(format!(
                "`{case}`: {} on vibix as on Linux now: remove it from the ledger",
                got.word()
            )),
            Some(entry) if entry.vibix != *got => problems.push(format!(
                "`{case}`: {} on vibix, the ledger says {} ({why})",
                got.word(),
                entry.vibix.word()
            )),
            _ => {}
        }
    }
    problems
}
// ANCHOR_END: check

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\
\u{1b}[34mchmod::ctime\u{1b}[0m          \u{1b}[32mok\u{1b}[0m
link::enoent   FAILED
\tassertion failed: ENOENT
unlink::eperm    skipped
\trequires features: posix_fallocate
\tsecond reason

Summary: 1 failed, 1 skipped, 1 passed, 0 expected failures, 3 total
";

    #[test]
    fn parses_verdicts_and_reasons() {
        let r = parse_output(OUTPUT);
        assert_eq!(r.len(), 3);
        assert_eq!(r["chmod::ctime"], (Verdict::Pass, String::new()));
        assert_eq!(
            r["link::enoent"],
            (Verdict::Fail, "assertion failed: ENOENT".into())
        );
        assert_eq!(r["unlink::eperm"].0, Verdict::Skip);
        assert_eq!(counts(r.values().map(|(v, _)| v)), (1, 1, 1));
    }

    #[test]
    fn results_file_round_trips() {
        let r = parse_output(OUTPUT);
        let text = results_file(&["pjdfstest on Linux".into()], &r);
        let back = parse_results_file(&text).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back["link::enoent"], Verdict::Fail);
    }

    #[test]
    fn check_finds_unlisted_and_stale_cases() {
        let vibix = parse_output(OUTPUT);
        let mut linux = BTreeMap::new();
        linux.insert("chmod::ctime".to_owned(), Verdict::Pass);
        linux.insert("link::enoent".to_owned(), Verdict::Pass);
        linux.insert("unlink::eperm".to_owned(), Verdict::Pass);
        let ledger = parse_ledger(
            "| case | Linux | vibix | reason |\n|---|---|---|---|\n\
             | `unlink::eperm` | pass | skip | vibix has one user |\n",
        )
        .unwrap();
        // link::enoent fails on vibix, passes on Linux, is not listed.
        let problems = check(&vibix, &linux, &ledger);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("link::enoent"));
        // Listed, it is fine; once it passes, its entry is stale.
        let ledger = parse_ledger(
            "| `unlink::eperm` | pass | skip | one user |\n\
             | `link::enoent` | pass | fail | a bug |\n\
             | `chmod::ctime` | pass | fail | was a bug |\n",
        )
        .unwrap();
        let problems = check(&vibix, &linux, &ledger);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("chmod::ctime") && problems[0].contains("remove"));
    }

    #[test]
    fn ledger_rows_need_a_reason() {
        assert!(parse_ledger("| `a::b` | pass | fail |  |\n").is_err());
        assert!(parse_ledger("| `a::b` | pass | maybe | x |\n").is_err());
    }
}
