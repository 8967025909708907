//! `runner cargo --phase N [--manifest-path P] -- test|run|bench …`: a cargo
//! command for vibix. The runner prepares the phase (kernel, patched std)
//! and runs the user's cargo command with
//!
//! - `--target <phase>/x86_64-unknown-vibix.json -Zjson-target-spec`,
//! - `-Zbuild-std` with the phase's std (`__CARGO_TESTS_ONLY_SRC_ROOT`) and
//!   the chosen panic runtime ([`Panic`]),
//! - itself as the target's runner (`runner exec --phase N`, see
//!   `cmd_exec`), so that every binary cargo runs (test harnesses, `cargo
//!   run`'s program, benches) boots on vibix with cargo's arguments, its
//!   output streams back and its status becomes cargo's.
//!
//! Every vibix build of the phase shares `target/phase<N>-vibix/`, so std
//! is compiled once per profile and panic strategy. The status is cargo's.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::booting::accel::Request;
use crate::building::std_build::{self, TARGET, VibixStd};
use crate::building::{crate_port, kbuild, toolchain};
use crate::phase;

/// The panic runtime a build links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Panic {
    /// Panics unwind (`panic_unwind`): `catch_unwind`, `should_panic`.
    Unwind,
    /// Panics abort (`panic_abort`); `cargo test` then runs each test in a
    /// process of its own (`-Zpanic-abort-tests`).
    Abort,
}

/// A phase made ready for cargo commands.
pub struct CargoSetup {
    pub phase: u32,
    pub std: VibixStd,
    pub panic: Panic,
    /// `target.<triple>.runner`, a TOML array: this runner's `exec`.
    pub runner: String,
}

/// The first phase whose std unwinds.
pub const FIRST_UNWIND_PHASE: u32 = 3;

/// Builds the kernel and prepares the phase's std for cargo commands.
pub fn prepare(
    ctx: &Ctx,
    n: u32,
    panic: Option<Panic>,
    accel: Request,
    timeout: Option<u64>,
) -> Result<CargoSetup> {
    if n == 0 {
        bail!("phase 0 has no std: cargo commands need --phase 1 or later");
    }
    let panic = panic.unwrap_or(if n >= FIRST_UNWIND_PHASE {
        Panic::Unwind
    } else {
        Panic::Abort
    });
    if panic == Panic::Unwind && n < FIRST_UNWIND_PHASE {
        bail!(
            "phase {n}'s std cannot unwind (the unwinder comes with phase {FIRST_UNWIND_PHASE}): \
             use --phase {FIRST_UNWIND_PHASE} or --panic abort"
        );
    }
    let phases = phase::select(&ctx.repo, n)?;
    kbuild::preflight(&ctx.repo, &phases)?;
    toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    kbuild::build_kernel(&ctx.sh, &ctx.repo, n, ctx.verbose)?;
    let Some(std) = std_build::prepare_linked(ctx, n, &phases)? else {
        bail!("no phase up to {n} has a std port");
    };
    let exe = std::env::current_exe().context("cannot find the runner's own executable")?;
    let mut words = vec![
        exe.to_string_lossy().into_owned(),
        "exec".into(),
        "--phase".into(),
        n.to_string(),
    ];
    words.extend(accel_words(accel, timeout));
    if ctx.verbose {
        words.push("--verbose".into());
    }
    Ok(CargoSetup {
        phase: n,
        std,
        panic,
        runner: toml_array(&words),
    })
}

/// `--tcg`/`--kvm`/`--timeout` as `exec` takes them.
fn accel_words(accel: Request, timeout: Option<u64>) -> Vec<String> {
    let mut words = Vec::new();
    match accel {
        Request::Kvm => words.push("--kvm".to_string()),
        Request::Tcg => words.push("--tcg".to_string()),
        Request::Auto => {}
    }
    if let Some(t) = timeout {
        words.extend(["--timeout".to_string(), t.to_string()]);
    }
    words
}

/// `["a", "b"]`, each string TOML-escaped.
fn toml_array(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| toml::Value::String(w.clone()).to_string())
        .collect();
    format!("[{}]", quoted.join(", "))
}

impl CargoSetup {
    // ANCHOR: command
    /// `cargo <args>` for vibix: `args[0]` is cargo's subcommand; the
    /// runner's options go right after it, before any `--`.
    pub fn command(&self, ctx: &Ctx, args: &[String], manifest: Option<&Path>) -> Command {
        let mut cmd: Command = toolchain::tool(&ctx.sh, "cargo").into();
        cmd.env("RUSTUP_TOOLCHAIN", &self.std.channel)
            .env("CARGO_TARGET_DIR", &self.std.target_dir)
            .env("__CARGO_TESTS_ONLY_SRC_ROOT", &self.std.library)
            .arg("--config")
            .arg(format!("target.{TARGET}.runner={}", self.runner))
            .arg("-Zjson-target-spec")
            .args(crate_port::patch_args(
                &self.std.ported,
                Some(manifest.unwrap_or(Path::new("Cargo.toml"))),
            ))
            .args(std_build::c_lib_args(&self.std));
        match self.panic {
            Panic::Unwind => {
                cmd.args([
                    "-Zbuild-std=std,panic_unwind",
                    "-Zbuild-std-features=backtrace,compiler-builtins-mem,panic-unwind",
                ]);
            }
            Panic::Abort => {
                cmd.args([
                    "-Zbuild-std=std,panic_abort",
                    "-Zbuild-std-features=backtrace,compiler-builtins-mem",
                    "-Zpanic-abort-tests",
                    "--config=profile.dev.panic=\"abort\"",
                    "--config=profile.release.panic=\"abort\"",
                ]);
            }
        }
        let (sub, rest) = args
            .split_first()
            .map_or(("", &[][..]), |(s, r)| (s.as_str(), r));
        cmd.arg(sub).arg("--target").arg(&self.std.target_json);
        if let Some(manifest) = manifest {
            cmd.arg("--manifest-path").arg(manifest);
        }
        cmd.args(rest);
        cmd
    }
    // ANCHOR_END: command
}

