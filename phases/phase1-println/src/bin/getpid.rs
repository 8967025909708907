//! `getpid` and `exit_group`: a process has a positive pid, the same on
//! every call, and `exit_group` ends it with the given status.

#![no_std]
#![no_main]

use vrt::syscall::{syscall0, syscall1};
use vrt::{check, check_eq};

vrt::entry!(main);

const GETPID: usize = vrt::nr::GETPID;
const EXIT_GROUP: usize = vrt::nr::EXIT_GROUP;

fn getpid() -> isize {
    // SAFETY: getpid takes no arguments and touches no memory.
    unsafe { syscall0(GETPID) as isize }
}

fn main(_args: &vrt::Args) -> i32 {
    let pid = getpid();
    check!(pid > 0, "getpid returns a positive pid");
    check_eq!(getpid(), pid, "getpid is stable");
    vrt::println!("exit_group(7)");
    // SAFETY: exit_group ends the process; it does not return.
    unsafe { syscall1(EXIT_GROUP, 7) };
    vrt::println!("FAIL: exit_group returned");
    1
}
