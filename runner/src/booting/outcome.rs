//! How a boot ended, read from QEMU's exit code and the kernel log: the
//! kernel/QEMU exit protocol.
//!
//! When init ends, vibix writes init's wait status to the isa-debug-exit
//! device, which makes QEMU exit with `((status << 1) | 1) & 0xff`:
//!
//! | QEMU exit code | meaning                                            |
//! |----------------|----------------------------------------------------|
//! | 1              | init exited; the code is in the kernel log        |
//! | odd 3..=129    | init was killed by signal `(code - 1) / 2`         |
//! | 255            | kernel panic (message in the kernel log)           |
//! | anything else  | QEMU itself failed, or the machine reset           |
//!
//! On a normal end the kernel log's last line is exactly
//! `vibix: init exited, wait status 0x%04x`; that line gives the precise
//! status and is cross-checked against the exit code.

use std::fmt;
use std::time::Duration;

use crate::judging::status::{Termination, WaitStatus, signal_name};

/// How the QEMU process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QemuExit {
    /// QEMU exited with this code.
    Code(i32),
    /// QEMU was killed by this signal (not by the runner).
    Killed(i32),
    /// The runner killed it after this long.
    TimedOut(Duration),
}

/// What QEMU's exit code alone says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCodeMeaning {
    InitExited,
    InitKilled(u8),
    KernelPanic,
    /// Not produced by the protocol: QEMU failed or the machine reset.
    Other(i32),
}

impl ExitCodeMeaning {
    pub fn of(code: i32) -> ExitCodeMeaning {
        match code {
            1 => ExitCodeMeaning::InitExited,
            3..=129 if code % 2 == 1 => ExitCodeMeaning::InitKilled(((code - 1) / 2) as u8),
            255 => ExitCodeMeaning::KernelPanic,
            other => ExitCodeMeaning::Other(other),
        }
    }
}

impl fmt::Display for ExitCodeMeaning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ExitCodeMeaning::InitExited => f.write_str("init exited"),
            ExitCodeMeaning::InitKilled(sig) => match signal_name(sig) {
                Some(name) => write!(f, "init was killed by {name}"),
                None => write!(f, "init was killed by signal {sig}"),
            },
            ExitCodeMeaning::KernelPanic => f.write_str("kernel panic"),
            ExitCodeMeaning::Other(_) => f.write_str("not an exit-protocol code"),
        }
    }
}

/// The QEMU exit code the protocol produces for a wait status.
pub fn exit_code_for(status: WaitStatus) -> i32 {
    i32::from(((status.0 << 1) | 1) & 0xff)
}

/// The line prefix vibix writes when init ends.
pub const STATUS_PREFIX: &str = "vibix: init exited, wait status ";

