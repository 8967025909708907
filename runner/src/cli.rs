//! The command line: every subcommand, flag and help text of `runner`, as
//! clap reads them (`main.rs` only dispatches). The book's own subcommands
//! are in `book/cli.rs`; `book/reference/runner.md` is generated from both.

use clap::{Args, Parser, Subcommand};

use crate::book;
use crate::booting::accel::Request;

/// Build and boot vibix: the kernel, its test programs and the phases of the
/// std port.
#[derive(Parser)]
#[command(name = "runner", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Show tool output as it happens, QEMU command lines, and why tests are
    /// not compared with Linux
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  cargo runner phase 0 --qemu              build phase 0 and boot every test
  cargo runner phase 0                     build only
  cargo runner run --phase 0 hello a b     boot /bin/hello with arguments a b
  cargo runner run --phase 1 --manifest-path app/Cargo.toml -- a b
                                           build a cargo project with vibix's std, run it
  cargo runner cargo --phase 3 --manifest-path crate/Cargo.toml -- test
                                           a crate's own tests, each test binary booted on vibix
  cargo runner run --phase 4 --c hello.c -- a b
                                           compile a C program against vibix_libc, run it
  cargo runner cc --phase 4 -- -O2 -o prog prog.c
                                           gcc for vibix (the sysroot's headers, crt1.o, libc.a)
  cargo runner sysroot                     build the C sysroot and print where it is
  cargo runner reloc-audit --phase 5       the relocation types in phase 5's objects, by type
  cargo runner crates                      real crates' test suites on vibix and Linux: the table
  cargo runner stress --count 5000000      vibix_libc's printf/scanf/strtod against glibc, on the host
  cargo runner pjdfstest --tcg             pjdfstest on vibix, checked against Linux's results and the ledger
  cargo runner test                        host tests, Miri, every phase in QEMU
  cargo runner bench                       benchmarks: vibix against a Linux guest on the same QEMU
  cargo runner std-port check --rehash     after a toolchain bump: port the std port's hashes

Logs of each boot: target/runs/phase<N>/<test>/{console,kernel,qemu}.log";

#[derive(Subcommand)]
pub enum Command {
    /// Build phase N (kernel, programs, initramfs); with --qemu, boot every test
    Phase(PhaseArgs),
    /// Boot one program as init, with the console on this terminal; exit with
    /// its status (128+N for signal N, 125 if vibix reported none)
    ///
    /// The program's stdin is this runner's, forwarded byte for byte: at a
    /// terminal, Ctrl-D at the start of a line is end of file and Ctrl-C
    /// stops vibix; from a pipe or a file, the end of it is end of file.
    Run(RunArgs),
    /// Everything CI runs: host unit tests, tidy checks, clippy, every phase
    /// that exists with --qemu (Miri on the userspace and kernel-logic crates
    /// meanwhile, in the background), real suites, then the book
    Test(TestArgs),
    /// Run a cargo command (test, run, bench, build) for vibix: the phase's
    /// std through -Zbuild-std, the target spec, and this runner as cargo's
    /// target runner, so each binary cargo runs boots on vibix; exit with
    /// cargo's status
    Cargo(CargoArgs),
    /// cargo's target runner: boot BINARY as init with ARGS, the package's
    /// directory copied in at the same path, and exit with its status
    /// (128+N for signal N, 125 if vibix reported none)
    Exec(ExecArgs),
    /// Real crates' own test suites (phases/phase3-threads/crates/), from
    /// crates.io, on vibix and on Linux: tests run, passed, failed, ignored
    Crates(CratesArgs),
    /// vibix_libc's printf, snprintf, sscanf and strto* against glibc on
    /// this host: phases/phase4-libc/c/c-stress-format.c built for both
    /// (the vibix build runs here directly), the same seeded random cases,
    /// outputs compared; the first differing cases shown
    Stress(StressArgs),
    /// pjdfstest, a POSIX file-system conformance suite (crates.io), on
    /// vibix in /tmp, each case checked against the Linux results and the
    /// ledger of differences (phases/phase4-libc/measurements/); with
    /// --linux, run it on this host in a fresh tmpfs (as root) and write the
    /// Linux results
    Pjdfstest(PjdfstestArgs),
    /// Benchmarks: the latest (or --phase N's) benchmark programs on vibix,
    /// on a Linux guest under the identical QEMU command line, and on the
    /// host; ns/op, the vibix/Linux ratios and their geometric mean, how the
    /// scaling curves grow
    ///
    /// The Linux guest is Debian's packaged cloud kernel (fetched into
    /// target/ with `apt-get download` when run as root, or --linux-kernel),
    /// booted with mitigations=off, as vibix has none. TCG is the reference;
    /// KVM is measured too where it is healthy.
    Bench(BenchArgs),
    /// Build the C sysroot of phase N (4 on): headers generated from
    /// vibix_libc's sources, libc.a, crt1.o, crti.o, crtn.o; print its
    /// directory
    Sysroot(SysrootArgs),
    /// gcc for vibix: ARGS compiled against the sysroot's headers and, when
    /// linking, with its crt1.o and libc.a (static, no PIE); exit with gcc's
    /// status
    Cc(CcArgs),
    /// The relocation audit: the dynamic relocation types in every ELF
    /// object phase N installs (its initramfs, built first), or in PATHs, or
    /// in the host samples; per type, whether ld-vibix applies it and which
    /// objects contain it; exit 1 if one is not applied
    ///
    /// `runner phase N` (5 on) runs the same audit after its build and fails
    /// on a type ld-vibix does not apply
    /// (ld_vibix::relocate::SUPPORTED).
    RelocAudit(RelocAuditArgs),
    /// The workbook: serve, build (HTML + link check), test (run its code
    /// blocks), run one block, regenerate its reference pages
    Book(book::BookArgs),
    /// The std port's layers (phases/phase<N>-*/std-port/)
    #[command(subcommand)]
    StdPort(StdPortCommand),
}

#[derive(Subcommand)]
pub enum StdPortCommand {
    /// After a toolchain bump: which anchored edits no longer apply to the
    /// pinned toolchain's rust-src (exit 1 if any, or if a hash is stale)
    Check {
        /// Rewrite the sha256 of every edited file whose anchors still apply
        /// (and a layer's `toolchain` once all of its edits apply)
        #[arg(long)]
        rehash: bool,
    },
}

#[derive(Args)]
pub struct AccelArgs {
    /// Use KVM, and fail if it is unusable (no fallback to TCG)
    #[arg(long, conflicts_with = "tcg")]
    pub kvm: bool,

    /// Use TCG (software emulation) even if KVM works
    #[arg(long)]
    pub tcg: bool,

    /// Seconds before a boot is killed [default: 120;
    /// 0 = no limit]
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
}

impl AccelArgs {
    pub fn request(&self) -> Request {
        match (self.kvm, self.tcg) {
            (true, _) => Request::Kvm,
            (_, true) => Request::Tcg,
            _ => Request::Auto,
        }
    }

    pub fn given(&self) -> Option<&'static str> {
        if self.kvm {
            Some("--kvm")
        } else if self.tcg {
            Some("--tcg")
        } else if self.timeout.is_some() {
            Some("--timeout")
        } else {
            None
        }
    }
}

