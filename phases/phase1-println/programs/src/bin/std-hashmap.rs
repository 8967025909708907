//! `HashMap`'s `RandomState` is seeded from the kernel's random bytes: its
//! keys are not zero, and two `RandomState`s hash the same key differently.

use std::collections::HashMap;
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher, RandomState};

fn main() {
    let a = RandomState::new().hash_one("vibix");
    let b = RandomState::new().hash_one("vibix");
    println!("two RandomStates hash a key differently: {}", a != b);
    let mut zero_keys = DefaultHasher::new();
    "vibix".hash(&mut zero_keys);
    println!(
        "RandomState's keys are not zero: {}",
        a != zero_keys.finish()
    );

    let mut map = HashMap::new();
    for word in "the quick brown fox jumps over the lazy dog the end".split(' ') {
        *map.entry(word).or_insert(0) += 1;
    }
    let mut counts: Vec<_> = map.into_iter().collect();
    counts.sort();
    println!("{counts:?}");
}
