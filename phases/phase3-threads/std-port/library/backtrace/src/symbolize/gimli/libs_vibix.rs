//! The library list of backtrace-rs's symbolizer on vibix: the program
//! alone.
//!
//! This file is part of vibix's std port (phase 3), copied into std's copy
//! of backtrace-rs by the vibix runner. The symbolizer maps a return
//! address to a library (the file to read the DWARF and symbol table of)
//! and an address as the file states it. On Linux the list comes from the
//! C library's `dl_iterate_phdr`; vibix programs are static and alone in
//! their address space, so the list has one entry: the executable
//! (`current_exe`, the kernel's `AT_EXECFN`), its loaded segments and load
//! bias from its own program headers (`AT_PHDR`, `vibix_abi::image`). The
//! file is read whole into memory (`mmap_fake.rs`): vibix maps no files.

use super::mystd::env;
use super::{Library, LibrarySegment};
use alloc::vec::Vec;

// ANCHOR: native_libraries
pub(super) fn native_libraries() -> Vec<Library> {
    let (Some(headers), Ok(exe)) = (vibix_abi::image::headers(), env::current_exe()) else {
        return Vec::new();
    };
    let segments = headers
        .segments()
        .map(|(stated_virtual_memory_address, len)| LibrarySegment {
            stated_virtual_memory_address,
            len,
        })
        .collect();
    let mut libraries = Vec::new();
    libraries.push(Library {
        name: exe.into_os_string(),
        segments,
        bias: headers.bias(),
    });
    libraries
}
// ANCHOR_END: native_libraries
