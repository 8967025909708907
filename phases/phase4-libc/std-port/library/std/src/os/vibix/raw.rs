//! The C types of `struct stat` and `pthread_t` on vibix: what
//! `std::os::unix::raw` re-exports (as Linux's `std::os::linux::raw` does).
//!
//! This file is part of vibix's std port (phase 4), copied into std's
//! source by the vibix runner. The types are the ABI's, from `vibix_uapi`.

#![stable(feature = "raw_ext", since = "1.1.0")]

#[stable(feature = "raw_ext", since = "1.1.0")]
pub use vibix_abi::fs::{blkcnt_t, blksize_t, dev_t, ino_t, mode_t, nlink_t, off_t, time_t};

/// A thread's handle as `JoinHandleExt::as_pthread_t` gives it: on vibix,
/// the thread's id (`gettid`), widened.
#[stable(feature = "pthread_t", since = "1.8.0")]
pub type pthread_t = crate::os::raw::c_ulong;
