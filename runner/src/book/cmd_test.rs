//! `runner book test`: every runnable code block of the book, run and
//! checked.
//!
//! - `rust,vibix,phase=N` blocks: each built into a program of its own, all
//!   of a phase run one after another in one boot of phase N's kernel (by
//!   `runeach`, see `separator.rs`) and each run on the Linux host; each
//!   block's output and status must be what the book says, on both;
//! - `rust` blocks: `cargo test -p book-tests`, where skeptic compiles and
//!   runs them;
//! - not-run blocks must say why (see `blocks.rs`);
//! - the generated syscall page must be current.
//!
//! A failure names the Markdown file and line. The first line of the report
//! counts the blocks: `N run in QEMU, M run on host, K not run`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::blocks::{self, Blocks, Runnable};
use super::compare::{self, Judgement};
use super::phase0::BuiltBlocks;
use super::separator::{self, Segment, Split};
use super::stage::{self, Staged};
use super::{BootChoice, generated, kernel_table, phases, program, syscalls};
use crate::booting::accel::AccelState;
use crate::booting::boot::{ConsoleMode, Machine};
use crate::booting::cmdline::kernel_cmdline;
use crate::booting::outcome::Outcome;
use crate::judging::linux::{self, HostEnding};
use crate::judging::manifest::TestSpec;
use crate::judging::status::Termination;
use crate::text::normalise_crlf;
use crate::{Ctx, booting::qemu, building::kbuild, building::toolchain, phase, step};

/// Passed and failed checks: one per block, plus one per other check.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
}

pub fn run(ctx: &Ctx, boot: &BootChoice) -> Result<Tally> {
    let book_dir = ctx.repo.root().join("book");
    let found = blocks::scan(ctx.repo.root(), &book_dir)?;
    println!("{}", counts_line(&found));
    let mut tally = Tally::default();
    for p in &found.problems {
        println!("FAIL {p}");
        tally.failed += 1;
    }

    let mut by_phase: BTreeMap<u32, Vec<&Runnable>> = BTreeMap::new();
    for block in &found.runnable {
        by_phase.entry(block.phase).or_default().push(block);
    }
    for (n, blocks) in &by_phase {
        match run_phase(ctx, *n, blocks, boot) {
            Ok(results) => {
                for (block, problems) in blocks.iter().zip(results) {
                    report(block, &problems, &mut tally);
                }
            }
            Err(e) => {
                println!("FAIL phase {n} blocks");
                crate::print_error(&e);
                tally.failed += blocks.len();
            }
        }
    }

    match host_blocks(ctx, found.host.len()) {
        Ok(passed) => tally.passed += passed,
        Err(e) => {
            crate::print_error(&e);
            tally.failed += 1;
        }
    }

    let fresh = kernel_table::page(ctx, boot)
        .and_then(|page| generated::check_fresh(ctx, syscalls::PAGE, &page));
    match fresh {
        Ok(()) => {
            println!("PASS book/{} is current", syscalls::PAGE);
            tally.passed += 1;
        }
        Err(e) => {
            println!("FAIL book/{}", syscalls::PAGE);
            crate::print_error(&e);
            tally.failed += 1;
        }
    }
    println!("book: {} passed, {} failed", tally.passed, tally.failed);
    Ok(tally)
}

/// `2 run in QEMU, 1 run on host, 7 not run`.
fn counts_line(found: &Blocks) -> String {
    format!(
        "book blocks: {} run in QEMU, {} run on host, {} not run",
        found.runnable.len(),
        found.host.len(),
        found.not_run.len()
    )
}

fn report(block: &Runnable, problems: &[String], tally: &mut Tally) {
    if problems.is_empty() {
        println!("PASS {}  {}", block.id(), block.location());
        tally.passed += 1;
    } else {
        println!("FAIL {}  {}", block.id(), block.location());
        for p in problems {
            for line in p.lines() {
                println!("    {line}");
            }
        }
        tally.failed += 1;
    }
}

/// Builds, boots and judges the blocks of phase `n`: the problems of each.
fn run_phase(
    ctx: &Ctx,
    n: u32,
    blocks: &[&Runnable],
    boot: &BootChoice,
) -> Result<Vec<Vec<String>>> {
    let built = phases::build(ctx, n, blocks)?;
    // The blocks' programs and `runeach`, which runs them in turn.
    let phase0 = kbuild::build_programs(
        &ctx.sh,
        &ctx.repo,
        &phase::phase_zero(&ctx.repo),
        ctx.verbose,
    )?;
    let Some(runeach) = phase0.get(RUNEACH) else {
        bail!("the phase-0 programs have no {RUNEACH}");
    };
    let mut programs = built.programs.clone();
    programs.insert(RUNEACH.to_owned(), runeach.clone());
    let staged = stage::stage(ctx, n, &programs)?;
    let mut machine = Machine {
        qemu: qemu::ensure_installed(&ctx.sh)?,
        kernel: staged.kernel.clone(),
        initrd: staged.initrd.clone(),
        accel: AccelState::new(boot.accel, boot.timeout)?,
        verbose: ctx.verbose,
    };
    let dir = ctx.repo.run_dir(n, "book");
    let args: Vec<String> = blocks
        .iter()
        .flat_map(|b| [b.id(), format!("/bin/{}", program::block_bin(&b.name))])
        .collect();
    let cmdline = kernel_cmdline(RUNEACH, &[], &args)?;
    eprintln!(
        "booting phase {n} once for its {} book block{} ({})",
        blocks.len(),
        if blocks.len() == 1 { "" } else { "s" },
        machine.accel.current()
    );
    let run = machine
        .boot(
            &dir,
            &cmdline,
            ConsoleMode::Captured {
                stdin: b"",
                after: Duration::ZERO,
            },
        )
        .context("cannot boot vibix")?;
    let (ending, well) = match &run.outcome {
        Outcome::Ended(_, t) => (t.to_string(), *t == Termination::Exited(0)),
        other => (other.to_string(), false),
    };
    let output = normalise_crlf(&run.console);
    let on_vibix = compare::judge(blocks, &separator::split(&output), &ending, well);
    let on_linux = on_host(&built, &staged, blocks, machine.accel.timeout(), &dir);

    let logs = format!("logs: {}/", ctx.repo.rel(&dir).display());
    Ok(merge(on_vibix, on_linux, &logs))
}

