//! `enosys`: system call numbers the kernel does not implement fail with
//! `ENOSYS`, and the process carries on.
//!
//! 500 is just past the end of the Linux x86_64 table, 100000 is far past
//! it, and `u64::MAX` (-1) catches a kernel that bounds-checks the number as
//! a signed value.

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::syscall::syscall0;
use vrt::{check, check_eq};

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    for number in [500, 100_000, usize::MAX] {
        // SAFETY: no kernel implements these numbers, so the call does
        // nothing but fail.
        let ret = unsafe { syscall0(number) };
        check_eq!(
            Errno::from_ret(ret),
            Err(Errno::ENOSYS),
            "syscall {} -> ENOSYS",
            number as isize
        );
    }
    check!(true, "the process is still alive");
    vrt::check::all_passed();
    0
}
