//! `ioctl` requests on terminals (Linux's `<asm-generic/ioctls.h>`): the
//! ones vibix's console answers.

/// Reads the terminal's `struct termios`; succeeds only on a terminal
/// (`isatty`'s test).
pub const TCGETS: u32 = 0x5401;
/// Reads the terminal's size (`struct winsize`).
pub const TIOCGWINSZ: u32 = 0x5413;
