//! Where the main thread's thread-local storage goes (x86_64 TLS
//! "variant II").
//!
//! On x86_64 the thread pointer (`fs` base) points at the thread control
//! block (TCB). The program's TLS block, a copy of the `PT_TLS` template,
//! sits immediately *below* it; compiled code reaches a variable at the
//! negative offset `fs:-k` that the linker computed as
//! `offset_in_template - round_up(memsz, align)`. The first word of the TCB
//! points to itself, so code can load the thread pointer with
//! `mov %fs:0, %rax`.
//!
//! ```text
//! block start                                             block start + size
//! |  (padding)  | TLS image (memsz bytes, then padding) | TCB (TCB_SIZE)   |
//! 0             image_offset                            tp_offset
//!                                                       ^ thread pointer
//! ```
//!
//! The kernel allocates `size` bytes aligned to `align`, copies `filesz`
//! template bytes to `image_offset` (the rest is zero), writes the address of
//! `tp_offset` at `tp_offset` and sets the `fs` base to that address.

use crate::errno::Errno;

/// Bytes reserved for the TCB. Its first word is the self pointer; glibc's
/// layout puts the stack-protector canary at `fs:0x28`, so 64 bytes keep
/// that slot inside the block too, and leave room for a libc or Rust `std`
/// to keep a few words there later.
pub const TCB_SIZE: u64 = 64;

/// The thread pointer is always at least this aligned (the ABI's stack and
/// SSE alignment).
pub const MIN_TP_ALIGN: u64 = 16;

/// Where things go in the main thread's TLS allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TlsLayout {
    /// Bytes to allocate.
    pub size: u64,
    /// Alignment of the allocation: `max(align, 16)`.
    pub align: u64,
    /// Offset of the thread pointer (the TCB) from the block start.
    pub tp_offset: u64,
    /// Where the TLS image is copied: `tp_offset - round_up(memsz, align)`.
    pub image_offset: u64,
}

/// Lays out a TLS block for a `PT_TLS` segment of `memsz` bytes aligned to
/// `align` (0 counts as 1). A program without `PT_TLS` can still use
/// `layout(0, 0)` to get a bare TCB.
///
/// Errors: `EINVAL` if `align` is not a power of two (or 0), or the sizes
/// overflow.
pub fn layout(memsz: u64, align: u64) -> Result<TlsLayout, Errno> {
    let align = align.max(1);
    if !align.is_power_of_two() {
        return Err(Errno::EINVAL);
    }
    let block_align = align.max(MIN_TP_ALIGN);
    // The distance from the image start to tp, as the linker assumes it.
    let image_span = round_up(memsz, align).ok_or(Errno::EINVAL)?;
    // tp itself must be aligned, and the block starts aligned, so tp_offset
    // is a multiple of the block alignment.
    let tp_offset = round_up(image_span, block_align).ok_or(Errno::EINVAL)?;
    let size = tp_offset.checked_add(TCB_SIZE).ok_or(Errno::EINVAL)?;
    Ok(TlsLayout {
        size,
        align: block_align,
        tp_offset,
        image_offset: tp_offset - image_span,
    })
}

/// `value` rounded up to a multiple of `align` (a power of two).
fn round_up(value: u64, align: u64) -> Option<u64> {
    Some(value.checked_add(align - 1)? & !(align - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The properties every layout must have.
    fn check(memsz: u64, align: u64, l: &TlsLayout) {
        let a = align.max(1);
        assert_eq!(l.align, a.max(16));
        assert_eq!(l.tp_offset % l.align, 0, "tp aligned");
        assert_eq!(l.image_offset % a, 0, "image aligned");
        // The image ends where the linker expects: tp - round_up(memsz, a).
        assert_eq!(l.tp_offset - l.image_offset, memsz.div_ceil(a) * a);
        assert!(l.image_offset + memsz <= l.tp_offset, "image below tp");
        assert!(l.size >= l.tp_offset + 64, "room for the TCB");
    }

    #[test]
    fn all_alignments() {
        for shift in 0..=12 {
            let align = 1u64 << shift;
            for memsz in [0, 1, 7, 8, 15, 16, 17, 100, 4095, 4096, 4097] {
                let l = layout(memsz, align).unwrap();
                check(memsz, align, &l);
            }
        }
    }

    #[test]
    fn align_zero_means_one() {
        assert_eq!(layout(5, 0), layout(5, 1));
    }

    #[test]
    fn exact_values() {
        // 24 bytes aligned to 8: image at 8..32, tp at 32.
        assert_eq!(
            layout(24, 8),
            Ok(TlsLayout {
                size: 32 + TCB_SIZE,
                align: 16,
                tp_offset: 32,
                image_offset: 8
            })
        );
        // Nothing: a bare TCB.
        assert_eq!(
            layout(0, 0),
            Ok(TlsLayout {
                size: TCB_SIZE,
                align: 16,
                tp_offset: 0,
                image_offset: 0
            })
        );
        // Page alignment: one page of padding-free image below tp.
        assert_eq!(
            layout(10, 4096),
            Ok(TlsLayout {
                size: 4096 + TCB_SIZE,
                align: 4096,
                tp_offset: 4096,
                image_offset: 0
            })
        );
    }

    #[test]
    fn bad_alignment() {
        for align in [3, 6, 12, 4095, u64::MAX] {
            assert_eq!(layout(8, align), Err(Errno::EINVAL), "{align}");
        }
    }

    #[test]
    fn overflow() {
        assert_eq!(layout(u64::MAX, 8), Err(Errno::EINVAL));
        assert_eq!(layout(u64::MAX - 60, 1), Err(Errno::EINVAL));
        // Just fits: MAX - 100 rounds up to MAX - 95, plus the TCB.
        assert_eq!(layout(u64::MAX - 100, 1).unwrap().size, u64::MAX - 31);
        assert_eq!(layout(u64::MAX - 63, 1 << 63), Err(Errno::EINVAL));
        assert_eq!(layout(u64::MAX - TCB_SIZE - 14, 16), Err(Errno::EINVAL));
    }
}
