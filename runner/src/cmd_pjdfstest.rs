//! `runner pjdfstest`: pjdfstest, a POSIX file-system conformance suite
//! nobody here wrote (the Rust rewrite, from crates.io:
//! `phases/phase4-libc/rust-ports.toml`), on vibix against Linux.
//!
//! - `runner pjdfstest --linux` runs the host build as root in a fresh
//!   tmpfs mounted for the run, and writes every case's verdict to the
//!   Linux results file (`measurements/pjdfstest-linux.txt`, committed: the
//!   oracle is a real Linux run, never typed).
//! - `runner pjdfstest` boots vibix with `/bin/pjdfstest` as init, testing
//!   in `/tmp` (vibix's tmpfs), and checks every case against the Linux
//!   results and the ledger (`measurements/pjdfstest.md`): a case that
//!   differs from Linux must be in the ledger with its reason, and a
//!   ledger entry the run contradicts is an error (the ledger stays true).
//!
//! Both sides read the same configuration (`rootfs/etc/pjdfstest.toml`)
//! and run as root with the same two dummy users (`rootfs/etc/passwd`,
//! `rootfs/etc/group`, as Debian numbers them). The whole suite takes a
//! few seconds on vibix under TCG, so `cargo runner test` runs all of it;
//! patterns (pjdfstest's own filter) run a part.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::booting::accel::{AccelState, Request};
use crate::booting::boot::{ConsoleMode, Machine};
use crate::booting::cmdline::kernel_cmdline;
use crate::booting::outcome::Outcome;
use crate::booting::qemu;
use crate::building::rust_ports;
use crate::cmd_cargo::{self, Panic};
use crate::judging::conformance::{self, Verdict};
use crate::phase;
use crate::progress::Progress;

/// The phase that builds and runs it.
pub const PHASE: u32 = 4;
/// The program's name in `rust-ports.toml` (and `/bin/`).
const PROGRAM: &str = "pjdfstest";
/// The configuration, in the phase's rootfs overlay (and the guest's `/`).
const CONFIG: &str = "etc/pjdfstest.toml";
/// The Linux results and the ledger, in the phase's directory.
const LINUX_RESULTS: &str = "measurements/pjdfstest-linux.txt";
const LEDGER: &str = "measurements/pjdfstest.md";
/// Where vibix runs the suite (a tmpfs, as Linux's side).
const GUEST_DIR: &str = "/tmp";
/// The default time limit of a vibix boot, in seconds.
const DEFAULT_TIMEOUT: u64 = 1200;

pub struct Opts {
    pub linux: bool,
    pub patterns: Vec<String>,
    pub accel: Request,
    pub timeout: Option<u64>,
}

