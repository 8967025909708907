//! `runner exec --phase N BINARY [ARGS…]`: cargo's target runner for vibix.
//! Cargo calls it with a binary it built (a test harness, `cargo run`'s
//! program, a bench) and the arguments for it; the runner boots vibix with
//! that binary as init and exits with its status, so that cargo sees what
//! it would see running the binary on Linux.
//!
//! What the boot holds (`book/cargo-test.md` explains the choice):
//!
//! - the phase's kernel (built if missing: `runner cargo` builds it first)
//!   and its `rootfs/` overlays;
//! - an empty `/tmp` (mode 1777), as every boot has (`initramfs::stage`);
//! - the binary as `/bin/<file name>` (so `current_exe` works, and a test
//!   harness that runs itself again, `-Zpanic-abort-tests`, finds itself);
//! - the package's directory (`CARGO_MANIFEST_DIR`, which cargo sets for
//!   its runner; else the current directory) copied to the same absolute
//!   path, without its `target/` and `.git/`: tests open files relative to
//!   the package (cargo runs them there) or through `env!("CARGO_MANIFEST_DIR")`;
//! - init starts in the runner's own working directory (`vibix.cwd=`), which
//!   is where cargo meant the binary to run;
//! - the environment: the variables of [`FORWARDED`] that are set here, and
//!   `--env` entries.
//!
//! Output is the console's, streamed to stdout as it comes (vibix has one
//! console: the program's stderr arrives on stdout too). Nothing else is
//! printed unless something fails or `--verbose` is given.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::booting::accel::{Accel, AccelState, Request};
use crate::booting::boot::{ConsoleMode, Machine};
use crate::booting::cmdline::kernel_cmdline;
use crate::booting::outcome::Outcome;
use crate::building::{initramfs, kbuild};
use crate::cmd_run::NO_STATUS;
use crate::judging::report::TAIL;
use crate::phase::{self, Phase};
use crate::text::tail_lines;
use crate::{Ctx, booting::qemu};

/// A target runner's default time limit: a whole test suite runs in one
/// boot, and under TCG that can take minutes.
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;

/// Variables passed on to the program when they are set here: what cargo
/// sets for the binaries it runs, and what std's test harness and panic
/// handler read.
// ANCHOR: forwarded
pub const FORWARDED: &[&str] = &[
    "CARGO_MANIFEST_DIR",
    "CARGO_PKG_NAME",
    "CARGO_PKG_VERSION",
    "CARGO_CRATE_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
    "RUST_MIN_STACK",
    "RUST_TEST_THREADS",
    "RUST_TEST_NOCAPTURE",
    "RUST_TEST_SHUFFLE",
    "RUST_TEST_SHUFFLE_SEED",
    "RUST_TEST_TIME_UNIT",
    "RUST_TEST_TIME_INTEGRATION",
    "RUST_TEST_TIME_DOCTEST",
];
// ANCHOR_END: forwarded

pub struct ExecOpts {
    pub phase: u32,
    pub binary: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub accel: Request,
    pub timeout: Option<u64>,
}

pub fn run(ctx: &Ctx, opts: &ExecOpts) -> Result<ExitCode> {
    let binary = std::path::absolute(&opts.binary)
        .with_context(|| format!("cannot resolve {}", opts.binary.display()))?;
    if !binary.is_file() {
        bail!("{} is not a file", binary.display());
    }
    let name = binary
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{} has no UTF-8 file name", binary.display()))?
        .to_owned();
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let package = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cwd.clone());
    let env = environment(&opts.env, |key| std::env::var(key).ok(), ctx.verbose);
    let cmdline = format!(
        "vibix.cwd={} {}",
        quote_path(&cwd)?,
        kernel_cmdline(&name, &env, &opts.args)?
    );

    let phases = phase::select(&ctx.repo, opts.phase)?;
    let kernel = ctx.repo.kernel_elf(opts.phase);
    let kernel = if kernel.is_file() {
        kernel
    } else {
        kbuild::build_kernel(&ctx.sh, &ctx.repo, opts.phase, ctx.verbose)?
    };
    // One directory per runner process: cargo may run several at once.
    let work = ctx
        .repo
        .target_dir()
        .join("exec")
        .join(std::process::id().to_string());
    let result = boot(
        ctx, opts, &phases, &kernel, &work, &binary, &name, &package, &cwd, &cmdline,
    );
    let _ = std::fs::remove_dir_all(&work);
    result
}