/// The phase-0 program that runs the blocks' programs in one boot.
const RUNEACH: &str = "runeach";

/// Runs each block's program on the Linux host and judges the runs the
/// same way.
fn on_host(
    built: &BuiltBlocks,
    staged: &Staged,
    blocks: &[&Runnable],
    timeout: Option<Duration>,
    dir: &Path,
) -> Result<Judgement> {
    let launcher = std::env::current_exe().context("cannot find the runner's own executable")?;
    let mut done = Vec::new();
    let mut log = Vec::new();
    for block in blocks {
        let bin = program::block_bin(&block.name);
        let spec = TestSpec::of_program(&bin, &bin);
        let run = linux::run(&launcher, &built.host[&bin], &staged.rootfs, &spec, timeout)?;
        log.extend_from_slice(&run.output);
        match run.ending {
            HostEnding::Ended(ending) => done.push(Segment {
                id: block.id(),
                ending,
                output: run.output,
            }),
            HostEnding::TimedOut(after) => {
                let _ = std::fs::write(dir.join("linux.log"), &log);
                let split = Split {
                    done,
                    rest: run.output,
                };
                let ending = format!("timeout after {}s", after.as_secs());
                return Ok(compare::judge(blocks, &split, &ending, false));
            }
        }
    }
    let _ = std::fs::write(dir.join("linux.log"), &log);
    let split = Split {
        done,
        rest: Vec::new(),
    };
    Ok(compare::judge(blocks, &split, "exit 0", true))
}

/// One list of problems per block: vibix's, then Linux's (prefixed); the
/// run-wide ones go to every block.
fn merge(vibix: Judgement, linux: Result<Judgement>, logs: &str) -> Vec<Vec<String>> {
    let mut out = vibix.per_block;
    for list in out.iter_mut() {
        list.extend(vibix.general.iter().cloned());
    }
    match linux {
        Ok(j) => {
            for (list, host) in out.iter_mut().zip(j.per_block) {
                list.extend(host.into_iter().map(|p| format!("on Linux: {p}")));
                list.extend(j.general.iter().map(|p| format!("on Linux: {p}")));
            }
        }
        Err(e) => {
            for list in out.iter_mut() {
                list.push(format!("cannot run the program on the Linux host: {e:#}"));
            }
        }
    }
    for list in out.iter_mut().filter(|l| !l.is_empty()) {
        list.push(logs.to_owned());
    }
    out
}

/// `cargo test -p book-tests` (skeptic); the number of tests that passed.
fn host_blocks(ctx: &Ctx, expected: usize) -> Result<usize> {
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    let cmd = toolchain::tool(&ctx.sh, "cargo").args(["test", "-p", "book-tests"]);
    let label = format!("running the book's {expected} host blocks (cargo test -p book-tests)");
    let out = step::run(cmd, &label, ctx.verbose)?;
    let counts = crate::cmd_test::parse_test_counts(&out.stdout);
    println!(
        "PASS host blocks: {} passed (skeptic), {} failed",
        counts.passed, counts.failed
    );
    Ok(counts.passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_vibix_and_linux_problems() {
        let vibix = Judgement {
            per_block: vec![vec![], vec!["bad".into()]],
            general: vec![],
        };
        let linux = Judgement {
            per_block: vec![vec!["differs".into()], vec![]],
            general: vec!["tail".into()],
        };
        let out = merge(vibix, Ok(linux), "logs: x/");
        assert_eq!(out[0], ["on Linux: differs", "on Linux: tail", "logs: x/"]);
        assert_eq!(out[1], ["bad", "on Linux: tail", "logs: x/"]);
        let clean = Judgement {
            per_block: vec![vec![]],
            general: vec![],
        };
        assert_eq!(
            merge(clean.clone(), Ok(clean), "l").remove(0),
            Vec::<String>::new()
        );
    }

    #[test]
    fn counts_blocks() {
        let found = Blocks {
            runnable: vec![],
            host: vec![("a.md".into(), 1)],
            not_run: vec![],
            problems: vec![],
        };
        assert_eq!(
            counts_line(&found),
            "book blocks: 0 run in QEMU, 1 run on host, 0 not run"
        );
    }
}
