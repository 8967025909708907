//! `struct stat` and the `st_mode` bits: `vibix_uapi::stat`'s.

pub use vibix_uapi::stat::*;
