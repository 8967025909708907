//! `runner`: the vibix command line. It builds the kernel and the test
//! programs, packs them into an initramfs, boots QEMU once per test and
//! checks each program against the same binary run on Linux.
//!
//! ```text
//! cargo runner phase 0 --qemu          # build phase 0, boot every test, PASS/FAIL
//! cargo runner phase 0                 # build only
//! cargo runner run --phase 0 hello a b # boot one program on this terminal
//! cargo runner test                    # everything CI runs
//! cargo runner cargo --phase 3 -- test # a cargo command for vibix
//! cargo runner crates                  # real crates' test suites, vibix vs Linux
//! cargo runner run --phase 4 --c hello.c # a C program on vibix_libc
//! cargo runner cc -- -o prog prog.c    # gcc for vibix
//! cargo runner sysroot                 # the C sysroot: headers, libc.a, crt1.o
//! ```
//!
//! `cargo runner` is an alias (`.cargo/config.toml`); `cargo install --path
//! runner` gives a `runner` binary that works the same from anywhere in the
//! clone. Exit status: 0 when everything passed, 1 when a test or step
//! failed, 2 for a usage error or a phase that has not landed; `run` exits
//! with the program's own status (125 if vibix reported none).
//!
//! This file only dispatches. The modules, by what they do:
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`cli`] | every subcommand and flag |
//! | `cmd_phase`, `cmd_run`, `cmd_test`, `cmd_bench` | the commands `phase`, `run`, `test`, `bench` |
//! | `cmd_cargo`, `cmd_exec`, `cmd_crates` | `cargo` (a cargo command for vibix), `exec` (cargo's target runner), `crates` (crates' suites on vibix and Linux) |
//! | `cmd_pjdfstest` | `pjdfstest` (a POSIX file-system conformance suite on vibix, against Linux's results and the ledger of differences) |
//! | `cmd_stress` | `stress` (vibix_libc's number formatting and parsing against glibc, on the host) |
//! | `cmd_reloc_audit` | `reloc-audit` (the dynamic relocation types in a phase's objects, against what `ld-vibix` applies) |
//! | [`building`] | toolchain, kernel and program builds, the std port, the initramfs, the relocation audit |
//! | [`booting`] | QEMU, the accelerator, the console, how a boot ended |
//! | [`judging`] | test manifests, the Linux oracle, comparing, reporting |
//! | [`benching`] | benchmark manifests, the Linux guest, timing boots, results and their table |
//! | [`tidy`] | ABI literals, what each phase adds, rustfmt, clippy |
//! | [`book`] | the workbook: build, test, serve, generated pages |
//! | [`safety`] | the Safety chapter's checks (Miri crates, unsafe counts, findings) |
//! | [`sysroot`] | the C sysroot (generated headers, libc.a, crt1.o), `cc`, C programs |
//! | `phase`, `repo`, `step`, `progress`, `pipes`, `text` | shared plumbing |

mod background;
mod benching;
mod book;
mod booting;
mod building;
mod cli;
mod cmd_bench;
mod cmd_cargo;
mod cmd_crates;
mod cmd_exec;
mod cmd_phase;
mod cmd_pjdfstest;
mod cmd_reloc_audit;
mod cmd_run;
mod cmd_stress;
mod cmd_test;
mod judging;
mod phase;
mod pipes;
mod progress;
mod repo;
mod safety;
mod step;
mod sysroot;
#[cfg(test)]
mod testutil;
mod text;
mod tidy;

use std::process::ExitCode;

use anyhow::Result;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use xshell::Shell;

use crate::building::std_port_check;
use crate::cli::{Cli, Command, StdPortCommand};
use crate::cmd_phase::BootOpts;
use crate::judging::linux;
use crate::phase::Unavailable;
use crate::repo::Repo;

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
    let is_run = matches!(cli.command, Command::Run(_) | Command::Exec(_));
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
                    None if !args.c.is_empty() => cmd_run::Program::C(args.c.clone()),
                    None => cmd_run::Program::Phase(args.program.clone().unwrap_or_default()),
                },
                // With --manifest-path or --c, PROGRAM is the first argument.
                args: if args.manifest_path.is_some() || !args.c.is_empty() {
                    args.program.into_iter().chain(args.args).collect()
                } else {
                    args.args
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
        Command::Cargo(args) => cmd_cargo::run(
            &ctx,
            &cmd_cargo::CargoOpts {
                phase: args.phase,
                manifest: args.manifest_path,
                panic: args.panic,
                accel: args.accel.request(),
                timeout: args.accel.timeout,
                args: args.args,
            },
        ),
        Command::Exec(args) => cmd_exec::run(
            &ctx,
            &cmd_exec::ExecOpts {
                phase: args.phase,
                binary: args.binary,
                args: args.args,
                env: args.env,
                accel: args.accel.request(),
                timeout: args.accel.timeout,
            },
        ),
        Command::Crates(args) => cmd_crates::run(
            &ctx,
            &cmd_crates::CratesOpts {
                filter: args.filter,
                vibix_only: args.vibix_only,
                accel: args.accel.request(),
                timeout: args.accel.timeout,
            },
        ),
        Command::Bench(args) => cmd_bench::run(&ctx, &args),
        Command::Stress(args) => cmd_stress::run(&ctx, args.seed, args.count),
        Command::Pjdfstest(args) => cmd_pjdfstest::run(
            &ctx,
            &cmd_pjdfstest::Opts {
                linux: args.linux,
                patterns: args.patterns,
                accel: args.accel.request(),
                timeout: args.accel.timeout,
            },
        ),
        Command::Sysroot(args) => {
            sysroot::run(&ctx, args.phase)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Cc(args) => sysroot::cc::run(&ctx, args.phase, args.dynamic, &args.args),
        Command::RelocAudit(args) => cmd_reloc_audit::run(&ctx, &args),
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
