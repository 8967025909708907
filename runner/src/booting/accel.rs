//! KVM or TCG: choosing QEMU's accelerator, and falling back to TCG when KVM
//! fails.
//!
//! KVM is used when `/dev/kvm` opens read-write, TCG (software emulation)
//! otherwise. `--kvm` insists on KVM (an error if it is unusable; no
//! fallback), `--tcg` forces TCG. If a KVM boot fails in a way that is KVM's
//! fault, the boot is retried once with TCG and the rest of the run stays on
//! TCG. The rest of the run also goes to TCG when a KVM boot's kernel log
//! says that the hypervisor strands SYSCALL in user mode (nested KVM on
//! some hosts): then every system call and first touch of memory costs
//! milliseconds, and TCG runs the tests several times faster.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Result, bail};

/// QEMU's accelerator and the machine that goes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accel {
    Kvm,
    Tcg,
}

impl Accel {
    /// `-M … -accel … -cpu …`: microvm on KVM; the PC machine on TCG.
    pub fn qemu_args(self) -> [&'static str; 6] {
        match self {
            // microvm has no RTC unless asked for; the kernel reads the wall clock from it.
            Accel::Kvm => ["-M", "microvm,rtc=on", "-accel", "kvm", "-cpu", "host"],
            Accel::Tcg => ["-M", "pc", "-accel", "tcg", "-cpu", "max"],
        }
    }

    /// The default per-boot timeout. The same for both: KVM is usually
    /// faster, but nested KVM (a VM inside a VM) can be far slower than TCG
    /// for page-fault-heavy programs (phase 0's `bigmap`: 15 s against
    /// 0.5 s; phase 1's 256 MiB `std-bigvec`: 50 s against 1.7 s).
    pub fn default_timeout(self) -> Duration {
        Duration::from_secs(120)
    }
}

impl fmt::Display for Accel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Accel::Kvm => "kvm",
            Accel::Tcg => "tcg",
        })
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Auto,
    Kvm,
    Tcg,
}

/// Whether `/dev/kvm` can be opened read-write; the error says why not.
pub fn probe_kvm() -> Result<(), String> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .map(drop)
        .map_err(|e| format!("cannot open /dev/kvm read-write: {e}"))
}

/// Picks the accelerator from the request and the KVM probe.
pub fn choose(request: Request, kvm: &Result<(), String>) -> Result<Accel> {
    match (request, kvm) {
        (Request::Tcg, _) => Ok(Accel::Tcg),
        (Request::Kvm, Ok(())) | (Request::Auto, Ok(())) => Ok(Accel::Kvm),
        (Request::Kvm, Err(why)) => bail!(
            "--kvm was given but KVM is unusable ({why}); drop --kvm to use TCG, or give your \
             user access to /dev/kvm (e.g. add it to the `kvm` group)"
        ),
        (Request::Auto, Err(_)) => Ok(Accel::Tcg),
    }
}

/// Whether a failed KVM boot is KVM's fault, and if so why (for the note).
/// `exited` is false when the boot timed out; `kernel_log_empty` means the
/// kernel printed nothing to its log.
pub fn kvm_fault(qemu_stderr: &str, exited: bool, kernel_log_empty: bool) -> Option<String> {
    let lower = qemu_stderr.to_ascii_lowercase();
    for needle in ["kvm internal error", "failed to initialize kvm"] {
        if lower.contains(needle) {
            let line = qemu_stderr
                .lines()
                .find(|l| l.to_ascii_lowercase().contains(needle))
                .unwrap_or(needle)
                .trim();
            return Some(line.to_owned());
        }
    }
    if exited && kernel_log_empty {
        return Some("QEMU exited before the kernel printed anything".to_owned());
    }
    None
}

/// The start of the kernel's log line when the hypervisor strands SYSCALL
/// (`STRANDED_SYSCALL_NOTE` in `kernel/src/arch/syscall_entry.rs`).
const STRANDED_SYSCALL: &str = "syscall stranded in user mode by the hypervisor";

/// Whether a vibix kernel log says the hypervisor strands SYSCALL.
pub fn strands_syscalls(kernel_log: &str) -> bool {
    kernel_log.contains(STRANDED_SYSCALL)
}

