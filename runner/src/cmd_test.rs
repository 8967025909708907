//! `runner test`: everything, as CI runs it. Host unit tests (`cargo test
//! --workspace`, which include compiling every generated C header with gcc
//! and g++: `sysroot::headers`), the tidy checks that no ABI number is written outside
//! `kernel/uapi/` ([`abi_literals`]), that every phase's README and chapter
//! list what it adds ([`phase_adds`]) and that every package is formatted
//! ([`rustfmt`]), clippy with warnings denied (host crates, the kernel for
//! its target, the bare-metal program packages), then every phase that
//! exists with `--qemu` while Miri on kcore, vibix_uapi, vibix_abi,
//! vibix_libc and ld_vibix (`cargo miri test -p …`, tree borrows) and the
//! book's tool installs run in the background (`background`: two cores,
//! one for the guest, one for Miri), then a real crate's test
//! suite on vibix and Linux (`runner crates`' quick subset), then the workbook (`runner
//! book build` and `runner book test`); a summary of all steps at the end,
//! ending with `total: N passed, N failed`.
//!
//! A failing step does not stop the later ones; the exit status is 1 if any
//! step failed.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cmd_phase::{self, BootOpts};
use crate::progress::format_secs;
use crate::{
    Ctx, background, book, building::toolchain, phase, safety, step, tidy::abi_literals,
    tidy::clippy, tidy::phase_adds, tidy::rustfmt,
};

/// Test counts of a step.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
}

enum Status {
    Ok,
    Failed,
    Skipped(String),
}

struct StepReport {
    name: String,
    status: Status,
    counts: Option<Counts>,
    elapsed: Duration,
}

