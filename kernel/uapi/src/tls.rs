//! Where a thread's thread-local storage goes: x86_64 TLS "variant II",
//! the layout the linker assumes when it resolves `#[thread_local]`
//! accesses at fixed offsets from the thread pointer.
//!
//! On x86_64 the thread pointer (`fs` base) points at the thread control
//! block (TCB). The thread's TLS block, a copy of the program's `PT_TLS`
//! template, sits immediately *below* it; compiled code reaches a variable
//! at the negative offset `fs:-k` that the linker computed as
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
//! Whoever makes a thread allocates `size` bytes aligned to `align`, copies
//! the template's `filesz` bytes to `image_offset` (the rest of the image
//! is zero), writes the address of `tp_offset` at `tp_offset` and makes
//! that address the thread pointer: the kernel for a program's first
//! thread (at `execve`), the C library or std for every other one
//! (`clone` with `CLONE_SETTLS`).

/// Bytes reserved for the TCB. Its first word is the self pointer; glibc's
/// layout puts the stack-protector canary at `fs:0x28`, so 64 bytes keep
/// that slot inside the block too, and leave room for a libc or Rust `std`
/// to keep a few words there later.
pub const TCB_SIZE: u64 = 64;

// ANCHOR: published
/// Where in the TCB (bytes from the thread pointer) a dynamic linker
/// publishes the process's static TLS template, a [`StaticTemplate`]: the
/// blocks of the program and of every library loaded at start-up, one
/// image. Whoever makes a thread copies that image (not the program's
/// `PT_TLS` alone) and the word itself into the new TCB. 0 in a static
/// program.
pub const TCB_TEMPLATE: u64 = 8;

/// The static TLS template a dynamic linker publishes (see
/// [`TCB_TEMPLATE`]): `filesz` initialized bytes at `image`, zeros up to
/// `memsz`, aligned to `align`; laid out by [`layout`] like a `PT_TLS`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticTemplate {
    /// Address of the initialized bytes.
    pub image: usize,
    /// How many there are.
    pub filesz: usize,
    /// Bytes of the whole image (zeros after `filesz`).
    pub memsz: usize,
    /// Its alignment.
    pub align: usize,
}
// ANCHOR_END: published

/// The thread pointer is always at least this aligned (the ABI's stack and
/// SSE alignment).
pub const MIN_TP_ALIGN: u64 = 16;

/// Where things go in a thread's TLS allocation.
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

// ANCHOR: layout
/// Lays out a TLS block for a `PT_TLS` segment of `memsz` bytes aligned to
/// `align` (0 counts as 1). A program without `PT_TLS` can still use
/// `layout(0, 0)` to get a bare TCB.
///
/// `None` if `align` is not a power of two (or 0), or the sizes overflow.
pub const fn layout(memsz: u64, align: u64) -> Option<TlsLayout> {
    let align = if align == 0 { 1 } else { align };
    if !align.is_power_of_two() {
        return None;
    }
    let block_align = if align > MIN_TP_ALIGN {
        align
    } else {
        MIN_TP_ALIGN
    };
    // The distance from the image start to tp, as the linker assumes it.
    let Some(image_span) = round_up(memsz, align) else {
        return None;
    };
    // tp itself must be aligned, and the block starts aligned, so tp_offset
    // is a multiple of the block alignment.
    let Some(tp_offset) = round_up(image_span, block_align) else {
        return None;
    };
    let Some(size) = tp_offset.checked_add(TCB_SIZE) else {
        return None;
    };
    Some(TlsLayout {
        size,
        align: block_align,
        tp_offset,
        image_offset: tp_offset - image_span,
    })
}
// ANCHOR_END: layout

/// `value` rounded up to a multiple of `align` (a power of two).
const fn round_up(value: u64, align: u64) -> Option<u64> {
    match value.checked_add(align - 1) {
        Some(v) => Some(v & !(align - 1)),
        None => None,
    }
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
    fn exact_values() {
        // 24 bytes aligned to 8: image at 8..32, tp at 32.
        assert_eq!(
            layout(24, 8),
            Some(TlsLayout {
                size: 32 + TCB_SIZE,
                align: 16,
                tp_offset: 32,
                image_offset: 8
            })
        );
        assert_eq!(layout(5, 0), layout(5, 1));
        assert_eq!(layout(0, 0).unwrap().size, TCB_SIZE);
    }

    #[test]
    fn refused() {
        for align in [3, 6, 12, 4095, u64::MAX] {
            assert_eq!(layout(8, align), None, "{align}");
        }
        assert_eq!(layout(u64::MAX, 8), None);
        assert_eq!(layout(u64::MAX - TCB_SIZE - 14, 16), None);
    }
}
