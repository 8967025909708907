//! `runner crates`: real crates' own test suites, on vibix and on Linux.
//!
//! The crates are listed in `phases/phase3-threads/crates/crates.toml`, each
//! at a fixed version, with the lock file of its dev-dependencies beside it
//! (`locks/<name>-<version>.lock`, written by the first run and committed).
//! For each crate the runner
//!
//! 1. has cargo download it from crates.io (a throwaway project depending on
//!    exactly that version) and copies the unchanged package into
//!    `target/crates/src/<name>-<version>/`, with the committed lock;
//! 2. runs `cargo test --tests --no-fail-fast --locked` there on the host
//!    (`x86_64-unknown-linux-gnu`) and for vibix (`runner cargo`'s setup,
//!    every test binary booted by `runner exec`), each time building first
//!    (`--no-run`) so that the run's wall time is the tests' own;
//! 3. reads libtest's output (`test <name> ... ok|FAILED|ignored`, `test
//!    result:` lines) and prints, per crate, tests run, passed, failed and
//!    ignored on both, and every test whose outcome differs.
//!
//! Doctests are left out on both sides (`--tests`): rustdoc would need the
//! vibix std as a sysroot of its own. Exit status 1 if a crate does not
//! build, or if vibix and Linux disagree on a test that the list does not
//! explain (`[[crate.differs]]`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::Ctx;
use crate::booting::accel::Request;
use crate::building::std_build::HOST_TARGET;
use crate::building::{crates_io, toolchain};
use crate::cmd_cargo::{self, CargoSetup};
use crate::progress::{Progress, format_secs};

/// The phase the suites run on: the first with threads and unwinding.
pub const PHASE: u32 = cmd_cargo::FIRST_UNWIND_PHASE;

/// `crates.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    #[serde(rename = "crate")]
    crates: Vec<CrateSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateSpec {
    pub name: String,
    /// The crates.io version (exactly this one).
    #[serde(default)]
    pub version: String,
    /// Instead of crates.io: a crate of ours, relative to `crates/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Part of `runner test`'s quick subset.
    #[serde(default)]
    pub quick: bool,
    /// Tests whose outcome differs on vibix, with the reason (the book's
    /// table shows them).
    #[serde(default)]
    pub differs: Vec<Difference>,
    /// Why the tests do not build for vibix, when they do not (a crate
    /// that names every OS it supports).
    #[serde(default)]
    pub unbuildable: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difference {
    /// The test's full name, as libtest prints it.
    pub test: String,
    pub why: String,
}

pub struct CratesOpts {
    pub filter: Option<String>,
    pub vibix_only: bool,
    pub accel: Request,
    pub timeout: Option<u64>,
}

/// `phases/phase3-threads/crates/`.
fn crates_dir(ctx: &Ctx) -> Result<PathBuf> {
    let phases = crate::phase::select(&ctx.repo, PHASE)?;
    let phase = phases
        .iter()
        .find(|p| p.number == PHASE)
        .context("phase 3 is missing")?;
    Ok(phase.dir.join("crates"))
}

fn load(dir: &Path) -> Result<Vec<CrateSpec>> {
    let path = dir.join("crates.toml");
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let list: List =
        toml::from_str(&text).with_context(|| format!("{} is not a crate list", path.display()))?;
    Ok(list.crates)
}

pub fn run(ctx: &Ctx, opts: &CratesOpts) -> Result<ExitCode> {
    let dir = crates_dir(ctx)?;
    let crates: Vec<CrateSpec> = load(&dir)?
        .into_iter()
        .filter(|c| {
            opts.filter
                .as_ref()
                .is_none_or(|f| c.name.contains(f.as_str()))
        })
        .collect();
    if crates.is_empty() {
        bail!("no crate of {} matches", dir.join("crates.toml").display());
    }
    let rows = compare(
        ctx,
        &dir,
        &crates,
        !opts.vibix_only,
        opts.accel,
        opts.timeout,
    )?;
    print_table(&rows);
    Ok(if rows.iter().all(Row::ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `runner test`'s step: the quick crates, on vibix and Linux; an error if
/// any of them fails or differs.
pub fn quick(ctx: &Ctx, accel: Request) -> Result<()> {
    let dir = crates_dir(ctx)?;
    let crates: Vec<CrateSpec> = load(&dir)?.into_iter().filter(|c| c.quick).collect();
    let rows = compare(ctx, &dir, &crates, true, accel, None)?;
    print_table(&rows);
    if let Some(bad) = rows.iter().find(|r| !r.ok()) {
        bail!(
            "crate {}'s tests: vibix and Linux differ (table above)",
            bad.spec.name
        );
    }
    Ok(())
}

/// One side's results.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub passed: u32,
    pub failed: u32,
    pub ignored: u32,
    /// Each test's outcome: `ok`, `FAILED`, `ignored`.
    pub tests: BTreeMap<String, String>,
    /// `running N tests` lines without their `test result:` (a harness
    /// that died).
    pub unfinished: u32,
    pub wall: Duration,
}

impl Tally {
    pub fn run(&self) -> u32 {
        self.passed + self.failed
    }
}

// ANCHOR: parse
/// Reads libtest's output (several harnesses one after the other).
pub fn parse_libtest(out: &str) -> Tally {
    let mut t = Tally::default();
    let mut open = 0u32;
    for line in out.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("running ") && line.ends_with(" tests") || line == "running 1 test" {
            open += 1;
        } else if let Some(rest) = line.strip_prefix("test result: ") {
            open = open.saturating_sub(1);
            let count = |word: &str| -> u32 {
                rest.split(';')
                    .filter_map(|part| part.trim().strip_suffix(word))
                    .filter_map(|n| n.trim().rsplit(' ').next()?.parse::<u32>().ok())
                    .sum()
            };
            t.passed += count("passed");
            t.failed += count("failed");
            t.ignored += count("ignored");
        } else if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, outcome)) = rest.rsplit_once(" ... ")
        {
            let outcome = outcome.split([' ', ',']).next().unwrap_or("");
            if matches!(outcome, "ok" | "FAILED" | "ignored") {
                t.tests.insert(name.to_owned(), outcome.to_owned());
            }
        }
    }
    t.unfinished = open;
    t
}
// ANCHOR_END: parse

