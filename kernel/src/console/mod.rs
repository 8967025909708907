//! The two text channels out of the machine: the serial console (COM1), which
//! is user programs' stdin/stdout/stderr, and the kernel log (QEMU's debugcon
//! port), which the runner saves next to the console output.

pub mod klog;
pub mod serial;
