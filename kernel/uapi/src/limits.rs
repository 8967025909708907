//! Limits Linux's `<linux/limits.h>` gives: how long a path or a name may
//! be.

/// Longest path accepted, including the terminating NUL (so a path may
/// have at most `PATH_MAX - 1` bytes); `getcwd` needs a buffer this large
/// to be sure.
pub const PATH_MAX: usize = 4096;

/// Longest single file name.
pub const NAME_MAX: usize = 255;
