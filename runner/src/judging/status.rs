//! How a process ended: Linux wait statuses, signal names, and the
//! `expect = "exit 42"` / `expect = "signal SIGSEGV"` strings of tests.toml.
//!
//! A Linux wait status (what `wait4` stores in `wstatus`) packs the ending
//! into 16 bits: `code << 8` for `exit(code)`, or the signal number in the low
//! 7 bits (plus 0x80 if a core was dumped) for a death by signal. vibix
//! reports init's wait status in exactly this form.

use std::fmt;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::str::FromStr;

use anyhow::{Result, anyhow, bail};

/// A raw Linux wait status, as vibix prints it (`0x2a00`, `0x000b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitStatus(pub u16);

impl WaitStatus {
    /// What the status says about how the process ended; `None` for values
    /// that are not a termination (stopped/continued reports, or nonsense).
    pub fn termination(self) -> Option<Termination> {
        let low = self.0 & 0x7f;
        if low == 0 {
            if self.0 & 0x80 != 0 {
                return None;
            }
            Some(Termination::Exited((self.0 >> 8) as u8))
        } else if low == 0x7f || self.0 >> 8 != 0 {
            None
        } else {
            Some(Termination::Signaled(low as u8))
        }
    }
}

impl fmt::Display for WaitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:04x}", self.0)
    }
}

/// How a process ended, in the terms a test states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// `exit(code)` (or returning from main).
    Exited(u8),
    /// Killed by this signal number. Whether a core was dumped is ignored:
    /// that depends on the host's `ulimit -c`, not on the program.
    Signaled(u8),
}

impl Termination {
    /// How a host process ended (the Linux oracle).
    pub fn from_host(status: ExitStatus) -> Option<Termination> {
        if let Some(code) = status.code() {
            return Some(Termination::Exited((code & 0xff) as u8));
        }
        status
            .signal()
            .and_then(|s| u8::try_from(s).ok())
            .map(Termination::Signaled)
    }

    /// The exit status a shell would report: the code, or 128 + signal.
    pub fn shell_status(self) -> u8 {
        match self {
            Termination::Exited(code) => code,
            Termination::Signaled(sig) => 128u8.saturating_add(sig),
        }
    }
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Termination::Exited(code) => write!(f, "exit {code}"),
            Termination::Signaled(sig) => match signal_name(sig) {
                Some(name) => write!(f, "signal {name}"),
                None => write!(f, "signal {sig}"),
            },
        }
    }
}

/// Parses `exit N` (0–255) or `signal NAME` / `signal N` (1–64). Names may
/// be given with or without the `SIG` prefix, in any case.
impl FromStr for Termination {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Termination> {
        let mut words = text.split_whitespace();
        let (kind, value, rest) = (words.next(), words.next(), words.next());
        let hint = "write `exit N` (N from 0 to 255) or `signal NAME` (SIGHUP to SIGTERM, \
                    or a number), e.g. \"exit 0\" or \"signal SIGSEGV\"";
        match (kind, value, rest) {
            (Some("exit"), Some(code), None) => code
                .parse::<u8>()
                .map(Termination::Exited)
                .map_err(|_| anyhow!("bad exit code `{code}` in \"{text}\": {hint}")),
            (Some("signal"), Some(sig), None) => parse_signal(sig)
                .map(Termination::Signaled)
                .map_err(|e| anyhow!("{e} in \"{text}\": {hint}")),
            _ => bail!("cannot read \"{text}\" as an expected ending: {hint}"),
        }
    }
}

impl TryFrom<String> for Termination {
    type Error = anyhow::Error;

    fn try_from(text: String) -> Result<Termination> {
        text.parse()
    }
}

/// The highest signal number Linux has (SIGRTMAX).
const MAX_SIGNAL: u8 = 64;

/// `SIGSEGV` for 11, `None` for real-time and unknown numbers.
pub fn signal_name(sig: u8) -> Option<&'static str> {
    vibix_uapi::signal::name(i32::from(sig))
}

