//! `sysinfo` (99): what the leak tests compare before and after.

use crate::syscall::syscall1;

const SYSINFO: usize = 99;

/// Free memory in bytes and the number of processes, from `struct
/// sysinfo` (`freeram` at byte 40, `procs` at byte 80; `mem_unit` is 1).
pub fn memory() -> (u64, u16) {
    let mut info = [0u8; 112];
    // SAFETY: the kernel writes one 112-byte struct sysinfo into `info`.
    let ret = unsafe { syscall1(SYSINFO, info.as_mut_ptr() as usize) };
    crate::check_eq!(ret, 0, "sysinfo");
    let mut free = [0u8; 8];
    free.copy_from_slice(&info[40..48]);
    (u64::from_le_bytes(free), u16::from_le_bytes([info[80], info[81]]))
}