/// The status in the kernel log's last `vibix: init exited` line: `None` if
/// there is no such line, `Some(Err(line))` if it is malformed.
pub fn parse_status_line(kernel_log: &str) -> Option<Result<WaitStatus, String>> {
    let line = kernel_log
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .rfind(|l| l.starts_with(STATUS_PREFIX))?;
    let value = &line[STATUS_PREFIX.len()..];
    let hex = value.strip_prefix("0x").filter(|h| {
        h.len() == 4
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    match hex.and_then(|h| u16::from_str_radix(h, 16).ok()) {
        Some(status) => Some(Ok(WaitStatus(status))),
        None => Some(Err(line.to_owned())),
    }
}

/// What a boot amounted to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// init ended and the log and exit code agree on how.
    Ended(WaitStatus, Termination),
    /// The kernel panicked; the panic line from the log if there is one.
    Panic(Option<String>),
    /// Killed by the runner after the timeout.
    Timeout(Duration),
    /// QEMU failed, the machine reset, or the log and the exit code disagree.
    Broken(String),
}

impl Outcome {
    /// Decides the outcome from QEMU's ending and the kernel log.
    pub fn decide(exit: QemuExit, kernel_log: &str) -> Outcome {
        let code = match exit {
            QemuExit::TimedOut(after) => return Outcome::Timeout(after),
            QemuExit::Killed(sig) => {
                return Outcome::Broken(format!("QEMU was killed by signal {sig}"));
            }
            QemuExit::Code(code) => code,
        };
        let meaning = ExitCodeMeaning::of(code);
        match meaning {
            ExitCodeMeaning::KernelPanic => Outcome::Panic(panic_line(kernel_log)),
            ExitCodeMeaning::Other(0) => Outcome::Broken(
                "QEMU exited with code 0 without an exit-protocol report: the machine reset \
                 (a triple fault?) or shut down"
                    .into(),
            ),
            ExitCodeMeaning::Other(code) => Outcome::Broken(format!(
                "QEMU exited with code {code}, which the exit protocol never produces: \
                 QEMU itself failed (see qemu.log)"
            )),
            ExitCodeMeaning::InitExited | ExitCodeMeaning::InitKilled(_) => {
                match parse_status_line(kernel_log) {
                    Some(Ok(status)) => {
                        let expected = exit_code_for(status);
                        match status.termination() {
                            Some(t) if expected == code => Outcome::Ended(status, t),
                            Some(_) => Outcome::Broken(format!(
                                "kernel.log says wait status {status}, which should make QEMU \
                                 exit with {expected}, but it exited with {code} ({meaning})"
                            )),
                            None => Outcome::Broken(format!(
                                "kernel.log reports wait status {status}, which is not a \
                                 process ending"
                            )),
                        }
                    }
                    Some(Err(line)) => Outcome::Broken(format!(
                        "malformed status line in kernel.log: {line:?} (expected \
                         `{STATUS_PREFIX}0x` and 4 lowercase hex digits)"
                    )),
                    None if code == 1 => Outcome::Broken(
                        "QEMU exited with code 1 but kernel.log has no `vibix: init exited` \
                         line: QEMU itself probably failed (see qemu.log)"
                            .into(),
                    ),
                    None => Outcome::Broken(format!(
                        "QEMU's exit code {code} says {meaning}, but kernel.log has no \
                         `vibix: init exited` line"
                    )),
                }
            }
        }
    }
}

/// The most telling line of a panic: the last one mentioning "panic", or
/// else the last non-empty line.
fn panic_line(kernel_log: &str) -> Option<String> {
    let lines: Vec<&str> = kernel_log
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .rfind(|l| l.to_ascii_lowercase().contains("panic"))
        .or(lines.last())
        .map(|l| l.to_string())
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ended(_, t) => write!(f, "{t}"),
            Outcome::Panic(Some(line)) => write!(f, "kernel panic: {line}"),
            Outcome::Panic(None) => f.write_str("kernel panic (kernel.log is empty)"),
            Outcome::Timeout(after) => write!(f, "timeout after {}s", after.as_secs()),
            Outcome::Broken(why) => f.write_str(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_exit_codes() {
        assert_eq!(ExitCodeMeaning::of(1), ExitCodeMeaning::InitExited);
        assert_eq!(ExitCodeMeaning::of(23), ExitCodeMeaning::InitKilled(11));
        assert_eq!(ExitCodeMeaning::of(3), ExitCodeMeaning::InitKilled(1));
        assert_eq!(ExitCodeMeaning::of(129), ExitCodeMeaning::InitKilled(64));
        assert_eq!(ExitCodeMeaning::of(255), ExitCodeMeaning::KernelPanic);
        assert_eq!(ExitCodeMeaning::of(0), ExitCodeMeaning::Other(0));
        assert_eq!(ExitCodeMeaning::of(2), ExitCodeMeaning::Other(2));
        assert_eq!(ExitCodeMeaning::of(131), ExitCodeMeaning::Other(131));
        assert_eq!(ExitCodeMeaning::of(-1), ExitCodeMeaning::Other(-1));
    }

    #[test]
    fn protocol_codes() {
        assert_eq!(exit_code_for(WaitStatus(0x2a00)), 1);
        assert_eq!(exit_code_for(WaitStatus(0x0000)), 1);
        assert_eq!(exit_code_for(WaitStatus(0x000b)), 23);
        // A core-dump flag falls off the top.
        assert_eq!(exit_code_for(WaitStatus(0x008b)), 23);
        assert_eq!(exit_code_for(WaitStatus(0x007f)), 255);
    }

    #[test]
    fn parses_status_lines() {
        let log = "vibix: booting\nvibix: init exited, wait status 0x2a00\n";
        assert_eq!(parse_status_line(log), Some(Ok(WaitStatus(0x2a00))));
        assert_eq!(
            parse_status_line("vibix: init exited, wait status 0x000b\r\n"),
            Some(Ok(WaitStatus(0x000b)))
        );
        assert_eq!(parse_status_line("vibix: booting\n"), None);
        assert_eq!(parse_status_line(""), None);
        for bad in ["0x2A00", "0x2a0", "0x02a00", "2a00", "0x2a00 ", "0xzzzz"] {
            let log = format!("{STATUS_PREFIX}{bad}\n");
            assert!(matches!(parse_status_line(&log), Some(Err(_))), "{bad}");
        }
        // The last such line wins.
        let log = format!("{STATUS_PREFIX}0x0100\n{STATUS_PREFIX}0x0200\n");
        assert_eq!(parse_status_line(&log), Some(Ok(WaitStatus(0x0200))));
    }

    #[test]
    fn decides_outcomes() {
        let exited42 = "vibix: init exited, wait status 0x2a00\n";
        assert_eq!(
            Outcome::decide(QemuExit::Code(1), exited42),
            Outcome::Ended(WaitStatus(0x2a00), Termination::Exited(42))
        );
        let segv = "vibix: init exited, wait status 0x000b\n";
        assert_eq!(
            Outcome::decide(QemuExit::Code(23), segv),
            Outcome::Ended(WaitStatus(0x000b), Termination::Signaled(11))
        );
        // Log and code disagree.
        assert!(matches!(
            Outcome::decide(QemuExit::Code(23), exited42),
            Outcome::Broken(_)
        ));
        // Code 1 without the line: QEMU's own error.
        let Outcome::Broken(why) = Outcome::decide(QemuExit::Code(1), "") else {
            panic!()
        };
        assert!(why.contains("QEMU itself"), "{why}");
        // A signal code without the line.
        let Outcome::Broken(why) = Outcome::decide(QemuExit::Code(23), "") else {
            panic!()
        };
        assert!(why.contains("SIGSEGV"), "{why}");
        assert_eq!(
            Outcome::decide(
                QemuExit::Code(255),
                "vibix: hi\nPANIC at src/x.rs:1: oops\n\n"
            ),
            Outcome::Panic(Some("PANIC at src/x.rs:1: oops".into()))
        );
        assert_eq!(
            Outcome::decide(QemuExit::Code(255), ""),
            Outcome::Panic(None)
        );
        let Outcome::Broken(why) = Outcome::decide(QemuExit::Code(0), "x") else {
            panic!()
        };
        assert!(why.contains("reset"), "{why}");
        assert!(matches!(
            Outcome::decide(QemuExit::Code(2), ""),
            Outcome::Broken(_)
        ));
        assert!(matches!(
            Outcome::decide(QemuExit::Killed(9), ""),
            Outcome::Broken(_)
        ));
        let t = Outcome::decide(QemuExit::TimedOut(Duration::from_secs(60)), exited42);
        assert_eq!(t.to_string(), "timeout after 60s");
    }
}
