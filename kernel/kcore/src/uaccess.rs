//! Range checks for pointers that come from user space.
//!
//! A system call gets raw addresses from the program. Before the kernel
//! touches `[addr, addr + len)` it must know the whole range is in the user
//! half, so that a program cannot make the kernel read or write kernel memory
//! on its behalf. These are pure arithmetic checks: whether the pages are
//! actually mapped is the kernel's business (it walks [`pages`] for that).

use crate::errno::Errno;
use crate::layout::{PAGE_SIZE, USER_END, page_floor};

/// Checks that `[addr, addr + len)` lies in user space.
///
/// An empty range is always fine (Linux accepts `read(fd, NULL, 0)`).
/// Otherwise the range must start at or above the first page, so a null
/// pointer faults, and end at or below [`USER_END`] without wrapping around.
pub fn check_user_range(addr: u64, len: u64) -> Result<(), Errno> {
    if len == 0 {
        return Ok(());
    }
    // Careful: `addr.checked_add(len) <= Some(USER_END)` would be wrong, since
    // `None` (overflow) compares less than every `Some`.
    match addr.checked_add(len) {
        Some(end) if addr >= PAGE_SIZE && end <= USER_END => Ok(()),
        _ => Err(Errno::EFAULT),
    }
}

/// The page-aligned start of every page that `[addr, addr + len)` touches,
/// in increasing order.
///
/// Yields nothing for `len == 0`. A range running past the end of the address
/// space is cut at the last page instead of wrapping around; call
/// [`check_user_range`] first to reject such ranges.
pub fn pages(addr: u64, len: u64) -> impl DoubleEndedIterator<Item = u64> {
    let first = page_floor(addr);
    let count = match len {
        0 => 0,
        _ => {
            let last = page_floor(addr.saturating_add(len - 1));
            (last - first) / PAGE_SIZE + 1
        }
    };
    (0..count).map(move |i| first + i * PAGE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    const EFAULT: Result<(), Errno> = Err(Errno::EFAULT);

    #[test]
    fn empty_ranges_are_always_fine() {
        for addr in [0, 1, 0xfff, USER_END, USER_END + 5, u64::MAX] {
            assert_eq!(check_user_range(addr, 0), Ok(()), "{addr:#x}");
        }
    }

    #[test]
    fn null_page_faults() {
        assert_eq!(check_user_range(0, 1), EFAULT);
        assert_eq!(check_user_range(PAGE_SIZE - 1, 1), EFAULT);
        assert_eq!(check_user_range(PAGE_SIZE, 1), Ok(()));
    }

    #[test]
    fn last_user_byte() {
        assert_eq!(check_user_range(USER_END - 1, 1), Ok(()));
        assert_eq!(check_user_range(USER_END - 8, 8), Ok(()));
        assert_eq!(check_user_range(USER_END, 1), EFAULT);
    }

    #[test]
    fn straddling_user_end() {
        assert_eq!(check_user_range(USER_END - 8, 9), EFAULT);
        assert_eq!(check_user_range(USER_END - 1, 2), EFAULT);
    }

    #[test]
    fn overflow_is_rejected() {
        assert_eq!(check_user_range(PAGE_SIZE, u64::MAX), EFAULT);
        assert_eq!(check_user_range(u64::MAX, 1), EFAULT);
        assert_eq!(check_user_range(u64::MAX - 1, 2), EFAULT);
    }

    #[test]
    fn whole_user_half() {
        assert_eq!(check_user_range(PAGE_SIZE, USER_END - PAGE_SIZE), Ok(()));
        assert_eq!(
            check_user_range(PAGE_SIZE, USER_END - PAGE_SIZE + 1),
            EFAULT
        );
    }

    fn pages_of(addr: u64, len: u64) -> Vec<u64> {
        pages(addr, len).collect()
    }

    #[test]
    fn pages_zero_length_is_empty() {
        for addr in [0, 1, 0x1001, 0x1fff, u64::MAX] {
            assert_eq!(pages_of(addr, 0), [], "{addr:#x}");
        }
    }

    #[test]
    fn pages_within_one_page() {
        assert_eq!(pages_of(0x1000, 1), [0x1000]);
        assert_eq!(pages_of(0x1000, 0x1000), [0x1000]);
        assert_eq!(pages_of(0x1fff, 1), [0x1000]);
        assert_eq!(pages_of(0x1234, 0x10), [0x1000]);
    }

    #[test]
    fn pages_crossing_boundaries() {
        assert_eq!(pages_of(0x1fff, 2), [0x1000, 0x2000]);
        assert_eq!(pages_of(0x1000, 0x1001), [0x1000, 0x2000]);
        assert_eq!(pages_of(0x1800, 0x2000), [0x1000, 0x2000, 0x3000]);
    }

    #[test]
    fn pages_at_the_top_of_user_space() {
        assert_eq!(pages_of(USER_END - 1, 1), [USER_END - PAGE_SIZE]);
    }

    #[test]
    fn pages_never_wrap() {
        assert_eq!(pages_of(u64::MAX, 1), [0xffff_ffff_ffff_f000]);
        assert_eq!(
            pages_of(u64::MAX - 4096, 10_000),
            [0xffff_ffff_ffff_e000, 0xffff_ffff_ffff_f000]
        );
        // A huge range: look at the ends only.
        let mut all = pages(0x1000, u64::MAX);
        assert_eq!(all.next(), Some(0x1000));
        assert_eq!(all.next_back(), Some(0xffff_ffff_ffff_f000));
    }
}