pub fn run(ctx: &Ctx, opts: &BootOpts) -> Result<ExitCode> {
    let sysroot = toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    let mut steps = Vec::new();

    steps.push(cargo_tests(
        ctx,
        "host unit tests (cargo test --workspace)",
        &["test", "--workspace"],
        None,
    ));
    steps.push(abi_literals_step(ctx));
    for check in rustfmt::checks(&ctx.repo)? {
        steps.push(command_step(
            ctx,
            &check.dir,
            &check.label,
            rustfmt::command(ctx, &check),
        ));
    }
    steps.push(phase_adds_step(ctx));
    for lint in clippy::lints(ctx)? {
        steps.push(lint_step(ctx, &lint));
    }
    // Miri and the book's tool installs run on a thread of their own while
    // the phases boot (see `background`); their rows join the summary
    // after the foreground steps.
    let mut jobs = Vec::new();
    let logs = ctx.repo.target_dir().join("test-logs");
    if sysroot.has_miri() {
        // kcore: the kernel's pure logic; vibix_abi: errno decoding,
        // initial-stack parsing, the allocator; later phases' crates join.
        for (krate, _) in safety::miri::present(ctx.repo.root()) {
            let _dir = ctx.sh.push_dir(ctx.repo.root());
            let cmd = toolchain::tool(&ctx.sh, "cargo")
                .args(["miri", "test", "-p", krate])
                .env("MIRIFLAGS", "-Zmiri-tree-borrows");
            jobs.push(background::Job {
                label: format!("Miri on {krate} (cargo miri test -p {krate})"),
                command: cmd.into(),
                log: logs.join(format!("miri-{krate}.log")),
                counts_tests: true,
            });
        }
    } else {
        let why = "the miri component is missing; rust-toolchain.toml lists it, so \
                   `rustup toolchain install` adds it";
        eprintln!("note: skipping Miri: {why}");
        steps.push(StepReport {
            name: "Miri (kcore, vibix_abi)".into(),
            status: Status::Skipped(why.into()),
            counts: None,
            elapsed: Duration::ZERO,
        });
    }
    for tool in book::tools::missing(&ctx.repo) {
        let _dir = ctx.sh.push_dir(ctx.repo.root());
        jobs.push(background::Job {
            label: book::tools::install_label(&ctx.repo, tool),
            command: book::tools::install_command(ctx, tool).into(),
            log: logs.join(format!("install-{}.log", tool.krate)),
            counts_tests: false,
        });
    }
    if !jobs.is_empty() {
        eprintln!(
            "in the background meanwhile, logged in {}/: {}",
            ctx.repo.rel(&logs).display(),
            jobs.iter()
                .map(|j| j.label.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let background = background::start(jobs);

    for n in phase::landed_numbers(&ctx.repo)? {
        let start = Instant::now();
        let (status, counts, accel) = match cmd_phase::run(ctx, n, true, opts) {
            Ok(tally) => {
                let counts = Counts {
                    passed: tally.passed,
                    failed: tally.failed,
                };
                let status = if tally.failed == 0 {
                    Status::Ok
                } else {
                    Status::Failed
                };
                (
                    status,
                    Some(counts),
                    tally.accel.map(|a| format!(", {a}")).unwrap_or_default(),
                )
            }
            Err(e) => {
                crate::print_error(&e);
                (Status::Failed, None, String::new())
            }
        };
        steps.push(StepReport {
            name: format!("phase {n} in QEMU{accel}"),
            status,
            counts,
            elapsed: start.elapsed(),
        });
    }

    // A real crate's own test suite on vibix and Linux (`runner crates`'
    // quick subset), once phase 3 (threads, unwinding) has landed.
    if phase::landed_numbers(&ctx.repo)?.contains(&crate::cmd_crates::PHASE) {
        let start = Instant::now();
        let status = match crate::cmd_crates::quick(ctx, opts.accel) {
            Ok(()) => Status::Ok,
            Err(e) => {
                crate::print_error(&e);
                Status::Failed
            }
        };
        steps.push(StepReport {
            name: "a crate's test suite on vibix and Linux (runner crates, quick)".into(),
            status,
            counts: None,
            elapsed: start.elapsed(),
        });
    }

    // pjdfstest, a POSIX file-system conformance suite, on vibix against
    // the committed Linux results and the ledger of differences, once
    // phase 4 has landed.
    if phase::landed_numbers(&ctx.repo)?.contains(&crate::cmd_pjdfstest::PHASE) {
        let start = Instant::now();
        let status = match crate::cmd_pjdfstest::check(ctx, opts.accel) {
            Ok(()) => Status::Ok,
            Err(e) => {
                crate::print_error(&e);
                Status::Failed
            }
        };
        steps.push(StepReport {
            name: "pjdfstest on vibix against Linux and the ledger (runner pjdfstest)".into(),
            status,
            counts: None,
            elapsed: start.elapsed(),
        });
    }

    // vibix_libc's printf/scanf/strtod against glibc over seeded random
    // cases, natively on the host (a few seconds), once phase 4 has landed.
    if phase::landed_numbers(&ctx.repo)?.contains(&crate::sysroot::FIRST_PHASE) {
        let start = Instant::now();
        let (seed, count) = (
            crate::cmd_stress::DEFAULT_SEED,
            crate::cmd_stress::DEFAULT_COUNT,
        );
        let status = match crate::cmd_stress::check(ctx, seed, count) {
            Ok(outcome) if crate::cmd_stress::report(&outcome, seed) => Status::Ok,
            Ok(_) => Status::Failed,
            Err(e) => {
                crate::print_error(&e);
                Status::Failed
            }
        };
        steps.push(StepReport {
            name: format!(
                "vibix_libc's printf/scanf/strto* against glibc (runner stress, {count} cases)"
            ),
            status,
            counts: None,
            elapsed: start.elapsed(),
        });
    }

    for f in background.finish() {
        steps.push(StepReport {
            name: f.label,
            status: if f.ok { Status::Ok } else { Status::Failed },
            counts: f.counts,
            elapsed: f.elapsed,
        });
    }

    // The workbook: `book build` (HTML, link check), then `book test`.
    let start = Instant::now();
    let boot = book::BootChoice {
        accel: opts.accel,
        timeout: opts.timeout,
    };
    let (status, counts) = match book::check_all(ctx, &boot) {
        Ok(t) => {
            let counts = Counts {
                passed: t.passed,
                failed: t.failed,
            };
            let ok = t.failed == 0;
            (if ok { Status::Ok } else { Status::Failed }, Some(counts))
        }
        Err(e) => {
            crate::print_error(&e);
            (Status::Failed, None)
        }
    };
    steps.push(StepReport {
        name: "the book (build, links, code blocks)".into(),
        status,
        counts,
        elapsed: start.elapsed(),
    });

    println!();
    println!("summary:");
    let width = steps.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut total = Counts::default();
    let mut any_failed = false;
    for s in &steps {
        let (word, extra) = match &s.status {
            Status::Ok => ("ok", String::new()),
            Status::Failed => ("FAILED", String::new()),
            Status::Skipped(why) => ("skipped", format!("  ({why})")),
        };
        let counts = match (s.counts, &s.status) {
            (Some(c), _) => format!("{} passed, {} failed", c.passed, c.failed),
            (None, Status::Failed) => "did not finish".into(),
            (None, _) => String::new(),
        };
        println!(
            "  {word:<7}  {:<width$}  {counts:<22}  {}{extra}",
            s.name,
            format_secs(s.elapsed)
        );
        if let Some(c) = s.counts {
            total.passed += c.passed;
            total.failed += c.failed;
        }
        if matches!(s.status, Status::Failed) {
            any_failed = true;
            // A step that failed without counting anything counts as one failure.
            if s.counts.is_none_or(|c| c.failed == 0) {
                total.failed += 1;
            }
        }
    }
    println!("total: {} passed, {} failed", total.passed, total.failed);
    Ok(if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The tidy check: no system-call number or errno value written as a bare
/// number outside `kernel/uapi/` (see [`abi_literals`]).
fn abi_literals_step(ctx: &Ctx) -> StepReport {
    let start = Instant::now();
    let status = match abi_literals::check_repo(ctx.repo.root()) {
        Ok(found) if found.is_empty() => Status::Ok,
        Ok(found) => {
            for f in &found {
                eprintln!("{}:{}: {}", f.file.display(), f.line, f.what);
            }
            Status::Failed
        }
        Err(e) => {
            crate::print_error(&e);
            Status::Failed
        }
    };
    StepReport {
        name: "tidy: ABI numbers only in kernel/uapi".into(),
        status,
        counts: None,
        elapsed: start.elapsed(),
    }
}

/// The tidy check that every phase lists what it adds (see [`phase_adds`]).
fn phase_adds_step(ctx: &Ctx) -> StepReport {
    let start = Instant::now();
    let status = match phase_adds::check_repo(&ctx.repo) {
        Ok(problems) if problems.is_empty() => Status::Ok,
        Ok(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            Status::Failed
        }
        Err(e) => {
            crate::print_error(&e);
            Status::Failed
        }
    };
    StepReport {
        name: "tidy: every phase lists what it adds".into(),
        status,
        counts: None,
        elapsed: start.elapsed(),
    }
}

/// Runs one clippy lint as a step (no test counts; a warning fails it).
fn lint_step(ctx: &Ctx, lint: &clippy::Lint) -> StepReport {
    command_step(ctx, &lint.dir, &lint.label, clippy::command(ctx, lint))
}

/// Runs `cmd` in `dir` as one step that passes or fails as a whole.
fn command_step(ctx: &Ctx, dir: &std::path::Path, label: &str, cmd: xshell::Cmd<'_>) -> StepReport {
    let _dir = ctx.sh.push_dir(dir);
    let start = Instant::now();
    let status = match step::run(cmd, label, ctx.verbose) {
        Ok(_) => Status::Ok,
        Err(e) => {
            crate::print_error(&e);
            Status::Failed
        }
    };
    StepReport {
        name: label.into(),
        status,
        counts: None,
        elapsed: start.elapsed(),
    }
}

/// Runs a cargo test command at the repo root as one step.
fn cargo_tests(ctx: &Ctx, label: &str, args: &[&str], env: Option<(&str, &str)>) -> StepReport {
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    let mut cmd = toolchain::tool(&ctx.sh, "cargo").args(args);
    if let Some((key, value)) = env {
        cmd = cmd.env(key, value);
    }
    let start = Instant::now();
    let (status, counts) = match step::run(cmd, label, ctx.verbose) {
        Ok(out) => (Status::Ok, Some(parse_test_counts(&out.stdout))),
        Err(e) => {
            crate::print_error(&e);
            (Status::Failed, None)
        }
    };
    StepReport {
        name: label.into(),
        status,
        counts,
        elapsed: start.elapsed(),
    }
}

/// Sums libtest's `test result: ok. 12 passed; 0 failed; …` lines.
pub fn parse_test_counts(stdout: &str) -> Counts {
    let mut counts = Counts::default();
    for line in stdout.lines().filter(|l| l.starts_with("test result:")) {
        for part in line.split([';', '.']) {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<usize>() else {
                continue;
            };
            match label {
                "passed" => counts.passed += number,
                "failed" => counts.failed += number,
                _ => {}
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_libtest_results() {
        let out = "running 3 tests\n\
                   test a ... ok\n\
                   test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                   \n\
                   test result: FAILED. 5 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.50s\n\
                   test passed; 9 failed\n";
        assert_eq!(
            parse_test_counts(out),
            Counts {
                passed: 8,
                failed: 2
            }
        );
        assert_eq!(parse_test_counts(""), Counts::default());
    }
}
