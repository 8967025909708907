//! Phase 4's Rust programs call the C library through `libc` and `nix`;
//! they share nothing but this empty library, which exists so that the
//! runner can build std alone first.
