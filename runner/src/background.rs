//! Steps that run on a thread of their own while `runner test` boots the
//! phases in QEMU: Miri and the book's tool installs. Each is one command
//! whose output (stdout and stderr) goes to a log file under
//! `target/test-logs/`; nothing is printed while the foreground steps
//! print their progress lines, and a failed step's log tail is shown when
//! the foreground has finished.
//!
//! Why: Miri interprets on one core and a TCG guest runs on one core, so on
//! a two-core machine the two together take about as long as the longer
//! of them.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::cmd_test::{Counts, parse_test_counts};

/// A command to run in the background.
pub struct Job {
    /// The step's name in `runner test`'s summary.
    pub label: String,
    pub command: Command,
    /// Where its output goes.
    pub log: PathBuf,
    /// Whether it prints libtest's `test result:` lines to count.
    pub counts_tests: bool,
}

/// A job that has ended.
pub struct Finished {
    pub label: String,
    pub ok: bool,
    pub counts: Option<Counts>,
    pub elapsed: Duration,
    pub log: PathBuf,
    /// Why it did not run or failed, in a sentence.
    pub error: Option<String>,
}

/// The thread running the jobs one after the other.
pub struct Background {
    handle: JoinHandle<Vec<Finished>>,
}

/// Starts `jobs` in order on a new thread.
pub fn start(jobs: Vec<Job>) -> Background {
    Background {
        handle: thread::spawn(move || jobs.into_iter().map(run).collect()),
    }
}

impl Background {
    /// Waits for every job; shows the log tail of each that failed.
    pub fn finish(self) -> Vec<Finished> {
        let waiting = Instant::now();
        let done = self.handle.join().unwrap_or_default();
        let waited = waiting.elapsed();
        if waited > Duration::from_secs(1) {
            eprintln!(
                "waited {} for the background steps",
                crate::progress::format_secs(waited)
            );
        }
        for f in done.iter().filter(|f| !f.ok) {
            eprintln!(
                "{} failed{}; the end of its log ({}):",
                f.label,
                f.error
                    .as_deref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default(),
                f.log.display()
            );
            let text = std::fs::read_to_string(&f.log).unwrap_or_default();
            eprintln!("{}", crate::text::tail_lines(&text, 60).join("\n"));
        }
        done
    }
}

fn run(mut job: Job) -> Finished {
    let start = Instant::now();
    let outcome = (|| -> Result<(bool, String), String> {
        if let Some(dir) = job.log.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;
        }
        let out = File::create(&job.log).map_err(|e| format!("cannot create the log: {e}"))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot share the log: {e}"))?;
        let status = job
            .command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .status()
            .map_err(|e| format!("cannot start it: {e}"))?;
        let text = std::fs::read_to_string(&job.log).unwrap_or_default();
        Ok((status.success(), text))
    })();
    let (ok, counts, error) = match outcome {
        Ok((ok, text)) => {
            let counts = job.counts_tests.then(|| parse_test_counts(&text));
            (
                ok,
                counts,
                (!ok).then(|| "it exited with an error".to_owned()),
            )
        }
        Err(e) => (false, None, Some(e)),
    };
    Finished {
        label: job.label,
        ok,
        counts,
        elapsed: start.elapsed(),
        log: job.log,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_jobs_in_order_and_reports_each() {
        let dir = crate::testutil::TempDir::new("background");
        let job = |label: &str, script: &str| {
            let mut command = Command::new("sh");
            command.args(["-c", script]);
            Job {
                label: label.into(),
                command,
                log: dir.path().join(format!("{label}.log")),
                counts_tests: true,
            }
        };
        let done = start(vec![
            job("good", "echo 'test result: ok. 3 passed; 0 failed;'"),
            job("bad", "echo oops >&2; exit 3"),
        ])
        .finish();
        assert_eq!(done.len(), 2);
        assert!(done[0].ok);
        assert_eq!(
            done[0].counts,
            Some(Counts {
                passed: 3,
                failed: 0
            })
        );
        assert!(!done[1].ok);
        assert_eq!(
            std::fs::read_to_string(&done[1].log).unwrap().trim(),
            "oops"
        );
    }

    #[test]
    fn a_command_that_cannot_start_fails_with_a_reason() {
        let dir = crate::testutil::TempDir::new("background");
        let done = start(vec![Job {
            label: "missing".into(),
            command: Command::new("/nonexistent/program"),
            log: dir.path().join("m.log"),
            counts_tests: false,
        }])
        .finish();
        assert!(!done[0].ok);
        assert!(
            done[0]
                .error
                .as_deref()
                .unwrap()
                .starts_with("cannot start it")
        );
    }
}