/// One crate's line of the table.
pub struct Row {
    pub spec: CrateSpec,
    pub vibix: Result<Tally, String>,
    pub linux: Option<Result<Tally, String>>,
}

impl Row {
    /// Tests whose outcome differs (or that ran on one side only).
    pub fn differences(&self) -> Vec<(String, String, String)> {
        let (Ok(v), Some(Ok(l))) = (&self.vibix, &self.linux) else {
            return Vec::new();
        };
        let mut names: Vec<&String> = v.tests.keys().chain(l.tests.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| {
                let a = v.tests.get(n).map_or("-", String::as_str);
                let b = l.tests.get(n).map_or("-", String::as_str);
                (a != b).then(|| (n.clone(), a.to_owned(), b.to_owned()))
            })
            .collect()
    }

    /// Builds on both sides, every harness finished, and every difference
    /// is explained in the list.
    pub fn ok(&self) -> bool {
        let finished = |t: &Result<Tally, String>| t.as_ref().is_ok_and(|t| t.unfinished == 0);
        if self.spec.unbuildable.is_some() && self.vibix.is_err() {
            return self.linux.as_ref().is_none_or(finished);
        }
        finished(&self.vibix)
            && self.linux.as_ref().is_none_or(finished)
            && self
                .differences()
                .iter()
                .all(|(name, ..)| self.spec.differs.iter().any(|d| &d.test == name))
    }
}

fn compare(
    ctx: &Ctx,
    dir: &Path,
    crates: &[CrateSpec],
    linux: bool,
    accel: Request,
    timeout: Option<u64>,
) -> Result<Vec<Row>> {
    let setup = cmd_cargo::prepare(ctx, PHASE, None, accel, timeout)?;
    let mut rows = Vec::new();
    for spec in crates {
        let src = fetch(ctx, dir, spec)?;
        let vibix = side(ctx, spec, &src, Side::Vibix(&setup));
        let linux = linux.then(|| side(ctx, spec, &src, Side::Linux));
        save_lock(dir, spec, &src)?;
        rows.push(Row {
            spec: spec.clone(),
            vibix,
            linux,
        });
    }
    Ok(rows)
}

impl CrateSpec {
    /// `name-version`, or just the name of a crate of ours.
    pub fn id(&self) -> String {
        match self.path {
            Some(_) => self.name.clone(),
            None => format!("{}-{}", self.name, self.version),
        }
    }
}

fn lock_path(dir: &Path, spec: &CrateSpec) -> PathBuf {
    dir.join("locks").join(format!("{}.lock", spec.id()))
}

