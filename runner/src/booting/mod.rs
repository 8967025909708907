//! Booting vibix in QEMU: the command line, the accelerator, the console
//! (input and output) and how a boot ended.

pub mod accel;
pub mod boot;
pub mod cmdline;
pub mod console_input;
pub mod outcome;
pub mod qemu;