/// Set once KVM has failed or proved slow, so that later phases of the same
/// `runner test` start on TCG.
static KVM_FAILED: AtomicBool = AtomicBool::new(false);

/// The accelerator of a whole run: starts as chosen, may fall back to TCG.
#[derive(Debug)]
pub struct AccelState {
    current: Accel,
    may_fall_back: bool,
    timeout: Option<Duration>,
    /// The current test's own timeout (the manifest's `timeout`).
    test_timeout: Option<Duration>,
    /// The current test boots under TCG whatever `current` is (the
    /// manifest's `tcg`).
    test_tcg: bool,
}

impl AccelState {
    /// `timeout`: `Some` if the user gave `--timeout` (0 = none).
    pub fn new(request: Request, timeout: Option<u64>) -> Result<AccelState> {
        let mut current = choose(request, &probe_kvm())?;
        if request == Request::Auto && KVM_FAILED.load(Ordering::Relaxed) {
            current = Accel::Tcg;
        }
        Ok(AccelState {
            current,
            may_fall_back: request == Request::Auto,
            timeout: timeout.map(Duration::from_secs),
            test_timeout: None,
            test_tcg: false,
        })
    }

    pub fn current(&self) -> Accel {
        self.current
    }

    /// The per-boot timeout: the user's, else the current test's, else
    /// the accelerator's default; `None` if the user said `--timeout 0`.
    pub fn timeout(&self) -> Option<Duration> {
        match self.timeout {
            Some(d) if d.is_zero() => None,
            Some(d) => Some(d),
            None => Some(self.test_timeout.unwrap_or(self.current.default_timeout())),
        }
    }

    /// Sets the timeout of the test about to boot (`None`: the default).
    pub fn set_test_timeout(&mut self, seconds: Option<u64>) {
        self.test_timeout = seconds.map(Duration::from_secs);
    }

    /// Says whether the test about to boot must use TCG.
    pub fn set_test_tcg(&mut self, tcg: bool) {
        self.test_tcg = tcg;
    }

    /// The accelerator the test about to boot uses.
    pub fn for_test(&self) -> Accel {
        if self.test_tcg {
            Accel::Tcg
        } else {
            self.current
        }
    }

    /// After a failed KVM boot: switch to TCG if it was KVM's fault and
    /// falling back is allowed. Returns the note to print.
    pub fn fall_back(&mut self, fault: Option<String>) -> Option<String> {
        if self.current != Accel::Kvm || !self.may_fall_back {
            return None;
        }
        let why = fault?;
        self.current = Accel::Tcg;
        KVM_FAILED.store(true, Ordering::Relaxed);
        Some(format!("KVM failed ({why}); using TCG"))
    }

