//! User page faults: demand-zero pages are filled in here; every other
//! fault is the program's error and becomes SIGSEGV in the trap handler.

use crate::mm::aspace::Access;

/// Page-fault error code bits (Intel SDM vol. 3, 4.7).
const PF_PRESENT: u64 = 1 << 0;
const PF_WRITE: u64 = 1 << 1;
const PF_INSTRUCTION: u64 = 1 << 4;

/// Returns true when the fault was resolved and the program can go on.
pub fn handle_user_fault(addr: u64, error: u64) -> bool {
    if error & PF_PRESENT != 0 {
        return false; // a protection violation on a present page
    }
    let access = if error & PF_WRITE != 0 {
        Access::Write
    } else if error & PF_INSTRUCTION != 0 {
        Access::Exec
    } else {
        Access::Read
    };
    crate::proc::with_current(|p| p.mm().fault_in(addr, access)).is_ok()
}
