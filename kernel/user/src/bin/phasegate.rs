//! `phasegate`: the system calls RFC 0009 assigns to phases 1-3 are not in
//! the phase-0 kernel: each answers ENOSYS. (Run only on the phase-0
//! kernel, `only_at_phase = 0`; Linux has them all, so no comparison.)

#![no_std]
#![no_main]

use vrt::check_eq;
use vrt::errno::Errno;
use vrt::syscall::syscall0;

vrt::entry!(main);

/// (number, name, phase) from the RFC's phase table.
const LATER: [(usize, &str, u8); 18] = [
    (39, "getpid", 1),
    (231, "exit_group", 1),
    (20, "writev", 1),
    (318, "getrandom", 1),
    (228, "clock_gettime", 1),
    (82, "rename", 2),
    (264, "renameat", 2),
    (17, "pread64", 2),
    (18, "pwrite64", 2),
    (35, "nanosleep", 2),
    (63, "uname", 2),
    (19, "readv", 2),
    (56, "clone", 3),
    (202, "futex", 3),
    (24, "sched_yield", 3),
    (218, "set_tid_address", 3),
    (186, "gettid", 3),
    (110, "getppid", 3),
];

fn main(_args: &vrt::Args) -> i32 {
    for (nr, name, phase) in LATER {
        // SAFETY: on the phase-0 kernel none of these exists, so the call
        // does nothing; with zero arguments none would touch our memory.
        let ret = unsafe { syscall0(nr) };
        check_eq!(
            Errno::from_ret(ret),
            Err(Errno::ENOSYS),
            "{name} ({nr}, phase {phase}) -> ENOSYS"
        );
    }
    vrt::check::all_passed();
    0
}
