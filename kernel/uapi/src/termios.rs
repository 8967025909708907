//! Terminal `ioctl` requests: `TCGETS` (which succeeds only on a terminal,
//! so `isatty` and stdio's buffering ask it) and `TIOCGWINSZ`.

/// `ioctl` request: read the terminal's `struct termios`.
pub const TCGETS: u64 = 0x5401;
/// `ioctl` request: read the terminal's window size (`struct winsize`).
pub const TIOCGWINSZ: u64 = 0x5413;
