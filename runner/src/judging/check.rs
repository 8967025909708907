//! Judging a test: the boot's outcome against the expectation, the console
//! against `stdout_contains`, and both against the Linux run.

use crate::booting::outcome::Outcome;
use crate::judging::linux::{HostEnding, HostRun};
use crate::judging::manifest::TestSpec;
use crate::judging::normalize;
use crate::text::{first_difference, normalise_crlf};

/// One reason a test failed: a one-line summary and indented details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub summary: String,
    pub details: Vec<String>,
}

impl Problem {
    fn new(summary: impl Into<String>) -> Problem {
        Problem {
            summary: summary.into(),
            details: Vec::new(),
        }
    }
}

/// Everything wrong with a boot of `test`; empty means PASS.
pub fn check(
    test: &TestSpec,
    outcome: &Outcome,
    console: &[u8],
    host: Option<&HostRun>,
) -> Vec<Problem> {
    let Outcome::Ended(_, ending) = outcome else {
        // Panics, timeouts and QEMU failures make the rest meaningless.
        return vec![Problem::new(outcome.to_string())];
    };
    let mut problems = Vec::new();
    if *ending != test.expect {
        problems.push(Problem::new(format!(
            "expected {}, got {ending}",
            test.expect
        )));
    }
    let output = normalise_crlf(console);
    let text = String::from_utf8_lossy(&output);
    for wanted in &test.stdout_contains {
        if !text.contains(wanted.as_str()) {
            problems.push(Problem::new(format!("console output lacks {wanted:?}")));
        }
    }
    if let Some(prefix) = &test.report
        && report_line(&text, prefix).is_none()
    {
        problems.push(Problem::new(format!(
            "console output lacks the report line (starting with {prefix:?})"
        )));
    }
    match host.map(|h| (&h.ending, &h.output)) {
        None => {}
        Some((HostEnding::TimedOut(after), _)) => problems.push(Problem::new(format!(
            "on Linux the program timed out after {}s, so there is nothing to compare with",
            after.as_secs()
        ))),
        Some((HostEnding::Ended(linux_ending), linux_output)) => {
            if linux_ending != ending {
                problems.push(Problem::new(format!(
                    "status differs from Linux: vibix {ending}, Linux {linux_ending}"
                )));
            }
            let (ours, theirs) = (
                normalize::for_comparison(&output),
                normalize::for_comparison(linux_output),
            );
            if let Some(diff) = first_difference(&ours, &theirs) {
                let past_end = || "(end of output)".to_string();
                problems.push(Problem {
                    summary: "output differs from Linux".into(),
                    details: vec![
                        format!("first difference, line {}:", diff.line),
                        format!("  vibix: {}", diff.left.unwrap_or_else(past_end)),
                        format!("  Linux: {}", diff.right.unwrap_or_else(past_end)),
                    ],
                });
            }
        }
    }
    problems
}

/// The first line of `output` that starts with `prefix` (a test's `report`).
pub fn report_line<'a>(output: &'a str, prefix: &str) -> Option<&'a str> {
    output.lines().find(|line| line.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::judging::status::{Termination, WaitStatus};

    fn spec(expect: Termination, contains: &[&str]) -> TestSpec {
        TestSpec {
            expect,
            stdout_contains: contains.iter().map(|s| s.to_string()).collect(),
            ..TestSpec::of_program("t", "p")
        }
    }

    fn ended(status: u16) -> Outcome {
        let s = WaitStatus(status);
        Outcome::Ended(s, s.termination().unwrap())
    }

    fn host(ending: Termination, output: &[u8]) -> HostRun {
        HostRun {
            ending: HostEnding::Ended(ending),
            output: output.to_vec(),
        }
    }

    #[test]
    fn passes_when_all_agree() {
        let t = spec(Termination::Exited(0), &["hello"]);
        let linux = host(Termination::Exited(0), b"hello\nworld\n");
        assert!(check(&t, &ended(0), b"hello\r\nworld\r\n", Some(&linux)).is_empty());
        assert!(check(&t, &ended(0), b"hello\r\n", None).is_empty());
    }

    #[test]
    fn reports_a_wrong_ending() {
        let t = spec(Termination::Exited(0), &[]);
        let p = check(&t, &ended(0x000b), b"", None);
        assert_eq!(p, [Problem::new("expected exit 0, got signal SIGSEGV")]);
    }

    #[test]
    fn reports_missing_output_and_differences() {
        let t = spec(Termination::Exited(0), &["needle"]);
        let linux = host(Termination::Exited(1), b"a\nb\n");
        let p = check(&t, &ended(0), b"a\r\nc\r\n", Some(&linux));
        let summaries: Vec<&str> = p.iter().map(|p| p.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "console output lacks \"needle\"",
                "status differs from Linux: vibix exit 0, Linux exit 1",
                "output differs from Linux",
            ]
        );
        assert_eq!(
            p[2].details,
            [
                "first difference, line 2:",
                "  vibix: \"c\\n\"",
                "  Linux: \"b\\n\""
            ]
        );
        let short = host(Termination::Exited(0), b"a\n");
        let p = check(&t, &ended(0), b"a\r\nmore\r\nneedle", Some(&short));
        assert_eq!(p[0].details[2], "  Linux: (end of output)");
    }

    #[test]
    fn a_report_line_must_be_there() {
        let mut t = spec(Termination::Exited(0), &[]);
        t.report = Some("fuzz:".into());
        let output = b"seed 7\r\nfuzz: 10 calls\r\nfuzz: again\r\n";
        assert!(check(&t, &ended(0), output, None).is_empty());
        assert_eq!(
            report_line("seed 7\nfuzz: 10 calls\nfuzz: again\n", "fuzz:"),
            Some("fuzz: 10 calls")
        );
        // Only at the start of a line.
        let p = check(&t, &ended(0), b"no fuzz: here\n", None);
        assert_eq!(
            p,
            [Problem::new(
                "console output lacks the report line (starting with \"fuzz:\")"
            )]
        );
    }

    #[test]
    fn broken_boots_are_one_problem() {
        let t = spec(Termination::Exited(0), &["x"]);
        let p = check(&t, &Outcome::Timeout(Duration::from_secs(60)), b"", None);
        assert_eq!(p, [Problem::new("timeout after 60s")]);
        let linux = HostRun {
            ending: HostEnding::TimedOut(Duration::from_secs(3)),
            output: vec![],
        };
        let p = check(
            &spec(Termination::Exited(0), &[]),
            &ended(0),
            b"",
            Some(&linux),
        );
        assert!(p[0].summary.contains("on Linux the program timed out"));
    }
}
