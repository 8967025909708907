//! Helpers shared by the unit tests: a tiny deterministic random number
//! generator and a "garbage input" driver for the parsers.

use alloc::vec::Vec;

/// xorshift64*: small, deterministic, good enough to pick bytes to corrupt.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // xorshift must not start at zero.
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Feeds `parse` every truncation of `valid` and many randomly corrupted
/// copies of it. The parsers must cope with all of them without panicking;
/// what they return is up to them.
///
/// Returns how many of the corrupted inputs `parse` accepted, so a caller can
/// check the corruption actually reached the parser's checks.
pub fn feed_garbage(valid: &[u8], mut parse: impl FnMut(&[u8]) -> bool) -> usize {
    // Miri is about a thousand times slower: there, try every 29th length
    // (29 is odd, so all offsets modulo 4 and 8 still come up) and fewer
    // corruptions. The host run tries everything.
    let stride = if cfg!(miri) { 29 } else { 1 };
    for len in (0..valid.len()).step_by(stride) {
        parse(&valid[..len]);
    }
    let rounds = if cfg!(miri) { 60 } else { 5000 };
    let mut rng = Rng::new(0x5eed);
    let mut accepted = 0;
    for _ in 0..rounds {
        let mut bad: Vec<u8> = valid.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bad.len());
            bad[at] = match rng.below(4) {
                // Flip one bit, or put in a value that tends to hit edge cases.
                0 => bad[at] ^ (1 << rng.below(8)),
                1 => 0xff,
                2 => 0,
                _ => rng.next_u64() as u8,
            };
        }
        if parse(&bad) {
            accepted += 1;
        }
    }
    accepted
}
