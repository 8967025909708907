//! vibix-specific extensions to std: `std::os::vibix`.
//!
//! This file is part of vibix's std port (phase 3), copied into std's
//! source by the vibix runner. vibix's strings are bytes, as on Unix and
//! Hermit, so its `ffi` module is std's Unix one; the std port's first
//! user is std's own copy of backtrace-rs, which reads file names out of
//! ELF sections with `OsStr::from_bytes`.

#![unstable(feature = "vibix_ext", issue = "none")]

pub mod ffi;
