//! User page faults: demand-zero pages are filled in here, and the first
//! write to a page shared copy-on-write since a fork copies it; every other
//! fault is the program's error and becomes SIGSEGV in the trap handler.

use crate::mm::aspace::Access;

/// Page-fault error code bits (Intel SDM vol. 3, 4.7).
const PF_PRESENT: u64 = 1 << 0;
const PF_WRITE: u64 = 1 << 1;
const PF_INSTRUCTION: u64 = 1 << 4;

/// Returns true when the fault was resolved and the program can go on.
pub fn handle_user_fault(addr: u64, error: u64) -> bool {
    if error & PF_PRESENT != 0 && error & PF_WRITE == 0 {
        return false; // a protection violation on a present page
    }
    // A write to a present page: copy-on-write if the area is writable
    // (`fault_in` checks), else the program's error.
    let access = if error & PF_WRITE != 0 {
        Access::Write
    } else if error & PF_INSTRUCTION != 0 {
        Access::Exec
    } else {
        Access::Read
    };
    crate::proc::with_current(|p| p.mm().fault_in(addr, access)).is_ok()
}
