//! `ioctl` requests on terminals (Linux's `<asm-generic/ioctls.h>`): the
//! ones vibix's console answers, and `struct winsize`.

/// Reads the terminal's `struct termios`; succeeds only on a terminal
/// (`isatty`'s test).
pub const TCGETS: u32 = 0x5401;
/// Reads the terminal's size (`struct winsize`).
pub const TIOCGWINSZ: u32 = 0x5413;

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