#[allow(clippy::too_many_arguments)]
fn boot(
    ctx: &Ctx,
    opts: &ExecOpts,
    phases: &[Phase],
    kernel: &Path,
    work: &Path,
    binary: &Path,
    name: &str,
    package: &Path,
    cwd: &Path,
    cmdline: &str,
) -> Result<ExitCode> {
    let rootfs = work.join("rootfs");
    let initrd = work.join("initramfs.cpio");
    let overlays: Vec<PathBuf> = phases.iter().map(Phase::rootfs_overlay).collect();
    let programs = BTreeMap::from([(name.to_owned(), binary.to_path_buf())]);
    initramfs::stage(&rootfs, &overlays, &programs)?;
    copy_package(package, &rootfs)?;
    let inside = rootfs.join(cwd.strip_prefix("/").unwrap_or(cwd));
    std::fs::create_dir_all(&inside)
        .with_context(|| format!("cannot create {}", inside.display()))?;
    let packed = initramfs::pack(&rootfs, &initrd)?;
    if ctx.verbose {
        eprintln!(
            "vibix: /bin/{name} in a {} KiB initramfs, in {}",
            packed.bytes.div_ceil(1024),
            cwd.display()
        );
    }
    // Cargo starts one runner per binary: a KVM found slow (or broken) by
    // an earlier one is remembered in a file, so later boots start on TCG.
    let slow_kvm = work.with_file_name("kvm-is-slow");
    let request = match opts.accel {
        Request::Auto if slow_kvm.is_file() => Request::Tcg,
        other => other,
    };
    let mut machine = Machine {
        qemu: qemu::ensure_installed(&ctx.sh)?,
        kernel: kernel.to_path_buf(),
        initrd,
        accel: AccelState::new(request, Some(opts.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS)))?,
        verbose: ctx.verbose,
    };
    let logs = work.with_file_name(format!("last-{}", std::process::id()));
    let boot = machine
        .boot(&logs, cmdline, ConsoleMode::Terminal { no_stdin: ctx.ci })
        .context("cannot boot vibix")?;
    if request == Request::Auto && machine.accel.current() == Accel::Tcg {
        let _ = std::fs::write(&slow_kvm, "");
    }
    match boot.outcome {
        Outcome::Ended(_, ending) => {
            let _ = std::fs::remove_dir_all(&logs);
            Ok(ExitCode::from(ending.shell_status()))
        }
        other => {
            eprintln!("vibix: /bin/{name}: {other}");
            let tail = tail_lines(&boot.kernel_log, TAIL);
            for line in &tail {
                eprintln!("  | {line}");
            }
            eprintln!("logs: {}/", ctx.repo.rel(&logs).display());
            Ok(ExitCode::from(NO_STATUS))
        }
    }
}

/// `KEY=VALUE` entries for init: the forwarded variables that are set (and
/// can be carried on a kernel command line), then `extra`.
fn environment(
    extra: &[String],
    get: impl Fn(&str) -> Option<String>,
    verbose: bool,
) -> Vec<String> {
    let mut env = Vec::new();
    for key in FORWARDED {
        let Some(value) = get(key) else { continue };
        let entry = format!("{key}={value}");
        match crate::judging::manifest::check_env_entry(&entry) {
            Ok(()) => env.push(entry),
            Err(e) if verbose => eprintln!("vibix: not passed on: {e}"),
            Err(_) => {}
        }
    }
    env.extend(extra.iter().cloned());
    env
}

/// A path as one kernel command-line word.
fn quote_path(path: &Path) -> Result<String> {
    let Some(text) = path.to_str() else {
        bail!("{} is not UTF-8", path.display());
    };
    if text.contains('"') {
        bail!("{text} contains a double quote, which the kernel command line cannot carry");
    }
    Ok(if text.contains(char::is_whitespace) {
        format!("\"{text}\"")
    } else {
        text.to_owned()
    })
}

// ANCHOR: copy_package
/// Copies the package's directory into `rootfs` at the same absolute path,
/// without build output (`target/`) and version control (`.git/`).
fn copy_package(package: &Path, rootfs: &Path) -> Result<()> {
    if !package.is_absolute() || !package.is_dir() {
        return Ok(());
    }
    let dest = rootfs.join(package.strip_prefix("/")?);
    initramfs::copy_tree_except(package, &dest, &["target", ".git"])
        .with_context(|| format!("cannot copy {} into the initramfs", package.display()))
}
// ANCHOR_END: copy_package

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwards_what_is_set_and_can_be_carried() {
        let get = |key: &str| match key {
            "RUST_BACKTRACE" => Some("1".to_string()),
            "CARGO_MANIFEST_DIR" => Some("/home/me/my crate".to_string()),
            "CARGO_PKG_NAME" => Some("itoa".to_string()),
            _ => None,
        };
        let env = environment(&["X=1".to_string()], get, false);
        // The path with a space cannot be an environment word.
        assert_eq!(env, ["CARGO_PKG_NAME=itoa", "RUST_BACKTRACE=1", "X=1"]);
    }

    #[test]
    fn quotes_paths_with_spaces() {
        assert_eq!(quote_path(Path::new("/a/b")).unwrap(), "/a/b");
        assert_eq!(quote_path(Path::new("/a b")).unwrap(), "\"/a b\"");
        assert!(quote_path(Path::new("/a\"b")).is_err());
    }
}
