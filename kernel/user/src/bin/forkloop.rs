//! `forkloop`: 1000 fork/exit/wait cycles give back every page: free memory
//! (from `sysinfo`) is the same afterwards, and only this process is left.
//! Not compared with Linux, whose free memory moves for its own reasons.

#![no_std]
#![no_main]

use vrt::children::{Ended, Fork, decode, fork, wait4};
use vrt::process::exit;
use vrt::sysinfo::memory;
use vrt::{check, check_eq};

vrt::entry!(main);

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
