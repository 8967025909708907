//! `futex`'s operations (Linux's `<uapi/linux/futex.h>`): the operation in
//! the low bits, optionally or-ed with the flags.

#![allow(missing_docs)]

pub const FUTEX_WAIT: i32 = 0;
pub const FUTEX_WAKE: i32 = 1;
pub const FUTEX_REQUEUE: i32 = 3;
pub const FUTEX_CMP_REQUEUE: i32 = 4;
pub const FUTEX_WAIT_BITSET: i32 = 9;
pub const FUTEX_WAKE_BITSET: i32 = 10;
/// The futex is private to the process (no shared mapping).
pub const FUTEX_PRIVATE_FLAG: i32 = 128;
/// `FUTEX_WAIT_BITSET`'s timeout is on `CLOCK_REALTIME`.
pub const FUTEX_CLOCK_REALTIME: i32 = 256;
/// The bitset that matches every waiter (what plain `FUTEX_WAIT` and
/// `FUTEX_WAKE` use).
pub const FUTEX_BITSET_MATCH_ANY: u32 = 0xffff_ffff;
