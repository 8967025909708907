//! What a test run prints: one `PASS`/`FAIL` line per test (with details
//! and log tails under a FAIL), and a closing `N passed, N failed` line.

use std::time::Duration;

use crate::judging::check::Problem;
use crate::progress::format_boot;
use crate::text::tail_lines;

/// How many log lines a FAIL shows.
pub const TAIL: usize = 15;

/// `PASS hello 0.08s`, or with several boots
/// `PASS hello 0.08s (min 0.07s, median 0.08s, max 0.11s over 5 boots)`.
pub fn pass_line(name: &str, times: &[Duration]) -> String {
    match Stats::of(times) {
        Some(s) if times.len() > 1 => format!(
            "PASS {name} {} (min {}, median {}, max {} over {} boots)",
            format_boot(s.median),
            format_boot(s.min),
            format_boot(s.median),
            format_boot(s.max),
            times.len()
        ),
        Some(s) => format!("PASS {name} {}", format_boot(s.median)),
        None => format!("PASS {name}"),
    }
}

/// Min, median and max of boot times.
#[derive(Debug, PartialEq, Eq)]
pub struct Stats {
    pub min: Duration,
    pub median: Duration,
    pub max: Duration,
}

impl Stats {
    pub fn of(times: &[Duration]) -> Option<Stats> {
        let mut sorted = times.to_vec();
        sorted.sort();
        let n = sorted.len();
        let median = match n {
            0 => return None,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
        };
        Some(Stats {
            min: sorted[0],
            median,
            max: sorted[n - 1],
        })
    }
}

/// Inputs for a FAIL block.
pub struct Failure<'a> {
    pub name: &'a str,
    pub problems: &'a [Problem],
    /// `(file name, contents)` of logs whose tails to show.
    pub logs: &'a [(&'a str, &'a str)],
    /// Where all the logs are, relative to the repo root.
    pub dir: &'a str,
}

/// `FAIL name: first problem`, then the details, further problems, log
/// tails and the log directory, indented.
pub fn fail_block(f: &Failure<'_>) -> String {
    let mut out = String::new();
    let first = f
        .problems
        .first()
        .map(|p| p.summary.as_str())
        .unwrap_or("failed");
    out.push_str(&format!("FAIL {}: {first}\n", f.name));
    for (i, problem) in f.problems.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!("    also: {}\n", problem.summary));
        }
        for detail in &problem.details {
            out.push_str(&format!("    {detail}\n"));
        }
    }
    for (name, text) in f.logs {
        let tail = tail_lines(text, TAIL);
        if tail.is_empty() {
            out.push_str(&format!("    {name}: (empty)\n"));
            continue;
        }
        out.push_str(&format!("    {name} (last {} lines):\n", tail.len()));
        for line in tail {
            out.push_str(&format!("      | {line}\n"));
        }
    }
    out.push_str(&format!("    logs: {}\n", f.dir));
    out
}

/// `3 passed, 1 failed (kvm)`.
pub fn closing_line(passed: usize, failed: usize, accel: &str) -> String {
    format!("{passed} passed, {failed} failed ({accel})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn pass_lines() {
        assert_eq!(pass_line("hello", &[ms(80)]), "PASS hello 0.08s");
        assert_eq!(
            pass_line("hello", &[ms(110), ms(70), ms(80)]),
            "PASS hello 0.08s (min 0.07s, median 0.08s, max 0.11s over 3 boots)"
        );
    }

    #[test]
    fn statistics() {
        assert_eq!(Stats::of(&[]), None);
        assert_eq!(
            Stats::of(&[ms(4), ms(1), ms(3), ms(2)]),
            Some(Stats {
                min: ms(1),
                median: Duration::from_micros(2500),
                max: ms(4)
            })
        );
    }

    #[test]
    fn fail_blocks() {
        let problems = [
            Problem {
                summary: "output differs from Linux".into(),
                details: vec!["first difference, line 1:".into()],
            },
            Problem {
                summary: "expected exit 0, got exit 1".into(),
                details: vec![],
            },
        ];
        let many: String = (1..=20).map(|i| format!("k{i}\n")).collect();
        let block = fail_block(&Failure {
            name: "files",
            problems: &problems,
            logs: &[
                ("console.log", "a\nb\n"),
                ("kernel.log", &many),
                ("qemu.log", ""),
            ],
            dir: "target/runs/phase0/files",
        });
        assert_eq!(
            block.lines().take(7).collect::<Vec<_>>(),
            [
                "FAIL files: output differs from Linux",
                "    first difference, line 1:",
                "    also: expected exit 0, got exit 1",
                "    console.log (last 2 lines):",
                "      | a",
                "      | b",
                "    kernel.log (last 15 lines):",
            ]
        );
        assert!(block.contains("      | k6\n") && !block.contains("| k5\n"));
        assert!(block.contains("    qemu.log: (empty)\n"));
        assert!(block.ends_with("    logs: target/runs/phase0/files\n"));
    }

    #[test]
    fn closing() {
        assert_eq!(closing_line(3, 1, "kvm"), "3 passed, 1 failed (kvm)");
    }
}
