//! `<stdlib.h>`: pseudo-random numbers: `rand`, `srand`, `random`,
//! `srandom`, `rand_r`, with glibc's generators so that a seed gives the
//! same sequence as on Linux:
//!
//! - `rand`/`random`: glibc's "TYPE_3" additive feedback generator, 31
//!   words of state, `r[i] = r[i-31] + r[i-3]` (mod 2^32), output
//!   `r[i] >> 1`; seeding fills the words with the Park–Miller "minimal
//!   standard" generator (16807 modulo 2^31 - 1) and discards 310 outputs.
//!   Unseeded, it is as if seeded with 1.
//! - `rand_r`: glibc's three-step linear congruential generator on the
//!   caller's `unsigned` state.

use super::lock::Lock;
use crate::types::{c_int, c_long, c_uint};

/// The largest value `rand` returns.
pub const RAND_MAX: c_int = 2147483647;

/// Words of state.
const DEGREE: usize = 31;
/// The distance between the two taps.
const SEPARATION: usize = 3;

/// The additive generator's state.
struct Additive {
    words: [u32; DEGREE],
    /// The front tap (`fptr`) and rear tap (`rptr`).
    front: usize,
    rear: usize,
}

impl Additive {
    /// A generator seeded with `seed` (0 counts as 1).
    const fn seeded(seed: u32) -> Additive {
        let mut words = [0u32; DEGREE];
        let mut word = if seed == 0 { 1 } else { seed as i32 };
        words[0] = word as u32;
        let mut i = 1;
        while i < DEGREE {
            // Park–Miller by Schrage's method, without overflow.
            let hi = word as i64 / 127773;
            let lo = word as i64 % 127773;
            let mut next = 16807 * lo - 2836 * hi;
            if next < 0 {
                next += 2147483647;
            }
            word = next as i32;
            words[i] = word as u32;
            i += 1;
        }
        let mut g = Additive {
            words,
            front: SEPARATION,
            rear: 0,
        };
        let mut k = 0;
        while k < DEGREE * 10 {
            g.next();
            k += 1;
        }
        g
    }

    /// The next output, 0 to `RAND_MAX`.
    const fn next(&mut self) -> c_int {
        let v = self.words[self.front].wrapping_add(self.words[self.rear]);
        self.words[self.front] = v;
        self.front += 1;
        self.rear += 1;
        if self.front == DEGREE {
            self.front = 0;
        } else if self.rear == DEGREE {
            self.rear = 0;
        }
        (v >> 1) as c_int
    }
}

static STATE: Lock<Additive> = Lock::new(Additive::seeded(1));

/// The next pseudo-random number, 0 to `RAND_MAX`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn rand() -> c_int {
    STATE.with(|g| g.next())
}

/// Starts `rand`'s sequence anew from `seed`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn srand(seed: c_uint) {
    reseed(seed);
}

/// `srand`'s work (no export calls another by its C name).
fn reseed(seed: c_uint) {
    let g = Additive::seeded(seed);
    STATE.with(|s| *s = g);
}

/// The same generator as `rand`, as a `long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn random() -> c_long {
    c_long::from(STATE.with(|g| g.next()))
}

/// `srand`, under its BSD name.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn srandom(seed: c_uint) {
    reseed(seed)
}

/// The next number, 0 to `RAND_MAX`, of the generator whose whole state is
/// `*seed`.
///
/// # Safety
///
/// `seed` valid for reads and writes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn rand_r(seed: *mut c_uint) -> c_int {
    // SAFETY: the caller's contract.
    let mut next = unsafe { *seed };
    let mut step = || {
        next = next.wrapping_mul(1103515245).wrapping_add(12345);
        next / 65536
    };
    let mut result = step() % 2048;
    result = (result << 10) ^ (step() % 1024);
    result = (result << 10) ^ (step() % 1024);
    // SAFETY: as above.
    unsafe { *seed = next };
    result as c_int
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" {
        #[link_name = "rand_r"]
        fn host_rand_r(seed: *mut c_uint) -> c_int;
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls the host C library")]
    fn sequences_match_glibc() {
        // One test touches the global generators (ours and the host's),
        // so the sequences are not interleaved with another test's.
        for seed in [1u32, 0, 2, 42, 12345, 0x7fff_ffff, 0x8000_0000, u32::MAX] {
            srand(seed);
            // SAFETY: the host's generator is only used by this test.
            unsafe { libc::srand(seed) };
            for _ in 0..1000 {
                // SAFETY: as above.
                assert_eq!(rand(), unsafe { libc::rand() }, "seed {seed}");
            }
            let (mut a, mut b) = (seed, seed);
            for _ in 0..1000 {
                // SAFETY: valid seeds.
                assert_eq!(unsafe { rand_r(&mut a) }, unsafe { host_rand_r(&mut b) });
                assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn first_values_of_seed_one() {
        let mut g = Additive::seeded(1);
        // glibc's first outputs for the default seed.
        assert_eq!(g.next(), 1804289383);
        assert_eq!(g.next(), 846930886);
        assert_eq!(g.next(), 1681692777);
    }
}