#[derive(Args)]
pub struct PhaseArgs {
    /// The phase: 0 (the kernel's own test programs) up to the last landed one
    #[arg(value_name = "N")]
    pub phase: u32,

    /// Boot every test in QEMU and print PASS/FAIL (without it: build only)
    #[arg(long)]
    pub qemu: bool,

    /// Only the tests whose name contains SUBSTR
    #[arg(long, value_name = "SUBSTR")]
    pub filter: Option<String>,

    /// Boot each test N times and print min/median/max boot time
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: Option<u32>,

    #[command(flatten)]
    pub accel: AccelArgs,
}

#[derive(Args)]
pub struct RunArgs {
    /// The phase whose kernel and programs to boot
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub phase: u32,

    /// An extra KEY=VALUE for init's environment (repeatable)
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    #[command(flatten)]
    pub accel: AccelArgs,

    /// Build this cargo project for vibix with the phase's std (phase 1 or
    /// later) and run its binary as init; every word after the options is
    /// then an argument (`-- ARGS`)
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<std::path::PathBuf>,

    /// With --manifest-path: the binary to run, if the project has several
    #[arg(long, value_name = "NAME", requires = "manifest_path")]
    pub bin: Option<String>,

    /// Compile this C file against the phase's C library (phase 4 or later)
    /// and run it as init, named after the first file (repeatable: one
    /// program from several files); every word after the options is then an
    /// argument (`-- ARGS`)
    #[arg(long = "c", value_name = "FILE.c", conflicts_with = "manifest_path")]
    pub c: Vec<std::path::PathBuf>,

