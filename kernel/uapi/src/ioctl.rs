//! `ioctl` requests (Linux's `<asm-generic/ioctls.h>`): the terminal
//! requests vibix's console answers, `struct winsize`, and the requests
//! every descriptor answers (non-blocking mode, close-on-exec).

/// Reads the terminal's `struct termios`; succeeds only on a terminal
/// (`isatty`'s test).
pub const TCGETS: u32 = 0x5401;
/// The size of the `struct termios` `TCGETS` writes (x86_64: four flag
/// words, the line discipline, 19 control characters, padding).
pub const TERMIOS_SIZE: usize = 60;
/// Reads the terminal's size (`struct winsize`).
pub const TIOCGWINSZ: u32 = 0x5413;
/// Any descriptor: sets (`*(int *)arg` nonzero) or clears `O_NONBLOCK` on
/// its open file, as `fcntl(F_SETFL)` does.
pub const FIONBIO: u32 = 0x5421;
/// Any descriptor: sets its close-on-exec flag.
pub const FIOCLEX: u32 = 0x5451;
/// Any descriptor: clears its close-on-exec flag.
pub const FIONCLEX: u32 = 0x5450;

/// A terminal's size, as `TIOCGWINSZ` reports it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Winsize {
    /// Rows of characters.
    pub ws_row: u16,
    /// Columns of characters.
    pub ws_col: u16,
    /// Width in pixels (unused: 0).
    pub ws_xpixel: u16,
    /// Height in pixels (unused: 0).
    pub ws_ypixel: u16,
}
