//! The generator (phase 1 on, with the `rand_chacha` dependency): ChaCha20
//! seeded from the CPU's hardware entropy (RDSEED, else RDRAND) and
//! reseeded from it every 64 KiB of output. There is no deterministic
//! fallback (finding S-A1'): without hardware entropy the generator is never
//! ready and `getrandom` fails or waits, it never makes up bytes.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use spin::Mutex;

const RESEED_AFTER: usize = 64 * 1024;

struct Pool {
    rng: Option<ChaCha20Rng>,
    since_seed: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool { rng: None, since_seed: 0 });

fn fresh_seed() -> Option<[u8; 32]> {
    let mut seed = [0u8; 32];
    crate::arch::cpu::hw_random_fill(&mut seed)?;
    Some(seed)
}

/// Fills `buf`, or returns false when no hardware entropy has ever been
/// available (the generator is not ready).
pub fn fill(buf: &mut [u8]) -> bool {
    let mut pool = POOL.lock();
    if pool.rng.is_none() || pool.since_seed >= RESEED_AFTER {
        match fresh_seed() {
            Some(seed) => {
                pool.rng = Some(ChaCha20Rng::from_seed(seed));
                pool.since_seed = 0;
            }
            // A seeded generator keeps going if a reseed fails.
            None if pool.rng.is_some() => {}
            None => return false,
        }
    }
    pool.since_seed += buf.len();
    pool.rng.as_mut().expect("seeded above").fill_bytes(buf);
    true
}