/// The first run of a crate writes its lock file into the list's `locks/`,
/// to be committed.
fn save_lock(dir: &Path, spec: &CrateSpec, src: &Path) -> Result<()> {
    let lock = lock_path(dir, spec);
    if !lock.is_file() && src.join("Cargo.lock").is_file() {
        fs::create_dir_all(lock.parent().expect("locks/"))?;
        fs::copy(src.join("Cargo.lock"), &lock)
            .with_context(|| format!("cannot write {}", lock.display()))?;
        eprintln!(
            "wrote {} (commit it: it fixes the dev-dependencies' versions)",
            lock.display()
        );
    }
    Ok(())
}

// ANCHOR: fetch
/// The crate's package, as crates.io has it, copied to
/// `target/crates/src/<name>-<version>/` with the committed lock file.
fn fetch(ctx: &Ctx, dir: &Path, spec: &CrateSpec) -> Result<PathBuf> {
    let id = spec.id();
    let work = ctx.repo.target_dir().join("crates");
    let src = work.join("src").join(&id);
    let lock = lock_path(dir, spec);
    if let Some(path) = &spec.path {
        // Ours: a fresh copy each time (it may have changed).
        if src.exists() {
            fs::remove_dir_all(&src)?;
        }
        crate::building::initramfs::copy_tree_except(&dir.join(path), &src, &["target"])?;
        if lock.is_file() {
            fs::copy(&lock, src.join("Cargo.lock"))?;
        }
        return Ok(src);
    }
    if src.join("Cargo.toml").is_file() {
        if lock.is_file() {
            fs::copy(&lock, src.join("Cargo.lock"))?;
        }
        return Ok(src);
    }
    let from = crates_io::download(ctx, &spec.name, &spec.version)?;
    crate::building::initramfs::copy_tree_except(&from, &src, &["target"])?;
    if lock.is_file() {
        fs::copy(&lock, src.join("Cargo.lock"))?;
    }
    Ok(src)
}
// ANCHOR_END: fetch

enum Side<'a> {
    Vibix(&'a CargoSetup),
    Linux,
}

/// Builds and runs the crate's tests on one side.
fn side(ctx: &Ctx, spec: &CrateSpec, src: &Path, side: Side<'_>) -> Result<Tally, String> {
    let where_ = match side {
        Side::Vibix(_) => "vibix",
        Side::Linux => "Linux",
    };
    let locked = src.join("Cargo.lock").is_file();
    let command = |run: bool| -> Command {
        let mut args: Vec<String> = ["test", "--tests", "--no-fail-fast"]
            .map(String::from)
            .to_vec();
        if locked {
            args.push("--locked".into());
        }
        if !run {
            args.push("--no-run".into());
        }
        let manifest = src.join("Cargo.toml");
        let mut cmd = match side {
            Side::Vibix(setup) => setup.command(ctx, &args, Some(&manifest)),
            Side::Linux => {
                let mut cmd: Command = toolchain::tool(&ctx.sh, "cargo").into();
                cmd.env("RUSTUP_TOOLCHAIN", spec_channel(ctx))
                    .env(
                        "CARGO_TARGET_DIR",
                        ctx.repo.target_dir().join("crates").join("host"),
                    )
                    .args(&args[..1])
                    .args(["--target", HOST_TARGET, "--manifest-path"])
                    .arg(&manifest)
                    .args(&args[1..]);
                cmd
            }
        };
        cmd.current_dir(src);
        cmd
    };
    let label = format!("building {}'s tests for {where_}", spec.id());
    let progress = Progress::new(&label, ctx.verbose);
    let built = capture(command(false), ctx.verbose);
    match built {
        Ok((_, _, true)) => {
            progress.done();
        }
        Ok((_, err, false)) => {
            progress.fail();
            return Err(last_lines(&err, 15));
        }
        Err(e) => {
            progress.fail();
            return Err(format!("{e:#}"));
        }
    }
    let progress = Progress::new(
        format!("running {}'s tests on {where_}", spec.id()),
        ctx.verbose,
    );
    let start = Instant::now();
    let (out, err, _) = capture(command(true), ctx.verbose).map_err(|e| format!("{e:#}"))?;
    let wall = start.elapsed();
    let mut tally = parse_libtest(&out);
    tally.wall = wall;
    progress.done_with(&format!(
        "{} passed, {} failed, {} ignored",
        tally.passed, tally.failed, tally.ignored
    ));
    if tally.unfinished > 0 && !ctx.verbose {
        eprintln!("{}", last_lines(&format!("{out}{err}"), 15));
    }
    Ok(tally)
}

fn spec_channel(ctx: &Ctx) -> String {
    crate::building::std_port::pinned_channel(&ctx.repo).unwrap_or_default()
}

