//! Signal numbers (Linux x86_64), as the kernel keeps them (`u8`): the
//! values are `vibix_uapi::signal`'s.

/// Hangup.
pub const SIGHUP: u8 = vibix_uapi::signal::SIGHUP as u8;
/// Interrupt (Ctrl-C).
pub const SIGINT: u8 = vibix_uapi::signal::SIGINT as u8;
/// Quit (Ctrl-\).
pub const SIGQUIT: u8 = vibix_uapi::signal::SIGQUIT as u8;
/// Illegal instruction.
pub const SIGILL: u8 = vibix_uapi::signal::SIGILL as u8;
/// Breakpoint or trace trap.
pub const SIGTRAP: u8 = vibix_uapi::signal::SIGTRAP as u8;
/// `abort()`.
pub const SIGABRT: u8 = vibix_uapi::signal::SIGABRT as u8;
/// Bus error (bad memory access).
pub const SIGBUS: u8 = vibix_uapi::signal::SIGBUS as u8;
/// Arithmetic exception (e.g. division by zero).
pub const SIGFPE: u8 = vibix_uapi::signal::SIGFPE as u8;
/// Kill; cannot be caught.
pub const SIGKILL: u8 = vibix_uapi::signal::SIGKILL as u8;
/// User signal 1.
pub const SIGUSR1: u8 = vibix_uapi::signal::SIGUSR1 as u8;
/// Invalid memory reference.
pub const SIGSEGV: u8 = vibix_uapi::signal::SIGSEGV as u8;
/// User signal 2.
pub const SIGUSR2: u8 = vibix_uapi::signal::SIGUSR2 as u8;
/// Write to a pipe with no reader.
pub const SIGPIPE: u8 = vibix_uapi::signal::SIGPIPE as u8;
/// Timer (`alarm`).
pub const SIGALRM: u8 = vibix_uapi::signal::SIGALRM as u8;
/// Polite termination request.
pub const SIGTERM: u8 = vibix_uapi::signal::SIGTERM as u8;
/// A child stopped or exited.
pub const SIGCHLD: u8 = vibix_uapi::signal::SIGCHLD as u8;
/// Continue if stopped.
pub const SIGCONT: u8 = vibix_uapi::signal::SIGCONT as u8;
/// Stop (cannot be caught or ignored).
pub const SIGSTOP: u8 = vibix_uapi::signal::SIGSTOP as u8;
/// Urgent data on a socket.
pub const SIGURG: u8 = vibix_uapi::signal::SIGURG as u8;
/// The terminal's window size changed.
pub const SIGWINCH: u8 = vibix_uapi::signal::SIGWINCH as u8;

/// The name of signal `n`, e.g. `"SIGSEGV"`, if vibix knows it.
pub fn signal_name(n: u8) -> Option<&'static str> {
    let name = match n {
        SIGHUP => "SIGHUP",
        SIGINT => "SIGINT",
        SIGQUIT => "SIGQUIT",
        SIGILL => "SIGILL",
        SIGTRAP => "SIGTRAP",
        SIGABRT => "SIGABRT",
        SIGBUS => "SIGBUS",
        SIGFPE => "SIGFPE",
        SIGKILL => "SIGKILL",
        SIGUSR1 => "SIGUSR1",
        SIGSEGV => "SIGSEGV",
        SIGUSR2 => "SIGUSR2",
        SIGPIPE => "SIGPIPE",
        SIGALRM => "SIGALRM",
        SIGTERM => "SIGTERM",
        SIGCHLD => "SIGCHLD",
        SIGCONT => "SIGCONT",
        SIGSTOP => "SIGSTOP",
        SIGURG => "SIGURG",
        SIGWINCH => "SIGWINCH",
        _ => return None,
    };
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_numbers() {
        assert_eq!(
            (SIGINT, SIGKILL, SIGSEGV, SIGTERM, SIGCHLD),
            (2, 9, 11, 15, 17)
        );
    }

    #[test]
    fn names() {
        assert_eq!(signal_name(SIGSEGV), Some("SIGSEGV"));
        assert_eq!(signal_name(9), Some("SIGKILL"));
        assert_eq!(signal_name(17), Some("SIGCHLD"));
        // 16 is SIGSTKFLT, which vibix does not use; 0 is no signal.
        for n in [0, 16, 20, 64, 255] {
            assert_eq!(signal_name(n), None, "{n}");
        }
    }

    #[test]
    fn every_known_signal_has_its_own_name() {
        let mut names: alloc::vec::Vec<&str> = (0..=255).filter_map(signal_name).collect();
        assert_eq!(names.len(), 20);
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 20);
    }
}