/// `SIGSEGV`, `segv` or `11` → 11.
pub fn parse_signal(text: &str) -> Result<u8> {
    if let Ok(n) = text.parse::<u8>() {
        if (1..=MAX_SIGNAL).contains(&n) {
            return Ok(n);
        }
        bail!("signal number {n} is out of range (1 to {MAX_SIGNAL})");
    }
    let upper = text.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    (1..=MAX_SIGNAL)
        .find(|&n| signal_name(n) == Some(name.as_str()))
        .ok_or_else(|| anyhow!("unknown signal `{text}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_wait_statuses() {
        assert_eq!(
            WaitStatus(0x2a00).termination(),
            Some(Termination::Exited(42))
        );
        assert_eq!(
            WaitStatus(0x0000).termination(),
            Some(Termination::Exited(0))
        );
        assert_eq!(
            WaitStatus(0x000b).termination(),
            Some(Termination::Signaled(11))
        );
        // A core dump flag does not change the signal.
        assert_eq!(
            WaitStatus(0x008b).termination(),
            Some(Termination::Signaled(11))
        );
        // Stopped (0x137f = stopped by SIGSTOP) is not an ending.
        assert_eq!(WaitStatus(0x137f).termination(), None);
        assert_eq!(WaitStatus(0x0080).termination(), None);
        assert_eq!(WaitStatus(0x2a00).to_string(), "0x2a00");
        assert_eq!(WaitStatus(0x000b).to_string(), "0x000b");
    }

    #[test]
    fn parses_expectations() {
        assert_eq!(
            "exit 42".parse::<Termination>().unwrap(),
            Termination::Exited(42)
        );
        assert_eq!(
            "exit 0".parse::<Termination>().unwrap(),
            Termination::Exited(0)
        );
        assert_eq!(
            " exit  255 ".parse::<Termination>().unwrap(),
            Termination::Exited(255)
        );
        assert_eq!(
            "signal SIGSEGV".parse::<Termination>().unwrap(),
            Termination::Signaled(11)
        );
        assert_eq!(
            "signal segv".parse::<Termination>().unwrap(),
            Termination::Signaled(11)
        );
        assert_eq!(
            "signal 6".parse::<Termination>().unwrap(),
            Termination::Signaled(6)
        );
        assert_eq!(
            "signal SIGHUP".parse::<Termination>().unwrap(),
            Termination::Signaled(1)
        );
        assert_eq!(
            "signal SIGTERM".parse::<Termination>().unwrap(),
            Termination::Signaled(15)
        );
        assert_eq!(
            "signal 64".parse::<Termination>().unwrap(),
            Termination::Signaled(64)
        );
    }

    #[test]
    fn rejects_bad_expectations() {
        for bad in [
            "",
            "exit",
            "exit 256",
            "exit -1",
            "exit 1 2",
            "signal",
            "signal SIGFOO",
            "signal 0",
            "signal 65",
            "killed SIGSEGV",
            "EXIT 0",
        ] {
            let err = bad.parse::<Termination>().unwrap_err().to_string();
            assert!(err.contains("exit N"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn displays_round_trip() {
        for t in [
            Termination::Exited(0),
            Termination::Exited(42),
            Termination::Signaled(11),
            Termination::Signaled(9),
            Termination::Signaled(40),
        ] {
            assert_eq!(t.to_string().parse::<Termination>().unwrap(), t);
        }
        assert_eq!(Termination::Signaled(11).to_string(), "signal SIGSEGV");
        assert_eq!(Termination::Signaled(40).to_string(), "signal 40");
        assert_eq!(Termination::Exited(3).to_string(), "exit 3");
    }

    #[test]
    fn shell_status() {
        assert_eq!(Termination::Exited(42).shell_status(), 42);
        assert_eq!(Termination::Signaled(11).shell_status(), 139);
    }
}