    /// The program to run as init: /bin/<PROGRAM>
    #[arg(required_unless_present_any = ["manifest_path", "c"])]
    pub program: Option<String>,

    /// Its arguments (argv[1..]); everything after PROGRAM goes to it
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

#[derive(Args)]
pub struct SysrootArgs {
    /// The phase whose C library to use (4 or later)
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub phase: u32,
}

#[derive(Args)]
pub struct RelocAuditArgs {
    /// The phase whose initramfs to audit (5 or later)
    #[arg(long, value_name = "N", default_value_t = crate::building::relocation_audit::FIRST_PHASE)]
    pub phase: u32,

    /// Instead of the phase: a C shared object and executables linked
    /// against it, built with this host's cc and each linker it has
    /// (target/reloc-audit/samples/): what linkers really emit
    #[arg(long, conflicts_with_all = ["phase", "paths"])]
    pub samples: bool,

    /// Instead of the phase: these ELF files, or every ELF file under
    /// these directories
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,

    /// Rewrite the table in the phase's book chapter (the phase's, or the
    /// samples') from this run (on purpose only; never in CI)
    #[arg(long, conflicts_with = "paths")]
    pub update_book: bool,
}

#[derive(Args)]
pub struct CcArgs {
    /// The phase whose C library to use (4 or later)
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub phase: u32,

    /// Link against the shared C library (phase 5 on): a program started
    /// by the dynamic linker. `-shared` among gcc's arguments makes a
    /// shared object instead. Without either, a static program
    #[arg(long)]
    pub dynamic: bool,

    /// gcc's arguments (after `--`): sources, objects, -o, -O2, -l…
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
    pub args: Vec<String>,
}

#[derive(Args)]
pub struct CargoArgs {
    /// The phase whose kernel and std to use (3 or later for unwinding)
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub phase: u32,

    /// The project (cargo's own --manifest-path; cargo then runs in its
    /// directory, so its `.cargo/config.toml` applies)
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<std::path::PathBuf>,

    /// The panic runtime [default: unwind from phase 3, abort before]
    #[arg(long, value_enum)]
    pub panic: Option<crate::cmd_cargo::Panic>,

    #[command(flatten)]
    pub accel: AccelArgs,

    /// The cargo command: `test`, `run`, `bench`, `build`…, and its
    /// arguments (after `--`)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
    pub args: Vec<String>,
}

#[derive(Args)]
pub struct ExecArgs {
    /// The phase whose kernel to boot
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub phase: u32,

    /// An extra KEY=VALUE for the program's environment (repeatable)
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    #[command(flatten)]
    pub accel: AccelArgs,

    /// The program (a vibix binary cargo built)
    pub binary: std::path::PathBuf,

