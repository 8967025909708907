//! `runner bench [--phase N]`: build the phase, boot each benchmark program
//! of phases 1..=N on vibix and on a Linux guest under the identical QEMU
//! command line (TCG, the reference; KVM too where it is healthy), run it
//! natively on the host, and print ns/op, the vibix/Linux ratios, their
//! geometric mean and the scaling curves. Results go to JSON under
//! `target/bench/`, and with `--update-book` into the book.
//!
//! The Linux guest boots Debian's cloud kernel (`benching::linux_kernel`)
//! with `mitigations=off` and an initramfs of the same programs whose init
//! is `bench_init` (devtmpfs on /dev, tmpfs on /tmp, power off at the end).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::benching::guest::{self, System};
use crate::benching::linux_kernel::{self, LinuxKernel};
use crate::benching::machine_info::{self, MachineInfo};
use crate::benching::manifest::{self, Program};
use crate::benching::results::{self, AccelRun, Results, SystemSamples};
use crate::benching::samples::Sample;
use crate::benching::{book_page, table};
use crate::booting::accel::{self, Accel};
use crate::booting::cmdline::kernel_cmdline;
use crate::booting::qemu::{self, Invocation};
use crate::building::initramfs;
use crate::cli::BenchArgs;
use crate::cmd_phase::{self, Built};
use crate::phase::{self, Unavailable};
use crate::progress::Progress;

/// The Linux guest's init, a phase-1 program.
const LINUX_INIT: &str = "bench_init";
/// Phase 1's static benchmark program, which is also the trivial program
/// the exec benchmarks run (`bench nop`), passed to every program as
/// `exe=PATH`.
const TRIVIAL: &str = "bench";
/// What the Linux guest's command line holds besides init and its
/// arguments: the console, no messages, no mitigations (vibix has none), a
/// panic ends QEMU.
pub const LINUX_CMDLINE: &str = "console=ttyS0 quiet mitigations=off panic=-1";
/// The scratch directory inside the guests (tmpfs on Linux, vibix's root).
const GUEST_DIR: &str = "/tmp/bench";
/// The default per-boot timeout.
const DEFAULT_TIMEOUT: u64 = 900;

