//! The status word `wait4` reports, in Linux's encoding.
//!
//! ```text
//! exited normally:    (exit code << 8) | 0        e.g. exit(3)   -> 0x0300
//! killed by a signal: signal number (1..=0x7e)    e.g. SIGSEGV   -> 0x000b
//!                     (| 0x80 if it dumped core)
//! ```
//!
//! The low 7 bits tell them apart: 0 means "exited"; `0x7f` is used for
//! stopped children, which vibix does not have yet.

/// The status of a process that called `exit(code)`.
pub const fn exited(code: u8) -> u32 {
    (code as u32) << 8
}

/// The status of a process killed by signal `sig`.
pub const fn signaled(sig: u8) -> u32 {
    sig as u32 & 0x7f
}

/// The exit code, if `status` says the process exited (`WIFEXITED`,
/// `WEXITSTATUS`).
pub fn exit_code(status: u32) -> Option<u8> {
    (status & 0x7f == 0).then_some((status >> 8) as u8)
}

/// The signal that killed the process, if it was killed (`WIFSIGNALED`,
/// `WTERMSIG`).
pub fn term_signal(status: u32) -> Option<u8> {
    let sig = (status & 0x7f) as u8;
    (sig != 0 && sig != 0x7f).then_some(sig)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGKILL, SIGSEGV};

    #[test]
    fn encodings_match_linux() {
        assert_eq!(exited(0), 0);
        assert_eq!(exited(3), 0x0300);
        assert_eq!(exited(255), 0xff00);
        assert_eq!(signaled(SIGSEGV), 0x0b);
        assert_eq!(signaled(SIGKILL), 9);
    }

    #[test]
    fn round_trips() {
        for code in 0..=255u8 {
            assert_eq!(exit_code(exited(code)), Some(code));
            assert_eq!(term_signal(exited(code)), None);
        }
        for sig in 1..0x7fu8 {
            assert_eq!(term_signal(signaled(sig)), Some(sig));
            assert_eq!(exit_code(signaled(sig)), None);
        }
    }

    #[test]
    fn core_dump_bit_and_stopped() {
        // Killed by SIGSEGV with a core dump.
        assert_eq!(term_signal(0x8b), Some(SIGSEGV));
        // Stopped by SIGSTOP (19): neither exited nor killed.
        let stopped = (19 << 8) | 0x7f;
        assert_eq!(term_signal(stopped), None);
        assert_eq!(exit_code(stopped), None);
    }
}