    /// Its arguments
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

#[derive(Args)]
pub struct CratesArgs {
    /// Only the crates whose name contains SUBSTR
    #[arg(long, value_name = "SUBSTR")]
    pub filter: Option<String>,

    /// Only vibix (no Linux run, no comparison)
    #[arg(long)]
    pub vibix_only: bool,

    #[command(flatten)]
    pub accel: AccelArgs,
}

#[derive(Args)]
pub struct PjdfstestArgs {
    /// Run the host build on Linux (this machine, as root, in a fresh
    /// tmpfs); without patterns, write the Linux results file
    #[arg(long)]
    pub linux: bool,

    /// Only the cases whose name contains one of PATTERNS (pjdfstest's own
    /// filter)
    pub patterns: Vec<String>,

    #[command(flatten)]
    pub accel: AccelArgs,
}

#[derive(Args)]
pub struct StressArgs {
    /// The random stream
    #[arg(long, value_name = "S", default_value_t = crate::cmd_stress::DEFAULT_SEED)]
    pub seed: u64,

    /// How many cases (`cargo runner test` runs the default)
    #[arg(long, value_name = "N", default_value_t = crate::cmd_stress::DEFAULT_COUNT)]
    pub count: u64,
}

#[derive(Args)]
pub struct BenchArgs {
    /// The phase whose benchmarks to run (with those of the phases before
    /// it) [default: the latest landed phase]
    #[arg(long, value_name = "N")]
    pub phase: Option<u32>,

    /// Also write the results as JSON to PATH [default:
    /// target/bench/phase<N>.json]
    #[arg(long, value_name = "PATH")]
    pub json: Option<std::path::PathBuf>,

    /// The Linux guest's kernel (a bzImage); without it, Debian's packaged
    /// cloud kernel is fetched into target/linux-guest/
    #[arg(long, value_name = "PATH")]
    pub linux_kernel: Option<std::path::PathBuf>,

    /// Milliseconds one timed run of an item aims at (each item: calibration,
    /// then the best of three runs)
    #[arg(long, value_name = "MS", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub ms: u64,

    /// Only the items whose name contains SUBSTR
    #[arg(long, value_name = "SUBSTR")]
    pub only: Option<String>,

    /// Boot each program N times on each system, vibix and Linux in turn,
    /// and keep each item's fastest (the machine's speed drifts between
    /// boots)
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub rounds: u32,

    /// TCG only: do not probe KVM
    #[arg(long)]
    pub tcg: bool,

    /// Skip the native run on the host
    #[arg(long)]
    pub no_host: bool,

    /// Seconds before one boot is killed [default: 900]
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,

    /// Rewrite the book's committed results (book/reference/bench-results.json)
    /// and the Performance page's table from this run (on purpose only;
    /// never in CI)
    #[arg(long)]
    pub update_book: bool,
}

#[derive(Args)]
pub struct TestArgs {
    /// Only the QEMU tests whose name contains SUBSTR
    #[arg(long, value_name = "SUBSTR")]
    pub filter: Option<String>,

    #[command(flatten)]
    pub accel: AccelArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_run_arguments() {
        let cli = Cli::try_parse_from([
            "runner",
            "run",
            "--phase",
            "0",
            "--tcg",
            "echo",
            "-n",
            "two words",
        ])
        .unwrap();
        let Command::Run(run) = cli.command else {
            panic!("not run")
        };
        assert_eq!(run.program.as_deref(), Some("echo"));
        assert_eq!(run.args, ["-n", "two words"]);
        assert!(run.accel.tcg);
    }