pub fn run(ctx: &Ctx, args: &BenchArgs) -> Result<ExitCode> {
    let load_before = machine_info::load_average();
    let n = match args.phase {
        Some(n) => n,
        None => *phase::landed_numbers(&ctx.repo)?.last().unwrap_or(&0),
    };
    if n == 0 {
        return Err(Unavailable(
            "phase 0 has no benchmarks: they time themselves with clock_gettime, a phase-1 \
             call (use --phase 1 or later)"
                .into(),
        )
        .into());
    }
    let phases = phase::select(&ctx.repo, n)?;
    let programs = manifest::load(&phases, |p| ctx.repo.rel(p).to_path_buf())?;
    if programs.is_empty() {
        bail!("no phase up to {n} has a {} of benchmarks", manifest::FILE);
    }
    let linux = linux_kernel::locate(ctx, args.linux_kernel.as_deref())?;
    let built = cmd_phase::build(ctx, n)?;
    for name in programs
        .iter()
        .map(|p| p.name.as_str())
        .chain([LINUX_INIT, TRIVIAL])
    {
        if !built.programs.contains_key(name) {
            bail!("phase {n} builds no program `{name}`, which its benchmarks need");
        }
    }
    let qemu = qemu::ensure_installed(&ctx.sh)?;
    let mut machine = MachineInfo::read(&qemu);
    machine.load_before = load_before;
    let bench_dir = ctx.repo.target_dir().join("bench");
    let linux_initrd = linux_initramfs(ctx, &built, &programs, &bench_dir)?;
    let timeout = match args.timeout.unwrap_or(DEFAULT_TIMEOUT) {
        0 => None,
        s => Some(Duration::from_secs(s)),
    };
    let mut program_args = vec![format!("ms={}", args.ms)];
    if let Some(only) = &args.only {
        program_args.push(format!("only={only}"));
    }
    eprintln!(
        "Linux guest: {} with {LINUX_CMDLINE} (vibix has no Spectre/Meltdown mitigations, so \
         the guest runs without them too)",
        linux.describe
    );
    let setup = Setup {
        ctx,
        qemu: &qemu,
        built: &built,
        linux: &linux,
        linux_initrd: &linux_initrd,
        programs: &programs,
        args: &program_args,
        timeout,
        runs_dir: bench_dir.join("runs"),
    };

    let host = if args.no_host {
        SystemSamples::default()
    } else {
        run_host(&setup, &bench_dir)?
    };
    let mut accels = vec![Accel::Tcg];
    let kvm = if args.tcg {
        "not probed (--tcg)".to_owned()
    } else {
        match kvm_health(&setup)? {
            Ok(()) => {
                accels.push(Accel::Kvm);
                "measured (healthy)".to_owned()
            }
            Err(why) => format!("skipped: {why}"),
        }
    };
    let mut runs = Vec::new();
    for accel in accels {
        let (vibix, linux_samples) = run_systems(&setup, accel, args.rounds)?;
        let (rows, curves) = results::assemble(
            args.only.as_deref(),
            &programs,
            &vibix,
            &linux_samples,
            &host,
        );
        let probe = Invocation {
            qemu: qemu.clone(),
            kernel: PathBuf::new(),
            initrd: PathBuf::new(),
            cmdline: String::new(),
            accel,
            kernel_log: PathBuf::new(),
            cpu_without: Vec::new(),
        };
        runs.push(AccelRun {
            accel: accel.to_string(),
            qemu_machine: probe.machine_line(),
            geomean: results::geomean(&rows),
            rows,
            curves,
        });
    }
    let results = Results {
        phase: n,
        machine,
        load_after: machine_info::load_average(),
        linux_kernel: linux.describe.clone(),
        linux_cmdline: LINUX_CMDLINE.to_owned(),
        ms: args.ms,
        rounds: args.rounds,
        runs,
        kvm,
    };
    println!();
    for run in &results.runs {
        print!("{}", table::text(run));
        println!();
    }
    println!("KVM: {}", results.kvm);
    println!(
        "load average before {}, after {} ({} cores)",
        results.machine.load_before, results.load_after, results.machine.cores
    );
    let json_path = args
        .json
        .clone()
        .unwrap_or_else(|| bench_dir.join(format!("phase{n}.json")));
    if let Some(parent) = json_path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&json_path, serde_json::to_string_pretty(&results)? + "\n")
        .with_context(|| format!("cannot write {}", json_path.display()))?;
    println!("results: {}", json_path.display());
    if args.update_book {
        book_page::update(ctx, &results)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What every boot of the run shares.
struct Setup<'a> {
    ctx: &'a Ctx,
    qemu: &'a Path,
    built: &'a Built,
    linux: &'a LinuxKernel,
    linux_initrd: &'a Path,
    programs: &'a [Program],
    /// The programs' arguments besides `dir=`.
    args: &'a [String],
    timeout: Option<Duration>,
    runs_dir: PathBuf,
}

impl Setup<'_> {
    fn invocation(
        &self,
        system: System,
        accel: Accel,
        program: &str,
        dir: &Path,
    ) -> Result<Invocation> {
        let mut words = vec![format!("dir={GUEST_DIR}"), format!("exe=/bin/{TRIVIAL}")];
        words.extend(self.args.iter().cloned());
        let (kernel, initrd, cmdline) = match system {
            System::Vibix => (
                self.built.kernel.clone(),
                self.built.initrd.clone(),
                kernel_cmdline(program, &[], &words)?,
            ),
            System::Linux => (
                self.linux.path.clone(),
                self.linux_initrd.to_path_buf(),
                format!(
                    "{LINUX_CMDLINE} rdinit=/bin/{LINUX_INIT} -- /bin/{program} {}",
                    words.join(" ")
                ),
            ),
        };
        Ok(Invocation {
            qemu: self.qemu.to_path_buf(),
            kernel,
            initrd,
            cmdline,
            accel,
            kernel_log: dir.join("kernel.log"),
            cpu_without: Vec::new(),
        })
    }
}

