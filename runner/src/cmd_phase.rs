//! `runner phase N [--qemu]`: build a phase (kernel, programs, initramfs)
//! and, with `--qemu`, boot every test once (or `--repeat` times) and print
//! PASS/FAIL.
//!
//! Each test boots vibix with `init=/bin/<program>`; its console output and
//! ending are checked against `expect`, `stdout_contains` and, for
//! `linux = true`, the same binary run on the host.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::booting::accel::{Accel, AccelState, Request};
use crate::booting::boot::{ConsoleMode, Machine};
use crate::booting::cmdline::kernel_cmdline;
use crate::judging::check::{Problem, check};
use crate::judging::linux::{self, HostRun};
use crate::judging::manifest::{self, LinuxOracle, TestSpec};
use crate::judging::report::{self, Failure};
use crate::phase::{self, Phase};
use crate::progress::Progress;
use crate::text::lossy;
use crate::{
    Ctx, booting::qemu, building::initramfs, building::kbuild, building::relocation_audit,
    building::std_build, building::toolchain,
};

/// A built phase, ready to boot.
pub struct Built {
    pub phase: u32,
    pub kernel: PathBuf,
    pub initrd: PathBuf,
    pub rootfs: PathBuf,
    pub programs: BTreeMap<String, PathBuf>,
    /// The Linux oracle's binaries where they differ from `programs` (std
    /// programs are built for the host separately); the rest run as they are.
    pub host_programs: BTreeMap<String, PathBuf>,
    /// The tests of every phase covered, in order.
    pub tests: Vec<TestSpec>,
}

/// How booting should go.
pub struct BootOpts {
    pub accel: Request,
    pub timeout: Option<u64>,
    pub filter: Option<String>,
    pub repeat: u32,
}

/// The result of running a phase's tests.
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    /// The accelerator the boots ended on; `None` if nothing booted.
    pub accel: Option<Accel>,
}

/// Builds phase `n`: toolchain check, kernel, programs, initramfs; from the
/// phase with a dynamic linker on, the relocation audit of everything the
/// initramfs holds, which fails the build if an object contains a
/// relocation `ld-vibix` does not apply. Manifests are read (and checked)
/// first, so a bad one fails before any build.
pub fn build(ctx: &Ctx, n: u32) -> Result<Built> {
    let built = build_unaudited(ctx, n)?;
    audit(&built)?;
    Ok(built)
}

/// The relocation audit of a staged initramfs, from the phase with a
/// dynamic linker on.
fn audit(built: &Built) -> Result<()> {
    let n = built.phase;
    if n >= relocation_audit::FIRST_PHASE {
        let objects = relocation_audit::audit_tree(&built.rootfs)?;
        let summary = relocation_audit::check(&objects).with_context(|| {
            format!("phase {n}'s initramfs (the table: cargo runner reloc-audit --phase {n})")
        })?;
        println!("relocation audit: {summary}");
    }
    Ok(())
}

