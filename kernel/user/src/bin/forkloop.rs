//! `forkloop`: 1000 fork/exit/wait cycles give back every page: free memory
//! (from `sysinfo`) is the same afterwards, and only this process is left.
//! Not compared with Linux, whose free memory moves for its own reasons.

#![no_std]
#![no_main]

use vrt::children::{Ended, Fork, decode, fork, wait4};
use vrt::process::exit;
use vrt::syscall::syscall1;
use vrt::{check, check_eq};

vrt::entry!(main);

/// (free bytes, process count) from `sysinfo` (99).
fn memory() -> (u64, u16) {
    let mut info = [0u8; 112];
    // SAFETY: the kernel writes one 112-byte struct sysinfo into `info`.
    let ret = unsafe { syscall1(99, info.as_mut_ptr() as usize) };
    check_eq!(ret, 0, "sysinfo");
    let free = u64::from_le_bytes(info[40..48].try_into().unwrap());
    (free, u16::from_le_bytes([info[80], info[81]]))
}

fn main(_args: &vrt::Args) -> i32 {
    let before = memory();
    let mut all_exited = true;
    for i in 0..1000 {
        match fork() {
            Ok(Fork::Child) => exit(i % 200),
            Ok(Fork::Parent { child }) => {
                let ended = wait4(child, 0).map(|(_, s)| decode(s));
                all_exited &= ended == Ok(Ended::Exited((i % 200) as u8));
            }
            Err(e) => vrt::check::fail(format_args!("fork #{i}"), format_args!("{e:?}")),
        }
    }
    check!(all_exited, "1000 children exited with their own status");
    let after = memory();
    check_eq!(after.1, before.1, "no zombie or stray process is left");
    check_eq!(after.0, before.0, "free memory is what it was before");
    vrt::check::all_passed();
    0
}
