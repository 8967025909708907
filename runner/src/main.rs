//! `runner`: the vibix command line. It builds the kernel and the test
//! programs, packs them into an initramfs, boots QEMU once per test and
//! checks each program against the same binary run on Linux.
//!
//! ```text
//! cargo runner phase 0 --qemu          # build phase 0, boot every test, PASS/FAIL
//! cargo runner phase 0                 # build only
//! cargo runner run --phase 0 hello a b # boot one program on this terminal
//! cargo runner test                    # everything CI runs
//! ```
//!
//! `cargo runner` is an alias (`.cargo/config.toml`); `cargo install --path
//! runner` gives a `runner` binary that works the same from anywhere in the
//! clone. Exit status: 0 when everything passed, 1 when a test or step
//! failed, 2 for a usage error or a phase that has not landed; `run` exits
//! with the program's own status (125 if vibix reported none).

mod abi_literals;
mod accel;
mod book;
mod boot;
mod check;
mod clippy;
mod cmd_phase;
mod cmd_run;
mod cmd_test;
mod cmdline;
mod console_input;
mod cpio;
mod initramfs;
mod kbuild;
mod linux;
mod manifest;
mod normalize;
mod outcome;
mod phase;
mod phase_adds;
mod phase_features;
mod pipes;
mod progress;
mod qemu;
mod repo;
mod report;
mod safety;
mod status;
mod std_build;
mod std_port;
mod std_port_check;
mod step;
#[cfg(test)]
mod testutil;
mod text;
mod toolchain;

use std::process::ExitCode;

use anyhow::Result;
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use xshell::Shell;

use crate::accel::Request;
use crate::cmd_phase::BootOpts;
use crate::phase::Unavailable;
use crate::repo::Repo;

/// Build and boot vibix: the kernel, its test programs and the phases of the
/// std port.
#[derive(Parser)]
#[command(name = "runner", version, after_help = EXAMPLES)]
struct Cli {
    /// Show tool output as it happens, QEMU command lines, and why tests are
    /// not compared with Linux
    #[arg(short, long, global = true)]
    verbose: bool,

    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  cargo runner phase 0 --qemu              build phase 0 and boot every test
  cargo runner phase 0                     build only
  cargo runner run --phase 0 hello a b     boot /bin/hello with arguments a b
  cargo runner run --phase 1 --manifest-path app/Cargo.toml -- a b
                                           build a cargo project with vibix's std, run it
  cargo runner test                        host tests, Miri, every phase in QEMU
  cargo runner std-port check --rehash     after a toolchain bump: port the std port's hashes

Logs of each boot: target/runs/phase<N>/<test>/{console,kernel,qemu}.log";

#[derive(Subcommand)]
enum Command {
    /// Build phase N (kernel, programs, initramfs); with --qemu, boot every test
    Phase(PhaseArgs),
    /// Boot one program as init, with the console on this terminal; exit with
    /// its status (128+N for signal N, 125 if vibix reported none)
    ///
    /// The program's stdin is this runner's, forwarded byte for byte: at a
    /// terminal, Ctrl-D at the start of a line is end of file and Ctrl-C
    /// stops vibix; from a pipe or a file, the end of it is end of file.
    Run(RunArgs),
    /// Everything CI runs: host unit tests, Miri on kcore and vibix_abi, then
    /// every phase that exists with --qemu
    Test(TestArgs),
    /// The workbook: serve, build (HTML + link check), test (run its code
    /// blocks), run one block, regenerate its reference pages
    Book(book::BookArgs),
    /// The std port's layers (phases/phase<N>-*/std-port/)
    #[command(subcommand)]
    StdPort(StdPortCommand),
}

#[derive(Subcommand)]
enum StdPortCommand {
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
struct AccelArgs {
    /// Use KVM, and fail if it is unusable (no fallback to TCG)
    #[arg(long, conflicts_with = "tcg")]
    kvm: bool,

    /// Use TCG (software emulation) even if KVM works
    #[arg(long)]
    tcg: bool,

    /// Seconds before a boot is killed [default: 120;
    /// 0 = no limit]
    #[arg(long, value_name = "SECS")]
    timeout: Option<u64>,
}

impl AccelArgs {
    fn request(&self) -> Request {
        match (self.kvm, self.tcg) {
            (true, _) => Request::Kvm,
            (_, true) => Request::Tcg,
            _ => Request::Auto,
        }
    }

    fn given(&self) -> Option<&'static str> {
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
struct PhaseArgs {
    /// The phase: 0 (the kernel's own test programs) up to the last landed one
    #[arg(value_name = "N")]
    phase: u32,

    /// Boot every test in QEMU and print PASS/FAIL (without it: build only)
    #[arg(long)]
    qemu: bool,