pub fn run(ctx: &Ctx, opts: &Opts) -> Result<ExitCode> {
    let patterns = &opts.patterns;
    let phase_dir = phase_dir(ctx)?;
    let setup = cmd_cargo::prepare(ctx, PHASE, Some(Panic::Unwind), opts.accel, opts.timeout)?;
    let phases = phase::select(&ctx.repo, PHASE)?;
    let built = rust_ports::build(ctx, &setup, &phases, PROGRAM)?;
    if opts.linux {
        let results = run_linux(ctx, &phase_dir, &built.host, patterns)?;
        let (p, f, s) = conformance::counts(results.values().map(|(v, _)| v));
        println!(
            "Linux: {p} passed, {f} failed, {s} skipped ({} cases)",
            results.len()
        );
        if patterns.is_empty() {
            let path = phase_dir.join(LINUX_RESULTS);
            let header = linux_header();
            std::fs::write(&path, conformance::results_file(&header, &results))
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {}", ctx.repo.rel(&path).display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let kernel = ctx.repo.kernel_elf(PHASE);
    let (built_run, _) = crate::cmd_phase::one_program(
        ctx,
        PHASE,
        &phases,
        kernel,
        PROGRAM.to_owned(),
        built.vibix.clone(),
    )?;
    let ok = check_vibix(ctx, &phase_dir, &built_run, patterns, opts)?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The check `cargo runner test` runs: every case on vibix.
pub fn check(ctx: &Ctx, accel: Request) -> Result<()> {
    let code = run(
        ctx,
        &Opts {
            linux: false,
            patterns: Vec::new(),
            accel,
            timeout: None,
        },
    )?;
    if code != ExitCode::SUCCESS {
        bail!("pjdfstest on vibix disagrees with Linux's results and the ledger");
    }
    Ok(())
}

fn phase_dir(ctx: &Ctx) -> Result<PathBuf> {
    let phases = phase::select(&ctx.repo, PHASE)?;
    phases
        .into_iter()
        .find(|p| p.number == PHASE)
        .map(|p| p.dir)
        .context("phase 4 is not in the repository")
}

/// pjdfstest's arguments: the configuration, the directory, the patterns.
fn suite_args(config: &str, dir: &str, patterns: &[String]) -> Vec<String> {
    let mut args = vec!["-c".into(), config.into(), "-p".into(), dir.into()];
    args.extend(patterns.iter().cloned());
    args
}

/// What the Linux results file says about where it came from.
fn linux_header() -> Vec<String> {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    vec![
        "pjdfstest 0.2.2 on Linux: every case's verdict (pass, fail, skip).".into(),
        format!(
            "Written by `cargo runner pjdfstest --linux`: the host build, as root, in a fresh tmpfs (Linux {}).",
            release.trim()
        ),
    ]
}

// ANCHOR: linux
/// Runs the host build in a tmpfs mounted for the run (as root: mounting,
/// and the cases that change owners and switch users, need it).
fn run_linux(
    ctx: &Ctx,
    phase_dir: &Path,
    binary: &Path,
    patterns: &[String],
) -> Result<conformance::Results> {
    if !qemu::is_root() {
        bail!(
            "the Linux side runs as root (it mounts a tmpfs, and pjdfstest's ownership cases \
             need root): run `cargo runner pjdfstest --linux` as root"
        );
    }
    let mnt = ctx.repo.target_dir().join("pjdfstest").join("linux-tmpfs");
    std::fs::create_dir_all(&mnt)?;
    let mount = |args: &[&str]| -> Result<()> {
        let status = std::process::Command::new(args[0])
            .args(&args[1..])
            .status()
            .with_context(|| format!("cannot run {}", args[0]))?;
        if !status.success() {
            bail!("`{}` failed", args.join(" "));
        }
        Ok(())
    };
    let shown = mnt.to_string_lossy().into_owned();
    mount(&[
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "mode=1777",
        "pjdfstest",
        &shown,
    ])?;
    let config = phase_dir.join("rootfs").join(CONFIG);
    let progress = Progress::start("running pjdfstest on Linux (host, tmpfs)".to_string());
    let out = std::process::Command::new(binary)
        .args(suite_args(&config.to_string_lossy(), &shown, patterns))
        .env("NO_COLOR", "1")
        .output();
    let unmounted = mount(&["umount", &shown]);
    let out = out.with_context(|| format!("cannot run {}", binary.display()))?;
    unmounted?;
    let text = String::from_utf8_lossy(&out.stdout);
    let results = conformance::parse_output(&text);
    if results.is_empty() {
        progress.fail();
        bail!(
            "pjdfstest reported no case on Linux:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    progress.done();
    Ok(results)
}
// ANCHOR_END: linux

/// Boots vibix with pjdfstest as init and checks its verdicts.
fn check_vibix(
    ctx: &Ctx,
    phase_dir: &Path,
    built: &crate::cmd_phase::Built,
    patterns: &[String],
    opts: &Opts,
) -> Result<bool> {
    let linux_path = phase_dir.join(LINUX_RESULTS);
    let linux_text = std::fs::read_to_string(&linux_path).with_context(|| {
        format!(
            "no Linux results ({}): run `cargo runner pjdfstest --linux` as root",
            ctx.repo.rel(&linux_path).display()
        )
    })?;
    let linux = conformance::parse_results_file(&linux_text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", ctx.repo.rel(&linux_path).display()))?;
    let ledger_path = phase_dir.join(LEDGER);
    let ledger_text = std::fs::read_to_string(&ledger_path)
        .with_context(|| format!("cannot read {}", ledger_path.display()))?;
    let ledger = conformance::parse_ledger(&ledger_text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", ctx.repo.rel(&ledger_path).display()))?;

    let config = format!("/{CONFIG}");
    let args = suite_args(&config, GUEST_DIR, patterns);
    let cmdline = kernel_cmdline(PROGRAM, &["NO_COLOR=1".to_owned()], &args)?;
    let mut machine = Machine {
        qemu: qemu::ensure_installed(&ctx.sh)?,
        kernel: built.kernel.clone(),
        initrd: built.initrd.clone(),
        accel: AccelState::new(opts.accel, Some(opts.timeout.unwrap_or(DEFAULT_TIMEOUT)))?,
        verbose: ctx.verbose,
    };
    let dir = ctx.repo.run_dir(PHASE, PROGRAM);
    let label = if patterns.is_empty() {
        "all cases".to_owned()
    } else {
        patterns.join(" ")
    };
    let progress = Progress::start(format!("booting vibix: pjdfstest ({label})"));
    let start = Instant::now();
    let boot = machine
        .boot(
            &dir,
            &cmdline,
            ConsoleMode::Captured {
                stdin: b"",
                after: std::time::Duration::ZERO,
            },
        )
        .context("cannot boot vibix")?;
    let elapsed = start.elapsed();
    if !matches!(boot.outcome, Outcome::Ended(..)) {
        progress.fail();
        bail!(
            "vibix: {} (logs in {}/)",
            boot.outcome,
            ctx.repo.rel(&dir).display()
        );
    }
    progress.done_with(&format!("{:.1} s, {}", elapsed.as_secs_f64(), boot.accel));
    let text = String::from_utf8_lossy(&boot.console);
    let vibix = conformance::parse_output(&text);
    if vibix.is_empty() {
        bail!(
            "pjdfstest reported no case on vibix (console in {}/)",
            ctx.repo.rel(&dir).display()
        );
    }
    print_table(&vibix, &linux);
    let problems = conformance::check(&vibix, &linux, &ledger);
    if problems.is_empty() {
        println!(
            "pjdfstest: every case agrees with Linux or with the ledger ({} listed)",
            ledger.len()
        );
        return Ok(true);
    }
    println!("pjdfstest: {} problems:", problems.len());
    for p in &problems {
        println!("  {p}");
    }
    println!("ledger rows for the cases that differ and are not listed:");
    for (case, (got, why)) in &vibix {
        let want = linux.get(case).copied();
        if want.is_some_and(|w| w != *got) && !ledger.contains_key(case) {
            let w = want.map_or("-", Verdict::word);
            println!("| `{case}` | {w} | {} | {why} |", got.word());
        }
    }
    println!("(console in {}/)", ctx.repo.rel(&dir).display());
    Ok(false)
}

/// Pass/fail/skip on vibix and on Linux over the cases vibix ran.
fn print_table(vibix: &conformance::Results, linux: &BTreeMap<String, Verdict>) {
    let (vp, vf, vs) = conformance::counts(vibix.values().map(|(v, _)| v));
    let on_linux: Vec<Verdict> = vibix.keys().filter_map(|c| linux.get(c).copied()).collect();
    let (lp, lf, ls) = conformance::counts(on_linux.iter());
    println!("| system | pass | fail | skip | cases |");
    println!("|---|---:|---:|---:|---:|");
    println!("| Linux | {lp} | {lf} | {ls} | {} |", on_linux.len());
    println!("| vibix | {vp} | {vf} | {vs} | {} |", vibix.len());
}
