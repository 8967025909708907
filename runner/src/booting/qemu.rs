//! QEMU: finding (or installing) it, its command line, and running it with a
//! timeout.
//!
//! The command line is fixed by the kernel/QEMU contract:
//!
//! ```text
//! qemu-system-x86_64 -nodefaults -no-reboot -display none -m 1G
//!     -kernel <ELF> -initrd <cpio> -append "<cmdline>" -serial stdio
//!     -debugcon file:<dir>/kernel.log -device isa-debug-exit,iobase=0xf4,iosize=0x04
//!     <machine: -M microvm,rtc=on -accel kvm -cpu host | -M pc -accel tcg -cpu max>
//! ```
//!
//! COM1 (`-serial stdio`) is the console: its input is always a pipe that
//! the runner feeds (`console_input`); its output goes to `console.log` in
//! tests and to the terminal in `runner run`. QEMU's own stderr is captured (and, on a
//! terminal, shown as it comes) so that KVM failures can be recognised.

use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use xshell::Shell;

use crate::booting::accel::Accel;
use crate::booting::console_input::{self, Source};
use crate::booting::outcome::QemuExit;
use crate::pipes;
use crate::progress::Progress;

pub const QEMU: &str = "qemu-system-x86_64";

/// Finds `name` in `$PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether the runner runs as root (effective uid 0), read from
/// `/proc/self/status` so that no libc binding is needed.
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| effective_uid(&s) == Some(0))
}