/// Runs `cmd`: (stdout, stderr, success); both shown live when `verbose`.
fn capture(mut cmd: Command, verbose: bool) -> Result<(String, String, bool)> {
    if verbose {
        eprintln!("$ {cmd:?}");
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().context("cannot run cargo")?;
    let out = child
        .stdout
        .take()
        .map(|p| crate::pipes::collect(p, verbose));
    let err = child
        .stderr
        .take()
        .map(|p| crate::pipes::collect(p, verbose));
    let status = child.wait().context("cannot wait for cargo")?;
    let text = |c: Option<crate::pipes::Collector>| {
        c.map(|c| String::from_utf8_lossy(&c.finish(Duration::from_secs(5))).into_owned())
            .unwrap_or_default()
    };
    Ok((text(out), text(err), status.success()))
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| format!("  | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn cells(t: &Option<Result<Tally, String>>) -> String {
    match t {
        None => "(not run)".into(),
        Some(Err(_)) => "build failed".into(),
        Some(Ok(t)) => format!(
            "{:>4} {:>4} {:>4} {:>4} {:>7}{}",
            t.run(),
            t.passed,
            t.failed,
            t.ignored,
            format_secs(t.wall),
            if t.unfinished > 0 { " (died)" } else { "" }
        ),
    }
}

// ANCHOR: table
fn print_table(rows: &[Row]) {
    println!();
    println!(
        "{:<22} {:<28} {:<28}",
        "crate", "vibix: run pass fail ign time", "Linux: run pass fail ign time"
    );
    for row in rows {
        let id = row.spec.id();
        let vibix = cells(&Some(row.vibix.clone()));
        println!("{id:<22} {vibix:<28} {:<28}", cells(&row.linux));
        for (name, v, l) in row.differences() {
            let why = row
                .spec
                .differs
                .iter()
                .find(|d| d.test == name)
                .map_or("NOT EXPLAINED", |d| d.why.as_str());
            println!("    {name}: vibix {v}, Linux {l} ({why})");
        }
        if let (Some(why), Err(_)) = (&row.spec.unbuildable, &row.vibix) {
            println!("    does not build for vibix: {why}");
            continue;
        }
        for (side, result) in [("vibix", Some(&row.vibix)), ("Linux", row.linux.as_ref())] {
            if let Some(Err(e)) = result {
                println!("    {side}: the build failed:\n{e}");
            }
        }
    }
}
// ANCHOR_END: table

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "\nrunning 3 tests\ntest a::b ... ok\ntest c ... FAILED\ntest d ... ignored, slow\n\n\
                       failures:\n\ntest result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 \
                       filtered out; finished in 0.01s\n\nrunning 1 test\ntest e ... ok\r\n";

    #[test]
    fn reads_libtest_output() {
        let t = parse_libtest(OUT);
        assert_eq!((t.passed, t.failed, t.ignored, t.run()), (1, 1, 1, 2));
        assert_eq!(t.tests["a::b"], "ok");
        assert_eq!(t.tests["c"], "FAILED");
        assert_eq!(t.tests["d"], "ignored");
        // The second harness never printed its result: it died.
        assert_eq!(t.unfinished, 1);
        assert_eq!(t.tests["e"], "ok");
    }

    #[test]
    fn differences_must_be_explained() {
        let spec = |differs: Vec<Difference>| CrateSpec {
            name: "x".into(),
            version: "1.0.0".into(),
            path: None,
            quick: false,
            differs,
            unbuildable: None,
        };
        let done = |s: &str| {
            let mut t = parse_libtest(s);
            t.unfinished = 0;
            t
        };
        let linux =
            "running 2 tests\ntest a ... ok\ntest b ... ok\ntest result: ok. 2 passed; 0 failed";
        let vibix = "running 2 tests\ntest a ... ok\ntest b ... FAILED\ntest result: FAILED. 1 passed; 1 failed";
        let mut row = Row {
            spec: spec(Vec::new()),
            vibix: Ok(done(vibix)),
            linux: Some(Ok(done(linux))),
        };
        assert_eq!(
            row.differences(),
            [("b".to_string(), "FAILED".to_string(), "ok".to_string())]
        );
        assert!(!row.ok());
        row.spec = spec(vec![Difference {
            test: "b".into(),
            why: "reason".into(),
        }]);
        assert!(row.ok());
        row.vibix = Err("does not build".into());
        assert!(!row.ok());
        row.spec.unbuildable = Some("names every OS".into());
        assert!(row.ok());
    }
}
