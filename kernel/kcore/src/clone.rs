//! `clone`'s flags: which combinations vibix accepts (finding S-B2) and
//! what they ask for. vibix's `clone` makes threads only: a new task in
//! the caller's process, sharing its address space, descriptor table,
//! working directory and signal handlers. So of Linux's flags it accepts
//! exactly the RFC's list, and of those, the five that make a thread
//! (`CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD`)
//! must all be there. Any other bit (the exit-signal byte included) is
//! `EINVAL`: a fork-like `clone(SIGCHLD)` too (processes come from `fork`).

use crate::errno::{Errno, KResult};
use vibix_uapi::clone::*;

/// Every flag `clone` accepts (finding S-B2).
pub const ALLOWED: u64 = (CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID) as u64;

/// The flags that make the new task a thread of the caller's process.
pub const THREAD: u64 = (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD) as u64;

/// What an accepted `clone` asks for besides the thread itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Request {
    /// `CLONE_SETTLS`: the new thread's FS base is the `tls` argument.
    pub set_tls: bool,
    /// `CLONE_PARENT_SETTID`: the new tid is stored at `parent_tid`.
    pub parent_settid: bool,
    /// `CLONE_CHILD_CLEARTID`: at the thread's end, 0 is stored at
    /// `child_tid` and a futex wake is done there.
    pub child_cleartid: bool,
}

// ANCHOR: check
/// Checks `clone`'s flags: only the allowed bits, Linux's consistency
/// rules (`CLONE_THREAD` needs `CLONE_SIGHAND`, which needs `CLONE_VM`),
/// and vibix's: every flag that makes a thread.
pub fn check(flags: u64) -> KResult<Request> {
    let has = |f: i32| flags & f as u64 != 0;
    if flags & !ALLOWED != 0 {
        return Err(Errno::EINVAL);
    }
    if has(CLONE_THREAD) && !has(CLONE_SIGHAND) || has(CLONE_SIGHAND) && !has(CLONE_VM) {
        return Err(Errno::EINVAL);
    }
    if flags & THREAD != THREAD {
        return Err(Errno::EINVAL);
    }
    Ok(Request {
        set_tls: has(CLONE_SETTLS),
        parent_settid: has(CLONE_PARENT_SETTID),
        child_cleartid: has(CLONE_CHILD_CLEARTID),
    })
}
// ANCHOR_END: check

#[cfg(test)]
mod tests {
    use super::*;

    /// What std (and glibc) pass to create a thread.
    const STD: u64 =
        THREAD | (CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID) as u64;

    #[test]
    fn std_threads_are_accepted() {
        assert_eq!(
            check(STD),
            Ok(Request {
                set_tls: true,
                parent_settid: true,
                child_cleartid: true
            })
        );
        assert_eq!(check(THREAD), Ok(Request::default()));
    }

    #[test]
    fn every_bit_outside_the_list_is_einval() {
        for bit in 0..64 {
            let flag = 1u64 << bit;
            let expected = if ALLOWED & flag != 0 {
                Ok(())
            } else {
                Err(Errno::EINVAL)
            };
            assert_eq!(check(STD | flag).map(|_| ()), expected, "bit {bit}");
        }
    }

    #[test]
    fn the_exit_signal_byte_is_refused() {
        assert_eq!(check(STD | 17), Err(Errno::EINVAL));
        assert_eq!(check(17), Err(Errno::EINVAL), "fork-like clone(SIGCHLD)");
        assert_eq!(check(0), Err(Errno::EINVAL));
    }

    #[test]
    fn linux_consistency_rules() {
        let t = CLONE_THREAD as u64;
        let s = CLONE_SIGHAND as u64;
        let vm = CLONE_VM as u64;
        assert_eq!(
            check(STD & !s),
            Err(Errno::EINVAL),
            "THREAD without SIGHAND"
        );
        assert_eq!(check(STD & !vm), Err(Errno::EINVAL), "SIGHAND without VM");
        assert_eq!(
            check(STD & !t),
            Err(Errno::EINVAL),
            "a process sharing memory"
        );
        for f in [CLONE_FS, CLONE_FILES] {
            assert_eq!(check(STD & !(f as u64)), Err(Errno::EINVAL));
        }
    }
}
