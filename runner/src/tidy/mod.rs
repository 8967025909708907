//! The checks that keep the tree tidy: ABI numbers only in the ABI crate,
//! every phase listing what it adds, formatting, clippy.

pub mod abi_literals;
pub mod clippy;
pub mod phase_adds;
pub mod rustfmt;
