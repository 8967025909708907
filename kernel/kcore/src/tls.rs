//! Where the main thread's thread-local storage goes (x86_64 TLS
//! "variant II").
//!
//! The layout itself is an ABI fact, written once in `vibix_uapi::tls`
//! (std's thread spawning lays out every other thread's block with it):
//! the TLS image just below the thread pointer, the TCB at it, its first
//! word pointing to itself.
//!
//! The kernel allocates `size` bytes aligned to `align`, copies `filesz`
//! template bytes to `image_offset` (the rest is zero), writes the address of
//! `tp_offset` at `tp_offset` and sets the `fs` base to that address.

use crate::errno::Errno;

pub use vibix_uapi::tls::{MIN_TP_ALIGN, TCB_SIZE, TlsLayout};

/// Lays out a TLS block for a `PT_TLS` segment of `memsz` bytes aligned to
/// `align` (0 counts as 1): `vibix_uapi::tls::layout`.
///
/// Errors: `EINVAL` if `align` is not a power of two (or 0), or the sizes
/// overflow.
pub fn layout(memsz: u64, align: u64) -> Result<TlsLayout, Errno> {
    vibix_uapi::tls::layout(memsz, align).ok_or(Errno::EINVAL)
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
