//! Where a new thread's memory goes: one anonymous mapping holds the
//! thread's guard page, its stack, its TLS block with the TCB, and a small
//! control record. Pure arithmetic, tested on the host and under Miri.
//!
//! ```text
//! base                                                              base + len
//! | guard (PROT_NONE) | stack, growing down <- | TLS image | TCB | control |
//! 0                   guard       stack_top = tls_block    tp    control
//! ```
//!
//! The guard page sits below the stack, so a stack that overflows faults
//! there instead of running into other memory (every function with a large
//! frame probes its stack a page at a time, so it cannot jump over the
//! guard). The TLS block and the control record sit above the stack's top,
//! out of an overflow's way.

use vibix_uapi::tls::TlsLayout;

/// The smallest stack a thread gets, whatever it asks for: Linux's
/// `PTHREAD_STACK_MIN`.
pub const MIN_STACK: usize = 16 * 1024;

// ANCHOR: region
/// Offsets (from the mapping's start) of a thread's pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Bytes to map: a multiple of the page size.
    pub len: usize,
    /// Bytes of guard at the bottom (one page), mapped `PROT_NONE`.
    pub guard: usize,
    /// The stack's top, its first stack pointer: the stack is
    /// `guard..stack_top`, a multiple of the page size long.
    pub stack_top: usize,
    /// The TLS block's start (`TlsLayout::size` bytes from here).
    pub tls_block: usize,
    /// The thread pointer: the TCB.
    pub tp: usize,
    /// The control record.
    pub control: usize,
}

/// Lays out a thread with a stack of at least `stack_size` bytes (at
/// least [`MIN_STACK`], rounded up to whole pages), a TLS block laid out as
/// `tls` says, and a control record of `control_size` bytes aligned to
/// `control_align`. `page` is the page size (a power of two).
///
/// `None` if the sizes overflow, or if the TLS block wants an alignment
/// beyond a page, which a fresh mapping does not guarantee.
pub fn plan(
    stack_size: usize,
    page: usize,
    tls: &TlsLayout,
    control_size: usize,
    control_align: usize,
) -> Option<Region> {
    debug_assert!(page.is_power_of_two() && control_align.is_power_of_two());
    let tls_align = usize::try_from(tls.align).ok()?;
    if tls_align > page {
        return None;
    }
    let guard = page;
    let stack = round_up(stack_size.max(MIN_STACK), page)?;
    let stack_top = guard.checked_add(stack)?;
    // The stack's top is page-aligned, so also aligned for the TLS block.
    let tls_block = stack_top;
    let tp = tls_block.checked_add(usize::try_from(tls.tp_offset).ok()?)?;
    let tls_end = tls_block.checked_add(usize::try_from(tls.size).ok()?)?;
    let control = round_up(tls_end, control_align)?;
    let len = round_up(control.checked_add(control_size)?, page)?;
    Some(Region {
        len,
        guard,
        stack_top,
        tls_block,
        tp,
        control,
    })
}
// ANCHOR_END: region

/// `value` rounded up to a multiple of `align` (a power of two).
fn round_up(value: usize, align: usize) -> Option<usize> {
    Some(value.checked_add(align - 1)? & !(align - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vibix_uapi::tls::{TCB_SIZE, layout};

    const PAGE: usize = 4096;

    #[test]
    fn the_pieces_fit_in_order() {
        for stack in [
            0,
            1,
            MIN_STACK - 1,
            MIN_STACK,
            MIN_STACK + 1,
            65_536,
            2 << 20,
        ] {
            for (memsz, align) in [(0, 0), (8, 8), (100, 16), (4000, 64), (5000, 4096)] {
                let tls = layout(memsz, align).unwrap();
                let r = plan(stack, PAGE, &tls, 40, 8).unwrap();
                assert_eq!(r.guard, PAGE);
                assert_eq!(r.len % PAGE, 0);
                assert_eq!(r.stack_top % PAGE, 0);
                let stack_len = r.stack_top - r.guard;
                assert!(stack_len >= stack.max(MIN_STACK), "{stack}: {r:?}");
                assert!(
                    stack_len < stack.max(MIN_STACK) + PAGE,
                    "at most a page more"
                );
                assert_eq!(r.stack_top % 16, 0, "the ABI's stack alignment");
                assert_eq!(r.tls_block % tls.align as usize, 0);
                assert_eq!(r.tp % 16, 0);
                assert_eq!(r.tp - r.tls_block, tls.tp_offset as usize);
                assert!(r.tp + TCB_SIZE as usize <= r.control, "TCB before control");
                assert_eq!(r.control % 8, 0);
                assert!(r.control + 40 <= r.len);
            }
        }
    }

    #[test]
    fn exact_values() {
        // 24 bytes of TLS aligned to 8: the block is 96 bytes, tp at 32.
        let tls = layout(24, 8).unwrap();
        assert_eq!(
            plan(65_536, PAGE, &tls, 40, 8),
            Some(Region {
                len: PAGE + 65_536 + PAGE,
                guard: PAGE,
                stack_top: PAGE + 65_536,
                tls_block: PAGE + 65_536,
                tp: PAGE + 65_536 + 32,
                control: PAGE + 65_536 + 96,
            })
        );
        // A tiny request gets the minimum.
        let r = plan(100, PAGE, &tls, 40, 8).unwrap();
        assert_eq!(r.stack_top - r.guard, MIN_STACK);
    }

    #[test]
    fn refused() {
        let tls = layout(8, 8).unwrap();
        assert_eq!(plan(usize::MAX, PAGE, &tls, 40, 8), None);
        assert_eq!(plan(usize::MAX - PAGE, PAGE, &tls, 40, 8), None);
        let big = layout(8, 8192).unwrap();
        assert_eq!(
            plan(65_536, PAGE, &big, 40, 8),
            None,
            "aligned beyond a page"
        );
    }
}