pub struct CargoOpts {
    pub phase: u32,
    pub manifest: Option<PathBuf>,
    pub panic: Option<Panic>,
    pub accel: Request,
    pub timeout: Option<u64>,
    pub args: Vec<String>,
}

/// The cargo subcommands that build for a target (the others, `clean`,
/// `metadata`, …, run as they are, with the environment only).
const SUBCOMMANDS: &[&str] = &[
    "build", "b", "check", "c", "test", "t", "run", "r", "bench", "doc", "d", "clippy", "rustc",
];

pub fn run(ctx: &Ctx, opts: &CargoOpts) -> Result<ExitCode> {
    let Some(sub) = opts.args.first() else {
        bail!("which cargo command? e.g. `runner cargo --phase 3 -- test`");
    };
    if !SUBCOMMANDS.contains(&sub.as_str()) {
        bail!(
            "`cargo {sub}` does not build for vibix; the runner knows {}",
            SUBCOMMANDS.join(", ")
        );
    }
    let manifest = match &opts.manifest {
        Some(m) => {
            let m = std::path::absolute(m)
                .with_context(|| format!("cannot resolve {}", m.display()))?;
            if !m.is_file() {
                bail!("{} does not exist", m.display());
            }
            Some(m)
        }
        None => None,
    };
    let setup = prepare(ctx, opts.phase, opts.panic, opts.accel, opts.timeout)?;
    let mut cmd = setup.command(ctx, &opts.args, manifest.as_deref());
    if let Some(m) = &manifest {
        // The project's own `.cargo/config.toml` applies, as for `cargo -C`.
        cmd.current_dir(m.parent().unwrap_or(Path::new("/")));
    }
    eprintln!(
        "running cargo {} for {TARGET} (phase {}'s std, panic = \"{}\"; binaries boot on vibix)",
        opts.args.join(" "),
        setup.phase,
        match setup.panic {
            Panic::Unwind => "unwind",
            Panic::Abort => "abort",
        }
    );
    let status = cmd
        .status()
        .with_context(|| format!("cannot run cargo {sub}"))?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(panic: Panic) -> CargoSetup {
        CargoSetup {
            phase: 3,
            std: VibixStd {
                target_json: PathBuf::from("/r/phases/p3/x86_64-unknown-vibix.json"),
                library: PathBuf::from("/r/target/std-port/phase3/library"),
                target_dir: PathBuf::from("/r/target/phase3-vibix"),
                channel: "nightly-x".into(),
                ported: Vec::new(),
                c_lib: None,
            },
            panic,
            runner: toml_array(&[
                "/r/runner".into(),
                "exec".into(),
                "--phase".into(),
                "3".into(),
            ]),
        }
    }

    fn args(cmd: &Command) -> Vec<String> {
        cmd.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn options_go_after_the_subcommand_and_before_dash_dash() {
        let words: Vec<String> = ["test", "--release", "--", "--exact", "x"]
            .map(String::from)
            .to_vec();
        let ctx = crate::testutil::ctx();
        let cmd = setup(Panic::Unwind).command(&ctx, &words, Some(Path::new("/p/Cargo.toml")));
        let a = args(&cmd);
        assert_eq!(
            a[1],
            "target.x86_64-unknown-vibix.runner=[\"/r/runner\", \"exec\", \"--phase\", \"3\"]"
        );
        let test = a.iter().position(|w| w == "test").unwrap();
        assert_eq!(
            a[test..],
            [
                "test",
                "--target",
                "/r/phases/p3/x86_64-unknown-vibix.json",
                "--manifest-path",
                "/p/Cargo.toml",
                "--release",
                "--",
                "--exact",
                "x"
            ]
        );
        assert!(a.contains(&"-Zbuild-std=std,panic_unwind".to_string()));
        let env: Vec<_> = cmd.get_envs().collect();
        assert!(env.iter().any(|(k, v)| *k == "__CARGO_TESTS_ONLY_SRC_ROOT"
            && *v == Some(Path::new("/r/target/std-port/phase3/library").as_os_str())));
    }

    #[test]
    fn abort_builds_link_panic_abort_and_run_tests_in_processes() {
        let ctx = crate::testutil::ctx();
        let cmd = setup(Panic::Abort).command(&ctx, &["test".to_string()], None);
        let a = args(&cmd);
        assert!(a.contains(&"-Zbuild-std=std,panic_abort".to_string()));
        assert!(a.contains(&"-Zpanic-abort-tests".to_string()));
        assert!(!a.iter().any(|w| w.contains("panic_unwind")));
    }
}
