//! The kernel's random numbers, for `getrandom`: `fill` gives bytes from a
//! generator seeded by the CPU's hardware entropy, or says it is not ready.
//!
//! The generator is `rand_chacha`'s, a dependency only phase 1's kernel and
//! later ones link (Cargo.toml): this is the kernel's one `cfg(feature)`
//! outside `crate::phase`. The phase-0 kernel has no generator; nothing
//! asks it for bytes there, since `getrandom` is phase 1's (the syscall
//! table answers `ENOSYS` before).

cfg_select! {
    feature = "phase1" => {
        mod chacha;
        pub use chacha::fill;
    }
    _ => {
        /// Without a generator, never ready.
        pub fn fill(_buf: &mut [u8]) -> bool {
            false
        }
    }
}
