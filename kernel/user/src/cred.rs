//! Who the process is: `getuid` (102), `getgid` (104), `geteuid` (107),
//! `getegid` (108). They cannot fail.

use crate::nr;
use crate::syscall::syscall0;

fn id(n: usize) -> u32 {
    // SAFETY: these calls take no arguments and touch no memory.
    unsafe { syscall0(n) as u32 }
}

/// The real user id.
pub fn getuid() -> u32 {
    id(nr::GETUID)
}

/// The effective user id.
pub fn geteuid() -> u32 {
    id(nr::GETEUID)
}

/// The real group id.
pub fn getgid() -> u32 {
    id(nr::GETGID)
}

/// The effective group id.
pub fn getegid() -> u32 {
    id(nr::GETEGID)
}
