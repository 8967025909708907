//! `cargo runner stress`: vibix_libc's number formatting and parsing
//! against glibc on this host, over seeded random cases.
//!
//! `phases/phase4-libc/c/c-stress-format.c` is built twice, for vibix (the
//! sysroot: a static binary with the Linux system-call ABI, so it runs here
//! directly) and for glibc; both run the same cases (`SEED COUNT 0 hash`)
//! and print one hash per block of 256 cases. Where a block's hashes
//! differ, both run that block again with a line per case, and the first
//! differing lines are shown. `cargo runner test` runs the default count;
//! `--count` and `--seed` go further. (The QEMU test `c-stress-format`
//! runs a sample on vibix itself.)

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::progress::Progress;
use crate::sysroot::{self, cc};

/// The program, relative to the repository.
pub const SOURCE: &str = "phases/phase4-libc/c/c-stress-format.c";
/// Cases `cargo runner test` runs (about 3 s on the host).
pub const DEFAULT_COUNT: u64 = 500_000;
pub const DEFAULT_SEED: u64 = 1;
/// Cases per hash line (the program's `block`).
const BLOCK: u64 = 256;
/// Differing case lines shown.
const SHOWN: usize = 10;

/// What one run found.
pub struct Outcome {
    pub count: u64,
    /// The program's last line (cases and those not compared), from glibc's build.
    pub summary: String,
    /// The first differing cases: (glibc's line, vibix's line).
    pub differences: Vec<(String, String)>,
}

/// `cargo runner stress [--seed S] [--count N]`.
pub fn run(ctx: &Ctx, seed: u64, count: u64) -> Result<ExitCode> {
    let outcome = check(ctx, seed, count)?;
    Ok(if report(&outcome, seed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints what `outcome` says; whether the two libraries agreed.
pub fn report(outcome: &Outcome, seed: u64) -> bool {
    if outcome.differences.is_empty() {
        println!(
            "c-stress-format, seed {seed}: vibix_libc and glibc agree ({})",
            outcome.summary
        );
        return true;
    }
    println!(
        "c-stress-format, seed {seed}, {} cases: vibix_libc and glibc differ; first cases \
         (one case again: target/phase4-stress/{{vibix,glibc}} {seed} 1 N):",
        outcome.count
    );
    for (glibc, vibix) in &outcome.differences {
        println!("  glibc: {glibc}\n  vibix: {vibix}");
    }
    false
}

/// Builds both programs and compares `count` cases of stream `seed`.
pub fn check(ctx: &Ctx, seed: u64, count: u64) -> Result<Outcome> {
    let sysroot = sysroot::build(ctx, sysroot::FIRST_PHASE)?;
    let source = ctx.repo.root().join(SOURCE);
    let out = ctx.repo.target_dir().join("phase4-stress");
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let (vibix, glibc) = (out.join("vibix"), out.join("glibc"));
    let progress = Progress::start("building c-stress-format for vibix and for glibc");
    cc::build_for_vibix(&sysroot, std::slice::from_ref(&source), &vibix)?;
    cc::build_for_host(std::slice::from_ref(&source), &glibc)?;
    progress.done();
    let progress = Progress::start(format!("{count} cases on the host, both libraries"));
    let args = |first: u64, n: u64, mode: &str| {
        vec![
            seed.to_string(),
            n.to_string(),
            first.to_string(),
            mode.to_string(),
        ]
    };
    let a = output(&glibc, &args(0, count, "hash"))?;
    let b = output(&vibix, &args(0, count, "hash"))?;
    progress.done();
    let summary = a.lines().last().unwrap_or_default().to_string();
    let mut differences = Vec::new();
    if let Some(block) = first_differing_block(&a, &b) {
        let first = block * BLOCK;
        let n = BLOCK.min(count - first.min(count));
        let a = output(&glibc, &args(first, n, "lines"))?;
        let b = output(&vibix, &args(first, n, "lines"))?;
        differences = differing_lines(&a, &b, SHOWN);
        if differences.is_empty() {
            // Same lines, different hashes: say so rather than pass.
            differences.push((
                format!("block {block}: hash lines differ"),
                "(but its case lines agree)".into(),
            ));
        }
    } else if a != b {
        differences = differing_lines(&a, &b, SHOWN);
    }
    Ok(Outcome {
        count,
        summary,
        differences,
    })
}

/// Runs `program` with `args`: its stdout, which must end with a line
/// starting "ok:".
fn output(program: &Path, args: &[String]) -> Result<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || !text.lines().last().is_some_and(|l| l.starts_with("ok:")) {
        bail!(
            "{} {} did not finish ({}); its last output:\n{}",
            program.display(),
            args.join(" "),
            out.status,
            tail(&text, 5)
        );
    }
    Ok(text)
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The first block whose "block N hash H" lines differ.
fn first_differing_block(a: &str, b: &str) -> Option<u64> {
    a.lines()
        .zip(b.lines())
        .find(|(x, y)| x != y && x.starts_with("block "))
        .and_then(|(x, _)| x.split_whitespace().nth(1)?.parse().ok())
}

/// Up to `max` pairs of lines that differ, in order.
fn differing_lines(a: &str, b: &str, max: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = a
        .lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .take(max)
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect();
    let (na, nb) = (a.lines().count(), b.lines().count());
    if out.len() < max && na != nb {
        out.push((format!("{na} lines"), format!("{nb} lines")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_differing_block() {
        let a = "block 0 hash 1\nblock 1 hash 2\nblock 2 hash 3\ntotal hash 9\nok: 3\n";
        let b = "block 0 hash 1\nblock 1 hash 5\nblock 2 hash 6\ntotal hash 8\nok: 3\n";
        assert_eq!(first_differing_block(a, b), Some(1));
        assert_eq!(first_differing_block(a, a), None);
    }

    #[test]
    fn lists_differing_lines_and_a_length_change() {
        let a = "1: x\n2: y\n3: z\n";
        let b = "1: x\n2: Y\n3: z\n4: w\n";
        assert_eq!(
            differing_lines(a, b, 5),
            [
                ("2: y".to_string(), "2: Y".to_string()),
                ("3 lines".to_string(), "4 lines".to_string())
            ]
        );
        assert!(differing_lines(a, a, 5).is_empty());
    }

    #[test]
    fn the_program_is_in_the_repository() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(root.join(SOURCE).is_file(), "{SOURCE}");
    }
}
