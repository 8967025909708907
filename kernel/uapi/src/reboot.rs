//! `reboot`'s magic numbers and commands. vibix has no `reboot` (its
//! machine ends when init exits); a program that boots Linux as init, like
//! the benchmarks' Linux-guest wrapper, powers the machine off with it.

#![allow(missing_docs)]

pub const LINUX_REBOOT_MAGIC1: i32 = 0xfee1_deadu32 as i32;
pub const LINUX_REBOOT_MAGIC2: i32 = 672_274_793;
pub const LINUX_REBOOT_CMD_POWER_OFF: i32 = 0x4321_fedc;