    /// Only the tests whose name contains SUBSTR
    #[arg(long, value_name = "SUBSTR")]
    filter: Option<String>,

    /// Boot each test N times and print min/median/max boot time
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    repeat: Option<u32>,

    #[command(flatten)]
    accel: AccelArgs,
}

#[derive(Args)]
struct RunArgs {
    /// The phase whose kernel and programs to boot
    #[arg(long, value_name = "N", default_value_t = 0)]
    phase: u32,

    /// An extra KEY=VALUE for init's environment (repeatable)
    #[arg(long = "env", value_name = "KEY=VALUE")]
    env: Vec<String>,

    #[command(flatten)]
    accel: AccelArgs,

    /// Build this cargo project for vibix with the phase's std (phase 1 or
    /// later) and run its binary as init; every word after the options is
    /// then an argument (`-- ARGS`)
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<std::path::PathBuf>,

    /// With --manifest-path: the binary to run, if the project has several
    #[arg(long, value_name = "NAME", requires = "manifest_path")]
    bin: Option<String>,

    /// The program to run as init: /bin/<PROGRAM>
    #[arg(required_unless_present = "manifest_path")]
    program: Option<String>,

    /// Its arguments (argv[1..]); everything after PROGRAM goes to it
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

#[derive(Args)]
struct TestArgs {
    /// Only the QEMU tests whose name contains SUBSTR
    #[arg(long, value_name = "SUBSTR")]
    filter: Option<String>,

    #[command(flatten)]
    accel: AccelArgs,
}

/// What every command works with.
pub struct Ctx {
    pub sh: Shell,
    pub repo: Repo,
    pub verbose: bool,
    /// `CI=true`: never read stdin, never prompt.
    pub ci: bool,
}

fn main() -> ExitCode {
    // The Linux oracle's launcher (see linux.rs): no CLI, no repository.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == linux::EXEC_HELPER) {
        return linux::exec_helper(&args[2..]);
    }
    let cli = Cli::parse();
    let is_run = matches!(cli.command, Command::Run(_));
    match real_main(cli) {
        Ok(code) => code,
        Err(e) if e.downcast_ref::<Unavailable>().is_some() => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(e) => {
            print_error(&e);
            ExitCode::from(if is_run { cmd_run::NO_STATUS } else { 1 })
        }
    }
}

fn real_main(cli: Cli) -> Result<ExitCode> {
    let ctx = Ctx {
        sh: Shell::new()?,
        repo: Repo::discover()?,
        verbose: cli.verbose,
        ci: std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0"),
    };
    match cli.command {
        Command::Phase(args) => {
            if !args.qemu {
                let needs_qemu = [
                    args.filter.as_ref().map(|_| "--filter"),
                    args.repeat.map(|_| "--repeat"),
                    args.accel.given(),
                ];
                if let Some(flag) = needs_qemu.into_iter().flatten().next() {
                    // A usage error: clap prints it and exits with 2.
                    Cli::command()
                        .error(
                            ErrorKind::MissingRequiredArgument,
                            format!("{flag} is about booting: add --qemu (without it, `phase` only builds)"),
                        )
                        .exit();
                }
            }
            let opts = BootOpts {
                accel: args.accel.request(),
                timeout: args.accel.timeout,
                filter: args.filter,
                repeat: args.repeat.unwrap_or(1),
            };
            let tally = cmd_phase::run(&ctx, args.phase, args.qemu, &opts)?;
            Ok(if tally.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Run(args) => cmd_run::run(
            &ctx,
            &cmd_run::RunOpts {
                phase: args.phase,
                // With --manifest-path, PROGRAM is the first argument.
                program: match &args.manifest_path {
                    Some(manifest) => cmd_run::Program::Project {
                        manifest: manifest.clone(),
                        bin: args.bin,
                    },
                    None => cmd_run::Program::Phase(args.program.clone().unwrap_or_default()),
                },
                args: match args.manifest_path {
                    Some(_) => args.program.into_iter().chain(args.args).collect(),
                    None => args.args,
                },
                env: args.env,
                accel: args.accel.request(),
                timeout: args.accel.timeout,
            },
        ),
        Command::Test(args) => {
            let opts = BootOpts {
                accel: args.accel.request(),
                timeout: args.accel.timeout,
                filter: args.filter,
                repeat: 1,
            };
            cmd_test::run(&ctx, &opts)
        }
        Command::Book(args) => book::run(&ctx, args),
        Command::StdPort(StdPortCommand::Check { rehash }) => std_port_check::run(&ctx, rehash),
    }
}

/// `error: what failed`, then each cause indented.
pub fn print_error(e: &anyhow::Error) {
    let mut chain = e.chain();
    if let Some(first) = chain.next() {
        eprintln!("error: {first}");
    }
    for cause in chain {
        eprintln!("  because: {cause}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
