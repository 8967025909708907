//! `getrandom`'s flags (Linux's `<uapi/linux/random.h>`).

#![allow(missing_docs)]

/// Fail with `EAGAIN` instead of waiting for entropy.
pub const GRND_NONBLOCK: u32 = 0x1;
/// Draw from the blocking pool (a no-op on recent Linux).
pub const GRND_RANDOM: u32 = 0x2;
/// Never wait, even before the generator is seeded.
pub const GRND_INSECURE: u32 = 0x4;