    #[test]
    fn parses_a_project_run() {
        let cli = Cli::try_parse_from([
            "runner",
            "run",
            "--phase",
            "1",
            "--manifest-path",
            "p/Cargo.toml",
            "--",
            "first",
            "-x",
        ])
        .unwrap();
        let Command::Run(run) = cli.command else {
            panic!("not run")
        };
        assert_eq!(
            run.manifest_path.as_deref(),
            Some(std::path::Path::new("p/Cargo.toml"))
        );
        // The runner passes every word on: PROGRAM is the first argument.
        assert_eq!(run.program.as_deref(), Some("first"));
        assert_eq!(run.args, ["-x"]);
        assert!(Cli::try_parse_from(["runner", "run", "--phase", "1"]).is_err());
        assert!(Cli::try_parse_from(["runner", "run", "--bin", "x", "prog"]).is_err());
    }

    #[test]
    fn parses_a_c_run_and_cc() {
        let cli = Cli::try_parse_from([
            "runner", "run", "--phase", "4", "--c", "a.c", "--c", "b.c", "--", "x", "-y",
        ])
        .unwrap();
        let Command::Run(run) = cli.command else {
            panic!("not run")
        };
        assert_eq!(run.c.len(), 2);
        assert_eq!(run.program.as_deref(), Some("x"));
        assert_eq!(run.args, ["-y"]);
        let cli = Cli::try_parse_from(["runner", "run", "--phase", "4", "--c", "a.c"]).unwrap();
        let Command::Run(run) = cli.command else {
            panic!("not run")
        };
        assert_eq!(run.program, None);
        let cli =
            Cli::try_parse_from(["runner", "cc", "--", "-O2", "-o", "p", "p.c", "-lm"]).unwrap();
        let Command::Cc(cc) = cli.command else {
            panic!("not cc")
        };
        assert_eq!((cc.phase, cc.args.len()), (4, 5));
        assert!(Cli::try_parse_from(["runner", "cc"]).is_err());
    }

    #[test]
    fn parses_cargo_and_exec() {
        let cli = Cli::try_parse_from([
            "runner", "cargo", "--phase", "3", "--tcg", "--", "test", "--", "--exact", "x",
        ])
        .unwrap();
        let Command::Cargo(c) = cli.command else {
            panic!("not cargo")
        };
        assert_eq!(c.args, ["test", "--", "--exact", "x"]);
        assert!(c.accel.tcg);
        assert!(Cli::try_parse_from(["runner", "cargo", "--phase", "3"]).is_err());
        // cargo calls its runner with the binary and the harness's flags.
        let cli = Cli::try_parse_from([
            "runner",
            "exec",
            "--phase",
            "3",
            "/t/deps/x-1",
            "--list",
            "--format",
            "terse",
        ])
        .unwrap();
        let Command::Exec(e) = cli.command else {
            panic!("not exec")
        };
        assert_eq!(e.binary, std::path::Path::new("/t/deps/x-1"));
        assert_eq!(e.args, ["--list", "--format", "terse"]);
    }

    #[test]
    fn parses_bench_arguments() {
        let cli = Cli::try_parse_from([
            "runner", "bench", "--phase", "1", "--json", "out.json", "--ms", "20",
        ])
        .unwrap();
        let Command::Bench(b) = cli.command else {
            panic!("not bench")
        };
        assert_eq!((b.phase, b.ms, b.update_book), (Some(1), 20, false));
        assert_eq!(b.json.as_deref(), Some(std::path::Path::new("out.json")));
        assert!(Cli::try_parse_from(["runner", "bench", "--ms", "0"]).is_err());
    }

    #[test]
    fn kvm_and_tcg_conflict() {
        assert!(Cli::try_parse_from(["runner", "phase", "0", "--qemu", "--kvm", "--tcg"]).is_err());
        assert!(Cli::try_parse_from(["runner", "phase", "0", "--qemu", "--repeat", "0"]).is_err());
        let cli = Cli::try_parse_from(["runner", "phase", "0", "--qemu", "--repeat", "5", "--kvm"])
            .unwrap();
        let Command::Phase(p) = cli.command else {
            panic!("not phase")
        };
        assert_eq!(
            (p.phase, p.repeat, p.accel.request()),
            (0, Some(5), Request::Kvm)
        );
    }
}
