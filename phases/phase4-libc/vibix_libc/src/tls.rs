//! (internal) The main thread's TLS block when the kernel gave it none.
//!
//! vibix lays out the first thread's TLS block from the program's `PT_TLS`
//! before `_start` runs (phase 3), so `errno` works from the first
//! instruction. Linux leaves that to the C library (glibc's static start-up
//! does it). So that the very same static binary also runs on Linux, which
//! is how the C tests are compared with the host, program start checks the
//! thread pointer and, when it is zero, builds the block the way vibix's
//! kernel would: a fresh copy of the template (`vibix_abi::thread::tls`),
//! in an anonymous mapping, made the thread pointer with `arch_prctl`.

use vibix_abi::thread::tls::{init_block, program_template};
use vibix_abi::{nr, syscall};
use vibix_uapi::prctl::{ARCH_GET_FS, ARCH_SET_FS};

/// Gives the calling (first) thread a TLS block if it has none. Runs before
/// anything touches a thread-local variable.
pub(crate) fn ensure_main_block() {
    let mut fs: usize = 0;
    // SAFETY: ARCH_GET_FS writes one word to the address given, our local.
    let ret = unsafe { syscall!(nr::ARCH_PRCTL, ARCH_GET_FS, &raw mut fs) };
    if ret != 0 || fs != 0 {
        // vibix set it up (or the call is unknown: nothing we can do).
        return;
    }
    let Some(template) = program_template() else {
        return;
    };
    let Some(layout) = template.layout() else {
        return;
    };
    // A fresh anonymous mapping is zeroed and page-aligned, which covers
    // any alignment `PT_TLS` asks for up to a page.
    let Ok(block) = vibix_abi::mem::mmap_anonymous(layout.size as usize) else {
        return;
    };
    // SAFETY: `block` is a fresh mapping of `layout.size` bytes, aligned to
    // a page (at least `layout.align` for any real template); the template
    // image is the program's loaded `PT_TLS` data, outside the mapping.
    let tp = unsafe { init_block(block, &layout, &template, template.image as *const u8) };
    // SAFETY: `tp` is a complete TLS block's thread pointer, which stays
    // mapped for the life of the process.
    unsafe { syscall!(nr::ARCH_PRCTL, ARCH_SET_FS, tp) };
}
