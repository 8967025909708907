//! Where the unwinder finds the program's unwind tables.
//!
//! This file is part of vibix's std port (phase 3), copied into std's
//! source by the vibix runner. std's `unwind` crate is, on vibix, the
//! pure-Rust `unwinding` crate (as on Xous), built with its `fde-custom`
//! lookup: it asks std for the table that describes a return address.
//! vibix programs are static and alone in their address space, so there is
//! one table, `.eh_frame_hdr` (the `PT_GNU_EH_FRAME` segment), found once
//! through the auxiliary vector's program headers (`vibix_abi::image`).
//! Linux's C library answers the same question with `dl_iterate_phdr`.

use crate::sync::atomic::{AtomicUsize, Ordering};

/// The run-time address of `.eh_frame_hdr`; 0 until [`register`] found it.
static EH_FRAME_HDR: AtomicUsize = AtomicUsize::new(0);

struct Finder;

// ANCHOR: finder
// SAFETY: `find` returns the address of the program's own `.eh_frame_hdr`,
// a section the linker wrote and the kernel mapped for the program's whole
// life, or `None`; never anything else.
unsafe impl unwind::EhFrameFinder for Finder {
    fn find(&self, _pc: usize) -> Option<unwind::FrameInfo> {
        match EH_FRAME_HDR.load(Ordering::Relaxed) {
            0 => None,
            hdr => Some(unwind::FrameInfo {
                text_base: None,
                kind: unwind::FrameInfoKind::EhFrameHdr(hdr),
            }),
        }
    }
}

/// Called once by the runtime's `init`, before the program can panic.
pub fn register() {
    let Some(hdr) = vibix_abi::image::headers().and_then(|h| h.eh_frame_hdr()) else {
        // Linked without `--eh-frame-hdr`: a panic cannot unwind (it aborts
        // with the unwinder's error) and a backtrace is empty.
        return;
    };
    EH_FRAME_HDR.store(hdr, Ordering::Relaxed);
    let _ = unwind::set_custom_eh_frame_finder(&Finder);
}
// ANCHOR_END: finder
