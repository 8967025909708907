//! vibix: random bytes come from the kernel's `getrandom`. It fails rather
//! than hand out predictable bytes (finding S-A1'), and so does std here:
//! seeding a `HashMap` without entropy would be a silent weakness.

pub fn fill_bytes(bytes: &mut [u8]) {
    if let Err(e) = vibix_abi::random::fill(bytes) {
        panic!("failed to generate random data: getrandom: {e}");
    }
}
