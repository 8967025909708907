//! Waiting for children: `wait4`'s options, the status word it reports and
//! the `struct rusage` it can fill in (x86_64, 144 bytes).
//!
//! The status word, in Linux's encoding (finding U-A5):
//!
//! ```text
//! exited normally:    (exit code << 8) | 0        e.g. exit(3)   -> 0x0300
//! killed by a signal: signal number (1..=0x7e)    e.g. SIGSEGV   -> 0x000b
//!                     (| 0x80 if it dumped core)
//! stopped:            (signal << 8) | 0x7f
//! continued:          0xffff
//! ```
//!
//! The low 7 bits tell them apart: 0 means "exited", `0x7f` "stopped" (vibix
//! does not stop processes yet). The kernel encodes with [`exited`] and
//! [`signaled`]; user space (std's `ExitStatus`, the phase-0 runtime)
//! decodes with the other functions, which are C's `W*` macros.

#![allow(missing_docs)]

use crate::time::Timeval;

/// Return at once if no child has changed state.
pub const WNOHANG: i32 = 1;
pub const WUNTRACED: i32 = 2;
pub const WCONTINUED: i32 = 8;

/// The bit of a status that says a core was dumped (`WCOREFLAG`).
pub const WCOREFLAG: u32 = 0x80;

/// The low bits' value for a stopped child.
const STOPPED: u32 = 0x7f;

/// The status of a continued child (`WIFCONTINUED`).
const CONTINUED: u32 = 0xffff;

// ANCHOR: encode
/// The status of a process that called `exit(code)`.
pub const fn exited(code: u8) -> u32 {
    (code as u32) << 8
}

/// The status of a process killed by signal `sig` (1 to 0x7e).
pub const fn signaled(sig: u8) -> u32 {
    sig as u32 & 0x7f
}
// ANCHOR_END: encode

// ANCHOR: decode
/// The exit code, if `status` says the process exited (`WIFEXITED`,
/// `WEXITSTATUS`).
pub const fn exit_code(status: u32) -> Option<u8> {
    if status & 0x7f == 0 {
        Some((status >> 8) as u8)
    } else {
        None
    }
}

/// The signal that killed the process, if it was killed (`WIFSIGNALED`,
/// `WTERMSIG`).
pub const fn term_signal(status: u32) -> Option<u8> {
    let sig = status & 0x7f;
    if sig != 0 && sig != STOPPED {
        Some(sig as u8)
    } else {
        None
    }
}
// ANCHOR_END: decode

/// Whether a killed process dumped core (`WCOREDUMP`).
pub const fn core_dumped(status: u32) -> bool {
    term_signal(status).is_some() && status & WCOREFLAG != 0
}

/// The signal that stopped the process, if it is stopped (`WIFSTOPPED`,
/// `WSTOPSIG`).
pub const fn stop_signal(status: u32) -> Option<u8> {
    if status & 0xff == STOPPED {
        Some((status >> 8) as u8)
    } else {
        None
    }
}

/// Whether the status reports a stopped process that continued
/// (`WIFCONTINUED`).
pub const fn continued(status: u32) -> bool {
    status == CONTINUED
}

/// `struct rusage`: two times, then fourteen counters.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rusage {
    pub ru_utime: Timeval,
    pub ru_stime: Timeval,
    pub ru_maxrss: i64,
    pub ru_ixrss: i64,
    pub ru_idrss: i64,
    pub ru_isrss: i64,
    pub ru_minflt: i64,
    pub ru_majflt: i64,
    pub ru_nswap: i64,
    pub ru_inblock: i64,
    pub ru_oublock: i64,
    pub ru_msgsnd: i64,
    pub ru_msgrcv: i64,
    pub ru_nsignals: i64,
    pub ru_nvcsw: i64,
    pub ru_nivcsw: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGABRT, SIGKILL, SIGSEGV, SIGSTOP};

    const KILL: u8 = SIGKILL as u8;
    const SEGV: u8 = SIGSEGV as u8;

    #[test]
    fn encodings_match_linux() {
        assert_eq!(exited(0), 0);
        assert_eq!(exited(3), 0x0300);
        assert_eq!(exited(255), 0xff00);
        assert_eq!(signaled(SEGV), 0x0b);
        assert_eq!(signaled(KILL), 9);
    }

    #[test]
    fn round_trips() {
        for code in 0..=255u8 {
            assert_eq!(exit_code(exited(code)), Some(code));
            assert_eq!(term_signal(exited(code)), None);
            assert!(!core_dumped(exited(code)));
        }
        for sig in 1..0x7fu8 {
            assert_eq!(term_signal(signaled(sig)), Some(sig));
            assert_eq!(exit_code(signaled(sig)), None);
            assert_eq!(stop_signal(signaled(sig)), None);
        }
    }

    #[test]
    fn core_dump_stopped_and_continued() {
        // Killed by SIGSEGV with a core dump; SIGABRT without.
        assert_eq!(term_signal(0x8b), Some(SEGV));
        assert!(core_dumped(0x8b));
        assert!(!core_dumped(signaled(SIGABRT as u8)));
        // Stopped by SIGSTOP: neither exited nor killed.
        let stopped = ((SIGSTOP as u32) << 8) | 0x7f;
        assert_eq!(term_signal(stopped), None);
        assert_eq!(exit_code(stopped), None);
        assert_eq!(stop_signal(stopped), Some(SIGSTOP as u8));
        assert!(continued(0xffff));
        assert_eq!(exit_code(0xffff), None);
        assert_eq!(term_signal(0xffff), None);
    }
}
