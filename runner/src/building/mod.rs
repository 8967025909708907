//! Building what a phase boots: the pinned toolchain, the kernel and
//! program builds, the std port and the std build, the initramfs, the
//! audit of its relocations, and packages fetched from crates.io.

pub mod cpio;
pub mod crate_port;
pub mod crates_io;
pub mod initramfs;
pub mod kbuild;
pub mod phase_features;
pub mod relocation_audit;
pub mod relocation_samples;
pub mod rust_ports;
pub mod std_build;
pub mod std_port;
pub mod std_port_check;
pub mod toolchain;
