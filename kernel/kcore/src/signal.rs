//! Signal numbers (Linux x86_64).

/// Hangup.
pub const SIGHUP: u8 = 1;
/// Interrupt (Ctrl-C).
pub const SIGINT: u8 = 2;
/// Quit (Ctrl-\).
pub const SIGQUIT: u8 = 3;
/// Illegal instruction.
pub const SIGILL: u8 = 4;
/// Breakpoint or trace trap.
pub const SIGTRAP: u8 = 5;
/// `abort()`.
pub const SIGABRT: u8 = 6;
/// Bus error (bad memory access).
pub const SIGBUS: u8 = 7;
/// Arithmetic exception (e.g. division by zero).
pub const SIGFPE: u8 = 8;
/// Kill; cannot be caught.
pub const SIGKILL: u8 = 9;
/// User signal 1.
pub const SIGUSR1: u8 = 10;
/// Invalid memory reference.
pub const SIGSEGV: u8 = 11;
/// User signal 2.
pub const SIGUSR2: u8 = 12;
/// Write to a pipe with no reader.
pub const SIGPIPE: u8 = 13;
/// Timer (`alarm`).
pub const SIGALRM: u8 = 14;
/// Polite termination request.
pub const SIGTERM: u8 = 15;
/// A child stopped or exited.
pub const SIGCHLD: u8 = 17;
/// Continue if stopped.
pub const SIGCONT: u8 = 18;
/// Stop (cannot be caught or ignored).
pub const SIGSTOP: u8 = 19;
/// Urgent data on a socket.
pub const SIGURG: u8 = 23;
/// The terminal's window size changed.
pub const SIGWINCH: u8 = 28;

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
