//! `OsStrExt` and `OsStringExt` on vibix: an OS string is any bytes, as on
//! Unix, so these are std's Unix traits (the same file Hermit and Xous
//! include).
//!
//! This file is part of vibix's std port (phase 3), copied into std's
//! source by the vibix runner.

// Skipped by rustfmt: the file exists only in the patched copy of std.
#[rustfmt::skip]
#[path = "../unix/ffi/os_str.rs"]
mod os_str;

#[unstable(feature = "vibix_ext", issue = "none")]
pub use self::os_str::{OsStrExt, OsStringExt};