    /// After a KVM boot: if its kernel log says the hypervisor strands
    /// SYSCALL, switch to TCG for the rest of the run (unless `--kvm`).
    /// Returns the note to print.
    pub fn avoid_slow_kvm(&mut self, kernel_log: &str) -> Option<String> {
        if self.current != Accel::Kvm || !self.may_fall_back || !strands_syscalls(kernel_log) {
            return None;
        }
        self.current = Accel::Tcg;
        KVM_FAILED.store(true, Ordering::Relaxed);
        Some(
            "KVM here strands system calls in user mode (nested KVM): each one costs \
             milliseconds, so the rest of this run uses TCG (--kvm insists on KVM)"
                .to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses() {
        let ok = Ok(());
        let no = Err("no /dev/kvm".to_string());
        assert_eq!(choose(Request::Auto, &ok).unwrap(), Accel::Kvm);
        assert_eq!(choose(Request::Auto, &no).unwrap(), Accel::Tcg);
        assert_eq!(choose(Request::Tcg, &ok).unwrap(), Accel::Tcg);
        assert_eq!(choose(Request::Tcg, &no).unwrap(), Accel::Tcg);
        assert_eq!(choose(Request::Kvm, &ok).unwrap(), Accel::Kvm);
        let err = choose(Request::Kvm, &no).unwrap_err().to_string();
        assert!(err.contains("no /dev/kvm"), "{err}");
    }

    #[test]
    fn machine_args() {
        assert_eq!(
            Accel::Kvm.qemu_args().join(" "),
            "-M microvm,rtc=on -accel kvm -cpu host"
        );
        assert_eq!(
            Accel::Tcg.qemu_args().join(" "),
            "-M pc -accel tcg -cpu max"
        );
    }

    #[test]
    fn a_stranded_syscall_moves_the_run_to_tcg_unless_kvm_was_asked_for() {
        let log = "vibix: booting\nvibix: syscall stranded in user mode by the hypervisor: \
                   finishing system calls from page faults\n";
        let mut forced = AccelState {
            current: Accel::Kvm,
            may_fall_back: false,
            timeout: None,
            test_timeout: None,
            test_tcg: false,
        };
        assert_eq!(forced.avoid_slow_kvm(log), None);
        assert_eq!(forced.current(), Accel::Kvm);
        let mut auto = AccelState {
            may_fall_back: true,
            ..forced
        };
        assert_eq!(auto.avoid_slow_kvm("vibix: booting\n"), None);
        assert_eq!(auto.current(), Accel::Kvm);
        assert!(auto.avoid_slow_kvm(log).unwrap().contains("uses TCG"));
        assert_eq!(auto.current(), Accel::Tcg);
        KVM_FAILED.store(false, Ordering::Relaxed);
    }

    #[test]
    fn recognises_kvm_faults() {
        assert!(kvm_fault("KVM internal error. Suberror: 1\n", true, false).is_some());
        assert!(
            kvm_fault(
                "qemu-system-x86_64: failed to initialize kvm: Permission denied",
                true,
                false
            )
            .unwrap()
            .contains("Permission denied")
        );
        assert!(kvm_fault("", true, true).is_some());
        assert_eq!(
            kvm_fault("", false, true),
            None,
            "a timeout is not KVM's fault"
        );
        assert_eq!(kvm_fault("some other error", true, false), None);
    }

    fn state(current: Accel, may_fall_back: bool, timeout: Option<u64>) -> AccelState {
        AccelState {
            current,
            may_fall_back,
            timeout: timeout.map(Duration::from_secs),
            test_timeout: None,
            test_tcg: false,
        }
    }

    #[test]
    fn falls_back_once_and_only_when_allowed() {
        let mut s = state(Accel::Kvm, true, None);
        assert_eq!(s.timeout(), Some(Duration::from_secs(120)));
        assert_eq!(s.fall_back(None), None);
        assert_eq!(s.current(), Accel::Kvm);
        let note = s.fall_back(Some("boom".into())).unwrap();
        assert_eq!(note, "KVM failed (boom); using TCG");
        assert_eq!(s.current(), Accel::Tcg);
        assert_eq!(s.timeout(), Some(Duration::from_secs(120)));
        assert_eq!(s.fall_back(Some("again".into())), None);

        // --kvm: no fallback.
        let mut s = state(Accel::Kvm, false, None);
        assert_eq!(s.fall_back(Some("boom".into())), None);
        assert_eq!(s.current(), Accel::Kvm);
    }

    #[test]
    fn explicit_timeouts() {
        assert_eq!(
            state(Accel::Tcg, true, Some(5)).timeout(),
            Some(Duration::from_secs(5))
        );
        assert_eq!(state(Accel::Kvm, true, Some(0)).timeout(), None);
    }

    #[test]
    fn a_test_may_ask_for_tcg() {
        let mut s = state(Accel::Kvm, true, None);
        assert_eq!(s.for_test(), Accel::Kvm);
        s.set_test_tcg(true);
        assert_eq!(s.for_test(), Accel::Tcg);
        assert_eq!(s.current(), Accel::Kvm, "later tests still use KVM");
        s.set_test_tcg(false);
        assert_eq!(s.for_test(), Accel::Kvm);
    }

    #[test]
    fn a_test_timeout_replaces_the_default_but_not_the_users() {
        let mut s = state(Accel::Tcg, true, None);
        s.set_test_timeout(Some(600));
        assert_eq!(s.timeout(), Some(Duration::from_secs(600)));
        s.set_test_timeout(None);
        assert_eq!(s.timeout(), Some(Duration::from_secs(120)));
        let mut s = state(Accel::Kvm, true, Some(30));
        s.set_test_timeout(Some(600));
        assert_eq!(s.timeout(), Some(Duration::from_secs(30)));
        let mut s = state(Accel::Kvm, true, Some(0));
        s.set_test_timeout(Some(600));
        assert_eq!(s.timeout(), None);
    }
}