/// The effective uid from a `/proc/<pid>/status` text (`Uid: real eff …`).
fn effective_uid(status: &str) -> Option<u32> {
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// The QEMU binary; installs Debian's package when running as root.
pub fn ensure_installed(sh: &Shell) -> Result<PathBuf> {
    if let Some(path) = find_on_path(QEMU) {
        return Ok(path);
    }
    if !is_root() {
        bail!("QEMU is not installed. Run: sudo apt-get install -y qemu-system-x86");
    }
    let progress = Progress::start("installing QEMU (apt-get install -y qemu-system-x86)");
    let install = || {
        sh.cmd("apt-get")
            .args(["install", "-y", "qemu-system-x86"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .quiet()
            .ignore_status()
            .output()
    };
    let mut out = install().context("cannot run apt-get; install qemu-system-x86 yourself")?;
    if !out.status.success() {
        // Often just a stale package list.
        let update = sh
            .cmd("apt-get")
            .args(["update"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .quiet()
            .ignore_status()
            .output()?;
        if !update.status.success() {
            progress.fail();
            eprint!("{}", String::from_utf8_lossy(&update.stderr));
            bail!("`apt-get update` failed (output above); install qemu-system-x86 yourself");
        }
        out = install()?;
    }
    if !out.status.success() {
        progress.fail();
        eprint!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        bail!("`apt-get install -y qemu-system-x86` failed (output above)");
    }
    progress.done();
    find_on_path(QEMU)
        .with_context(|| format!("qemu-system-x86 is installed but {QEMU} is still not on PATH"))
}

/// Everything one QEMU invocation needs.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub qemu: PathBuf,
    pub kernel: PathBuf,
    pub initrd: PathBuf,
    pub cmdline: String,
    pub accel: Accel,
    pub kernel_log: PathBuf,
    /// CPU features to take away (`rdrand` → `-cpu max,-rdrand`).
    pub cpu_without: Vec<String>,
}

impl Invocation {
    /// QEMU's arguments.
    pub fn args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = [
            "-nodefaults",
            "-no-reboot",
            "-display",
            "none",
            "-m",
            "1G",
            "-kernel",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        args.push(self.kernel.clone().into());
        args.push("-initrd".into());
        args.push(self.initrd.clone().into());
        args.push("-append".into());
        args.push(self.cmdline.clone().into());
        args.push("-serial".into());
        args.push("stdio".into());
        args.push("-debugcon".into());
        args.push(chardev_file(&self.kernel_log));
        args.push("-device".into());
        args.push("isa-debug-exit,iobase=0xf4,iosize=0x04".into());
        let mut machine: Vec<String> = self.accel.qemu_args().map(String::from).into();
        if let Some(cpu) = machine.last_mut() {
            for feature in &self.cpu_without {
                cpu.push_str(&format!(",-{feature}"));
            }
        }
        args.extend(machine.into_iter().map(OsString::from));
        args
    }

    /// The options that make the machine (memory, machine, accelerator,
    /// CPU): what two guests booted alike share.
    pub fn machine_line(&self) -> String {
        let args: Vec<String> = self
            .args()
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let mut words = Vec::new();
        if let Some(i) = args.iter().position(|a| a == "-m") {
            words.extend(args[i..i + 2].iter().cloned());
        }
        if let Some(i) = args.iter().position(|a| a == "-M") {
            words.extend(args[i..].iter().cloned());
        }
        words.join(" ")
    }

    /// The command as a shell line, to reproduce a boot by hand.
    pub fn shell_line(&self) -> String {
        let mut line = shell_quote(&self.qemu.to_string_lossy());
        for arg in self.args() {
            line.push(' ');
            line.push_str(&shell_quote(&arg.to_string_lossy()));
        }
        line
    }
}

/// `file:<path>` for a chardev option; commas in the path are doubled, as
/// QEMU's option syntax wants.
fn chardev_file(path: &Path) -> OsString {
    let mut s = OsString::from("file:");
    s.push(path.to_string_lossy().replace(',', ",,"));
    s
}

fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Where the console goes.
pub enum Console {
    /// Tests: this input (see `console_input`), output into this file.
    Captured { input: Source, log: PathBuf },
    /// `runner run`: output on the terminal, input from `input`.
    Terminal { input: Source },
}

/// How a QEMU run went.
pub struct Finished {
    pub exit: QemuExit,
    /// From spawn to exit.
    pub elapsed: Duration,
    pub stderr: Vec<u8>,
}

/// Runs QEMU to completion or until `timeout`, then kills it.
pub fn run(inv: &Invocation, console: Console, timeout: Option<Duration>) -> Result<Finished> {
    let mut cmd = Command::new(&inv.qemu);
    cmd.args(inv.args())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped());
    let (input, terminal) = match console {
        Console::Captured { input, log } => {
            let file =
                File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
            cmd.stdout(file);
            (input, false)
        }
        Console::Terminal { input } => {
            cmd.stdout(Stdio::inherit());
            (input, true)
        }
    };

    // A log left by an earlier boot must not look like this boot's.
    let _ = std::fs::remove_file(&inv.kernel_log);
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {}", inv.qemu.display()))?;

    if let Some(pipe) = child.stdin.take() {
        console_input::feed(pipe, inv.kernel_log.clone(), input);
    }
    let stderr = child
        .stderr
        .take()
        .map(|pipe| pipes::collect(pipe, terminal));

    let exit = wait_with_timeout(&mut child, start, timeout)?;
    let elapsed = start.elapsed();
    // QEMU is gone, so its stderr ends at once, unless something it started
    // still holds the pipe.
    let stderr = stderr
        .map(|c| c.finish(Duration::from_secs(1)))
        .unwrap_or_default();
    Ok(Finished {
        exit,
        elapsed,
        stderr,
    })
}

/// Polls the child every millisecond (boot times are reported to 10 ms).
fn wait_with_timeout(
    child: &mut Child,
    start: Instant,
    timeout: Option<Duration>,
) -> Result<QemuExit> {
    use std::os::unix::process::ExitStatusExt;
    loop {
        if let Some(status) = child.try_wait().context("cannot wait for QEMU")? {
            return Ok(match (status.code(), status.signal()) {
                (Some(code), _) => QemuExit::Code(code),
                (None, Some(sig)) => QemuExit::Killed(sig),
                (None, None) => QemuExit::Code(-1),
            });
        }
        if let Some(limit) = timeout
            && start.elapsed() >= limit
        {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(QemuExit::TimedOut(limit));
        }
        thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invocation(accel: Accel) -> Invocation {
        Invocation {
            qemu: "/usr/bin/qemu-system-x86_64".into(),
            kernel: "/r/target/kernel/x86_64-unknown-none/release/vibix-kernel".into(),
            initrd: "/r/target/phase0/initramfs.cpio".into(),
            cmdline: "init=/bin/hello A=1 -- \"two words\"".into(),
            accel,
            kernel_log: "/r/target/runs/phase0/a,b/kernel.log".into(),
            cpu_without: Vec::new(),
        }
    }

    #[test]
    fn builds_the_contract_command_line() {
        let args: Vec<String> = invocation(Accel::Tcg)
            .args()
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect();
        assert_eq!(
            args,
            [
                "-nodefaults",
                "-no-reboot",
                "-display",
                "none",
                "-m",
                "1G",
                "-kernel",
                "/r/target/kernel/x86_64-unknown-none/release/vibix-kernel",
                "-initrd",
                "/r/target/phase0/initramfs.cpio",
                "-append",
                "init=/bin/hello A=1 -- \"two words\"",
                "-serial",
                "stdio",
                "-debugcon",
                "file:/r/target/runs/phase0/a,,b/kernel.log",
                "-device",
                "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-M",
                "pc",
                "-accel",
                "tcg",
                "-cpu",
                "max",
            ]
        );
        let kvm = invocation(Accel::Kvm).shell_line();
        assert!(
            kvm.ends_with("-M microvm,rtc=on -accel kvm -cpu host"),
            "{kvm}"
        );
        assert!(
            kvm.contains("-append 'init=/bin/hello A=1 -- \"two words\"'"),
            "{kvm}"
        );
    }

    #[test]
    fn names_the_machine() {
        assert_eq!(
            invocation(Accel::Tcg).machine_line(),
            "-m 1G -M pc -accel tcg -cpu max"
        );
    }

    #[test]
    fn takes_cpu_features_away() {
        let mut inv = invocation(Accel::Kvm);
        inv.cpu_without = vec!["rdrand".into(), "rdseed".into()];
        assert!(inv.shell_line().ends_with("-cpu host,-rdrand,-rdseed"));
        inv.accel = Accel::Tcg;
        assert!(inv.shell_line().ends_with("-cpu max,-rdrand,-rdseed"));
    }

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("plain-1.0/x"), "plain-1.0/x");
        assert_eq!(shell_quote("two words"), "'two words'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn reads_the_effective_uid() {
        let status = "Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t0\n";
        assert_eq!(effective_uid(status), Some(0));
        assert_eq!(effective_uid("Uid:\t0\t1000\t1000\t1000\n"), Some(1000));
        assert_eq!(effective_uid("Name: x\n"), None);
    }

    #[test]
    fn runs_with_a_timeout() {
        // The timeout logic on ordinary children standing in for QEMU.
        let mut child = Command::new("sleep").arg("5").spawn().unwrap();
        let start = Instant::now();
        let exit = wait_with_timeout(&mut child, start, Some(Duration::from_millis(100))).unwrap();
        assert_eq!(exit, QemuExit::TimedOut(Duration::from_millis(100)));
        assert!(start.elapsed() < Duration::from_secs(2));

        let mut child = Command::new("sh").args(["-c", "exit 23"]).spawn().unwrap();
        let exit = wait_with_timeout(&mut child, Instant::now(), None).unwrap();
        assert_eq!(exit, QemuExit::Code(23));
    }
}
