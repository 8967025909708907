//! `sysinfo`: what the leak tests compare before and after.

use vibix_uapi::sysinfo::Sysinfo;

use crate::nr;
use crate::syscall::syscall1;

/// Free memory in bytes and the number of processes (`mem_unit` is 1).
/// Free memory counts what the kernel's page cache of programs keeps for
/// programs that ended (`bufferram`): a `fork` + `execve` leaves that
/// behind, and gives it back when memory runs out.
pub fn memory() -> (u64, u16) {
    let mut info = Sysinfo::default();
    // SAFETY: the kernel writes one struct sysinfo into `info`.
    let ret = unsafe { syscall1(nr::SYSINFO, (&raw mut info) as usize) };
    crate::check_eq!(ret, 0, "sysinfo");
    (info.freeram + info.bufferram, info.procs)
}
