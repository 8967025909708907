//! The user half of the address space, and page arithmetic.
//!
//! x86_64 with 4-level paging gives user programs the lower canonical half,
//! `[0, USER_END)`. vibix lays it out like Linux does:
//!
//! ```text
//! USER_END        0x0000_8000_0000_0000  first address that is not user memory
//! USER_STACK_TOP  0x0000_7fff_ffff_f000  the main stack grows down from here
//!                                        (USER_STACK_SIZE bytes of it)
//! USER_MMAP_TOP   0x0000_7f00_0000_0000  mmap hands out addresses below this,
//!                                        top-down
//!                 ...                    the heap (brk) grows up from the end
//!                                        of the program image
//!                 ...                    the program image (ELF PT_LOAD segments)
//! USER_MIN        0x0000_0000_0001_0000  nothing is ever mapped below this, so
//!                                        a null pointer (plus a small offset)
//!                                        always faults
//! ```
//!
//! The top page below `USER_END` stays unmapped, as on Linux: it keeps a
//! runaway access past the stack from reaching the non-canonical hole.

/// Size of a page (x86_64 small pages).
pub const PAGE_SIZE: u64 = 4096;

/// The first address that is not user memory.
pub const USER_END: u64 = 0x0000_8000_0000_0000;

/// The initial stack pointer region ends here (exclusive): an ABI fact
/// (std finds the main thread's guard page by it), so `vibix_uapi`'s.
pub const USER_STACK_TOP: u64 = vibix_uapi::start::MAIN_STACK_TOP as u64;

/// How much stack the main thread gets (`vibix_uapi`'s, as above).
pub const USER_STACK_SIZE: u64 = vibix_uapi::start::MAIN_STACK_SIZE as u64;

/// `mmap` allocates top-down starting below this address.
pub const USER_MMAP_TOP: u64 = 0x0000_7f00_0000_0000;

/// Nothing is mapped below this address (Linux's `vm.mmap_min_addr`).
pub const USER_MIN: u64 = 0x10000;

// The map above, checked when the crate compiles.
const _: () = {
    assert!(is_page_aligned(USER_MIN));
    assert!(is_page_aligned(USER_MMAP_TOP));
    assert!(is_page_aligned(USER_STACK_TOP));
    assert!(USER_MIN < USER_MMAP_TOP);
    assert!(USER_MMAP_TOP < USER_STACK_TOP - USER_STACK_SIZE);
    assert!(USER_STACK_TOP < USER_END);
};

/// Rounds `addr` down to the start of its page.
pub const fn page_floor(addr: u64) -> u64 {
    addr & !(PAGE_SIZE - 1)
}

/// Rounds `addr` up to a page boundary, or `None` if that does not fit in a
/// `u64`.
pub const fn page_ceil(addr: u64) -> Option<u64> {
    match addr.checked_add(PAGE_SIZE - 1) {
        Some(a) => Some(page_floor(a)),
        None => None,
    }
}

/// Whether `addr` is the start of a page.
pub const fn is_page_aligned(addr: u64) -> bool {
    addr.is_multiple_of(PAGE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor() {
        assert_eq!(page_floor(0), 0);
        assert_eq!(page_floor(4095), 0);
        assert_eq!(page_floor(4096), 4096);
        assert_eq!(page_floor(0x1234_5678), 0x1234_5000);
        assert_eq!(page_floor(u64::MAX), 0xffff_ffff_ffff_f000);
    }

    #[test]
    fn ceil() {
        assert_eq!(page_ceil(0), Some(0));
        assert_eq!(page_ceil(1), Some(4096));
        assert_eq!(page_ceil(4096), Some(4096));
        assert_eq!(page_ceil(4097), Some(8192));
        assert_eq!(
            page_ceil(0xffff_ffff_ffff_f000),
            Some(0xffff_ffff_ffff_f000)
        );
        assert_eq!(page_ceil(0xffff_ffff_ffff_f001), None);
        assert_eq!(page_ceil(u64::MAX), None);
    }
}