/// The Linux guest's initramfs: `bench_init`, the benchmark programs (a
/// std program's host build), the programs they start (`runs`) and the
/// shared libraries those need.
fn linux_initramfs(ctx: &Ctx, built: &Built, programs: &[Program], dir: &Path) -> Result<PathBuf> {
    let rootfs = dir.join("linux-rootfs");
    let out = dir.join("linux-initramfs.cpio");
    let mut bins = BTreeMap::new();
    let names = programs
        .iter()
        .flat_map(|p| std::iter::once(&p.name).chain(&p.runs))
        .map(String::as_str);
    for name in names.chain([LINUX_INIT, TRIVIAL]) {
        let path = built
            .host_programs
            .get(name)
            .or_else(|| built.programs.get(name))
            .with_context(|| format!("program `{name}` was not built"))?;
        bins.insert(name.to_owned(), path.clone());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    initramfs::stage(&rootfs, &[], &bins)?;
    for binary in bins.values() {
        for lib in shared_libraries(binary)? {
            let dest = rootfs.join(lib.strip_prefix("/").unwrap_or(&lib));
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // The file itself, not a symlink to it.
            std::fs::copy(&lib, &dest).with_context(|| format!("cannot copy {}", lib.display()))?;
        }
    }
    let packed = initramfs::pack(&rootfs, &out)?;
    if ctx.verbose {
        eprintln!(
            "Linux guest initramfs: {} ({} entries)",
            out.display(),
            packed.entries
        );
    }
    Ok(out)
}

/// The shared libraries (and the dynamic loader) a host binary loads, by
/// `ldd`; none for a static one.
fn shared_libraries(binary: &Path) -> Result<Vec<PathBuf>> {
    let out = std::process::Command::new("ldd")
        .arg(binary)
        .output()
        .context("cannot run ldd (to find the std programs' shared libraries)")?;
    Ok(parse_ldd(&String::from_utf8_lossy(&out.stdout)))
}

/// The absolute paths in `ldd` output (`libc.so.6 => /lib/…/libc.so.6
/// (0x…)`, `/lib64/ld-linux-x86-64.so.2 (0x…)`); "not a dynamic
/// executable" has none.
fn parse_ldd(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter_map(|l| {
            let path = match l.split_once("=>") {
                Some((_, right)) => right.split_whitespace().next()?,
                None => l.split_whitespace().next()?,
            };
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect()
}

/// Runs every program on vibix and on Linux under `accel`: `rounds` times
/// each, the two systems in turn (vibix, Linux, vibix, Linux, …), so that
/// a drift in the machine's speed reaches both alike; each item keeps its
/// fastest time of the rounds.
fn run_systems(
    setup: &Setup<'_>,
    accel: Accel,
    rounds: u32,
) -> Result<(SystemSamples, SystemSamples)> {
    let (mut vibix, mut linux) = (SystemSamples::default(), SystemSamples::default());
    for round in 1..=rounds {
        for (i, program) in setup.programs.iter().enumerate() {
            for (system, all) in [(System::Vibix, &mut vibix), (System::Linux, &mut linux)] {
                let (samples, boot_ns) = run_one(setup, system, accel, program, round, rounds)?;
                // The boot item is the first program's boot to its first line.
                if i == 0 {
                    all.boot_ns = results::fastest(all.boot_ns, boot_ns);
                }
                let kept = all.by_program.entry(program.name.clone()).or_default();
                results::keep_fastest(kept, samples);
            }
        }
    }
    Ok((vibix, linux))
}

/// One boot of `program` on `system`: its samples, and the boot to its
/// first line.
fn run_one(
    setup: &Setup<'_>,
    system: System,
    accel: Accel,
    program: &Program,
    round: u32,
    rounds: u32,
) -> Result<(Vec<Sample>, Option<f64>)> {
    let dir =
        setup
            .runs_dir
            .join(accel.to_string())
            .join(format!("{}-{}", system.name(), program.name));
    let inv = setup.invocation(system, accel, &program.name, &dir)?;
    let label = if rounds > 1 {
        format!(
            "{} {accel}: {} ({round}/{rounds})",
            system.name(),
            program.name
        )
    } else {
        format!("{} {accel}: {}", system.name(), program.name)
    };
    let progress = Progress::new(format!("booting {label}"), true);
    let run = guest::boot(
        system,
        &inv,
        &dir,
        setup.timeout,
        setup.ctx.verbose,
        &mut |s| show(&label, s),
    );
    let run = match run {
        Ok(run) => {
            progress.done();
            run
        }
        Err(e) => {
            progress.fail();
            return Err(e);
        }
    };
    Ok((run.samples, run.to_first_line.map(|d| d.as_nanos() as f64)))
}

/// The host run of the programs that make sense there.
fn run_host(setup: &Setup<'_>, bench_dir: &Path) -> Result<SystemSamples> {
    let mut all = SystemSamples::default();
    // Memory, like the guests' scratch directories, where there is one.
    let scratch = if Path::new("/dev/shm").is_dir() {
        PathBuf::from(format!("/dev/shm/vibix-bench-{}", std::process::id()))
    } else {
        bench_dir.join("host-scratch")
    };
    let trivial = std::path::absolute(&setup.built.programs[TRIVIAL])?;
    for program in setup.programs.iter().filter(|p| p.host) {
        // A std program's host build; a static one runs as it is.
        let built = &setup.built;
        let binary = built
            .host_programs
            .get(&program.name)
            .or_else(|| built.programs.get(&program.name))
            .with_context(|| format!("program `{}` was not built", program.name))?;
        let binary = std::path::absolute(binary)?;
        let mut args = vec![
            format!("dir={}", scratch.display()),
            format!("exe={}", trivial.display()),
        ];
        args.extend(setup.args.iter().cloned());
        let label = format!("host: {}", program.name);
        let progress = Progress::new(format!("running {label}"), true);
        let dir = setup.runs_dir.join(format!("host-{}", program.name));
        let run = guest::host(&binary, &args, &dir, setup.timeout, &mut |s| {
            show(&label, s)
        });
        let _ = std::fs::remove_dir_all(&scratch);
        match run {
            Ok(run) => {
                progress.done();
                all.by_program.insert(program.name.clone(), run.samples);
            }
            Err(e) => {
                progress.fail();
                return Err(e);
            }
        }
    }
    Ok(all)
}

/// Whether KVM can be measured: it must open, and a vibix boot on it must
/// not report that the hypervisor strands SYSCALL in user mode (nested KVM
/// on some hosts makes every system call cost milliseconds there).
fn kvm_health(setup: &Setup<'_>) -> Result<Result<(), String>> {
    if let Err(why) = accel::probe_kvm() {
        return Ok(Err(why));
    }
    let Some(program) = setup.programs.first() else {
        return Ok(Ok(()));
    };
    let dir = setup.runs_dir.join("kvm-probe");
    let mut inv = setup.invocation(System::Vibix, Accel::Kvm, &program.name, &dir)?;
    inv.cmdline = kernel_cmdline(&program.name, &[], &["nop".to_owned()])?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let progress = Progress::start("probing KVM (one vibix boot)");
    let finished = qemu::run(
        &inv,
        qemu::Console::Captured {
            input: crate::booting::console_input::Source::Bytes {
                bytes: Vec::new(),
                after: Duration::ZERO,
            },
            log: dir.join("console.log"),
        },
        Some(Duration::from_secs(60)),
    );
    let finished = finished?;
    progress.done();
    let log = std::fs::read_to_string(&inv.kernel_log).unwrap_or_default();
    if accel::strands_syscalls(&log) {
        return Ok(Err(
            "this host's (nested) KVM strands SYSCALL in user mode, so each system call costs \
             milliseconds there (vibix's kernel log says so); TCG is the reference"
                .into(),
        ));
    }
    let stderr = String::from_utf8_lossy(&finished.stderr);
    if let Some(fault) = accel::kvm_fault(&stderr, true, log.trim().is_empty()) {
        return Ok(Err(format!("KVM failed: {fault}")));
    }
    Ok(Ok(()))
}

/// A progress line for one sample.
fn show(label: &str, s: &Sample) {
    let what = match s.param {
        Some(p) => format!("{} {p}", s.item),
        None => s.item.clone(),
    };
    match (s.ns_per_op, &s.skipped) {
        (Some(ns), _) => eprintln!("  {label}: {what}: {}/op", table::fmt_ns(ns)),
        (None, Some(why)) => eprintln!("  {label}: {what}: skipped ({why})"),
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ldd_output() {
        let text = "\tlinux-vdso.so.1 (0x00007ffd)\n\
                    \tlibgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x00007f)\n\
                    \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n\
                    \t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n";
        assert_eq!(
            parse_ldd(text),
            [
                PathBuf::from("/lib/x86_64-linux-gnu/libgcc_s.so.1"),
                PathBuf::from("/lib/x86_64-linux-gnu/libc.so.6"),
                PathBuf::from("/lib64/ld-linux-x86-64.so.2"),
            ]
        );
        assert!(parse_ldd("\tnot a dynamic executable\n").is_empty());
    }
}