/// `build` without the relocation audit (`runner reloc-audit` prints the
/// table of what this stages).
pub fn build_unaudited(ctx: &Ctx, n: u32) -> Result<Built> {
    let phases = phase::select(&ctx.repo, n)?;
    let tests = load_tests(ctx, &phases, n)?;
    kbuild::preflight(&ctx.repo, &phases)?;
    let overrides = toolchain::ignored_overrides();
    if !overrides.is_empty() {
        eprintln!(
            "note: ignoring {} for the kernel and program builds (their Cargo.toml files \
             set the target and the flags)",
            overrides.join(", ")
        );
    }
    toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    let kernel = kbuild::build_kernel(&ctx.sh, &ctx.repo, n, ctx.verbose)?;
    let mut programs = BTreeMap::new();
    for phase in &phases {
        if phase.number != 0 && !phase.cargo_toml().is_file() {
            continue;
        }
        for (name, path) in kbuild::build_programs(&ctx.sh, &ctx.repo, phase, ctx.verbose)? {
            programs.insert(name, path);
        }
    }
    // Phase 4 on: the C library, which both kinds of program below link.
    let sysroot = (n >= crate::sysroot::FIRST_PHASE)
        .then(|| crate::sysroot::build(ctx, n))
        .transpose()?;
    // Phase 1 on: std programs, built with the patched std (and for the host).
    let std_programs = std_build::build_phase_programs(ctx, n, &phases, sysroot.as_ref())?;
    let mut host_programs = std_programs.host;
    // Phase 4 on: C programs, against the sysroot (and for the host).
    let c_programs =
        crate::sysroot::c_programs::build_phase_programs(ctx, n, &phases, sysroot.as_ref())?;
    host_programs.extend(c_programs.host);
    // Phase 5 on: /lib has the shared C library, the phase's shared
    // objects and the dynamic linker (also in /bin, as a program).
    let mut libs = c_programs.libs;
    if let Some(sysroot) = &sysroot {
        libs.extend(sysroot.shared_libs());
    }
    if let Some(linker) = programs.get(crate::sysroot::shared::LINKER_PROGRAM) {
        libs.insert(crate::sysroot::shared::LINKER_FILE.into(), linker.clone());
    }
    for (name, path) in std_programs.vibix.into_iter().chain(c_programs.vibix) {
        if programs.insert(name.clone(), path).is_some() {
            bail!("two phases build a program named `{name}`; /bin needs unique names");
        }
    }
    for test in &tests {
        if !programs.contains_key(&test.program) {
            bail!(
                "test `{}` runs program `{}`, but no phase builds a binary of that name \
                 (built: {})",
                test.name,
                test.program,
                programs.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }

    let work = ctx.repo.phase_work_dir(n);
    let rootfs = work.join("rootfs");
    let initrd = work.join("initramfs.cpio");
    let progress = Progress::start(format!("packing initramfs (phase {n})"));
    let overlays: Vec<PathBuf> = phases.iter().map(Phase::rootfs_overlay).collect();
    initramfs::stage(&rootfs, &overlays, &programs)?;
    initramfs::install(&rootfs, "lib", &libs)?;
    let packed = initramfs::pack(&rootfs, &initrd)?;
    progress.done_with(&format!(
        "{} entries, {} KiB",
        packed.entries,
        packed.bytes.div_ceil(1024)
    ));
    Ok(Built {
        phase: n,
        kernel,
        initrd,
        rootfs,
        programs,
        host_programs,
        tests,
    })
}

/// A boot of one program (`runner run` of a cargo project or of C files):
/// the phases' files and `/bin/<name>` packed into phase `n`'s run
/// directory, with `kernel`. Returns the build and the program's name.
pub fn one_program(
    ctx: &Ctx,
    n: u32,
    phases: &[Phase],
    kernel: PathBuf,
    name: String,
    binary: PathBuf,
) -> Result<(Built, String)> {
    let work = ctx.repo.target_dir().join(format!("phase{n}-run"));
    let rootfs = work.join("rootfs");
    let initrd = work.join("initramfs.cpio");
    let programs = BTreeMap::from([(name.clone(), binary)]);
    let overlays: Vec<PathBuf> = phases.iter().map(Phase::rootfs_overlay).collect();
    let progress = Progress::start(format!("packing initramfs (phase {n}, /bin/{name})"));
    initramfs::stage(&rootfs, &overlays, &programs)?;
    // The shared libraries of the phase's sysroot, if it was built.
    let sysroot = crate::sysroot::Sysroot::of_phase(ctx, n);
    initramfs::install(&rootfs, "lib", &sysroot.shared_libs())?;
    let packed = initramfs::pack(&rootfs, &initrd)?;
    progress.done_with(&format!("{} KiB", packed.bytes.div_ceil(1024)));
    let built = Built {
        phase: n,
        kernel,
        initrd,
        rootfs,
        programs,
        host_programs: BTreeMap::new(),
        tests: Vec::new(),
    };
    audit(&built)?;
    Ok((built, name))
}

/// The tests of `phases` that apply when booting phase `n`'s kernel.
fn load_tests(ctx: &Ctx, phases: &[Phase], n: u32) -> Result<Vec<TestSpec>> {
    let mut tests: Vec<TestSpec> = Vec::new();
    for phase in phases {
        let path = phase.tests_toml();
        if !path.is_file() {
            continue;
        }
        for test in manifest::load(&path, ctx.repo.rel(&path))? {
            if tests.iter().any(|t| t.name == test.name) {
                bail!(
                    "test `{}` in {} has the name of an earlier phase's test; test names must \
                     be unique across phases",
                    test.name,
                    ctx.repo.rel(&path).display()
                );
            }
            if test.only_at_phase.is_none_or(|p| p == n) {
                tests.push(test);
            }
        }
    }
    Ok(tests)
}

/// `runner phase N`: build, and with `qemu` run the tests.
pub fn run(ctx: &Ctx, n: u32, qemu_tests: bool, opts: &BootOpts) -> Result<Tally> {
    let built = build(ctx, n)?;
    if !qemu_tests {
        println!(
            "built phase {n}: {} and {} ({} programs); boot the tests with `cargo runner phase \
             {n} --qemu`",
            ctx.repo.rel(&built.kernel).display(),
            ctx.repo.rel(&built.initrd).display(),
            built.programs.len()
        );
        return Ok(Tally {
            passed: 0,
            failed: 0,
            accel: None,
        });
    }
    run_tests(ctx, &built, opts)
}

/// Boots every selected test of a built phase.
pub fn run_tests(ctx: &Ctx, built: &Built, opts: &BootOpts) -> Result<Tally> {
    let phase0_manifest = phase::phase_zero(&ctx.repo).tests_toml();
    if built.tests.is_empty() {
        let shown = ctx.repo.rel(&phase0_manifest).display();
        if !phase0_manifest.is_file() {
            bail!("{shown} not found: phase 0 has no tests to boot yet");
        }
        bail!("there are no tests to boot: add [[test]] entries to {shown}");
    }
    let selected: Vec<&TestSpec> = built
        .tests
        .iter()
        .filter(|t| opts.filter.as_deref().is_none_or(|f| t.name.contains(f)))
        .collect();
    if selected.is_empty() {
        let names: Vec<&str> = built.tests.iter().map(|t| t.name.as_str()).collect();
        bail!(
            "no test name contains `{}` (tests: {})",
            opts.filter.as_deref().unwrap_or(""),
            names.join(", ")
        );
    }
    let mut machine = Machine {
        qemu: qemu::ensure_installed(&ctx.sh)?,
        kernel: built.kernel.clone(),
        initrd: built.initrd.clone(),
        accel: AccelState::new(opts.accel, opts.timeout)?,
        verbose: ctx.verbose,
    };
    eprintln!(
        "booting {} test{} of phase {} ({})",
        selected.len(),
        if selected.len() == 1 { "" } else { "s" },
        built.phase,
        machine.accel.current()
    );
    let mut tally = Tally {
        passed: 0,
        failed: 0,
        accel: None,
    };
    for test in selected {
        if run_test(ctx, &mut machine, built, test, opts.repeat.max(1))? {
            tally.passed += 1;
        } else {
            tally.failed += 1;
        }
    }
    let accel = machine.accel.current();
    tally.accel = Some(accel);
    println!(
        "{}",
        report::closing_line(tally.passed, tally.failed, &accel.to_string())
    );
    Ok(tally)
}

/// Boots one test `repeat` times; prints its PASS or FAIL; true if it passed.
fn run_test(
    ctx: &Ctx,
    machine: &mut Machine,
    built: &Built,
    test: &TestSpec,
    repeat: u32,
) -> Result<bool> {
    let dir = ctx.repo.run_dir(built.phase, &test.name);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let cmdline = kernel_cmdline(&test.program, &test.env, &test.args)
        .with_context(|| format!("test `{}`", test.name))?;
    // The manifest's `timeout`, for this test's boots (and its host run).
    machine.accel.set_test_timeout(test.timeout);
    machine.accel.set_test_tcg(test.needs_tcg());

    let host = match &test.linux {
        LinuxOracle::Compare => Some(run_on_host(machine, built, test, &dir)),
        LinuxOracle::Skip(reason) => {
            if ctx.verbose {
                eprintln!("  {}: not compared with Linux: {reason}", test.name);
            }
            None
        }
    };
    // A host run that could not even start is itself the failure.
    let host = match host {
        Some(Err(problem)) => {
            print_failure(ctx, test, &[problem], None, &dir);
            return Ok(false);
        }
        Some(Ok(run)) => Some(run),
        None => None,
    };

    let stdin = test.stdin_bytes();
    let mut times = Vec::new();
    let mut last_console = None;
    for i in 0..repeat {
        let boot = machine.boot_on(
            &dir,
            &cmdline,
            ConsoleMode::Captured {
                stdin: &stdin,
                after: Duration::from_millis(test.stdin_after_ms),
            },
            &test.cpu_without,
        )?;
        let mut problems = check(test, &boot.outcome, &boot.console, host.as_ref());
        if !problems.is_empty() {
            if repeat > 1 {
                problems[0]
                    .summary
                    .push_str(&format!(" (boot {} of {repeat})", i + 1));
            }
            let logs = Logs {
                console: lossy(&boot.console),
                kernel: boot.kernel_log.clone(),
                qemu: boot.qemu_stderr.clone(),
            };
            print_failure(ctx, test, &problems, Some(&logs), &dir);
            return Ok(false);
        }
        times.push(boot.elapsed);
        last_console = Some(boot.console);
    }
    println!("{}", report::pass_line(&test.name, &times));
    if let (Some(prefix), Some(console)) = (&test.report, &last_console) {
        let text = lossy(console);
        if let Some(line) = crate::judging::check::report_line(&text, prefix) {
            println!("    {line}");
        }
    }
    Ok(true)
}

/// Runs the test's binary on the host, saving its output as `linux.log`.
fn run_on_host(
    machine: &Machine,
    built: &Built,
    test: &TestSpec,
    dir: &std::path::Path,
) -> Result<HostRun, Problem> {
    let binary = built.host_programs.get(&test.program);
    let Some(binary) = binary.or_else(|| built.programs.get(&test.program)) else {
        return Err(Problem {
            summary: format!("program `{}` was not built", test.program),
            details: vec![],
        });
    };
    let timeout = machine.accel.timeout();
    let launcher = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            return Err(Problem {
                summary: format!("cannot find the runner's own executable to launch with: {e}"),
                details: vec![],
            });
        }
    };
    match linux::run(&launcher, binary, &built.rootfs, test, timeout) {
        Ok(run) => {
            let _ = std::fs::write(dir.join("linux.log"), &run.output);
            Ok(run)
        }
        Err(e) => Err(Problem {
            summary: format!("cannot run the program on the Linux host: {e:#}"),
            details: vec![],
        }),
    }
}

struct Logs {
    console: String,
    kernel: String,
    qemu: String,
}

fn print_failure(
    ctx: &Ctx,
    test: &TestSpec,
    problems: &[Problem],
    logs: Option<&Logs>,
    dir: &std::path::Path,
) {
    let mut shown: Vec<(&str, &str)> = Vec::new();
    if let Some(logs) = logs {
        shown.push(("console.log", &logs.console));
        shown.push(("kernel.log", &logs.kernel));
        if !logs.qemu.trim().is_empty() {
            shown.push(("qemu.log", &logs.qemu));
        }
    }
    let dir = format!("{}/", ctx.repo.rel(dir).display());
    print!(
        "{}",
        report::fail_block(&Failure {
            name: &test.name,
            problems,
            logs: &shown,
            dir: &dir
        })
    );
}
