//! `ld_vibix`: the core of `ld-vibix`, vibix's dynamic linker, as pure
//! logic over an object's loaded image (its bytes in memory, laid out by
//! virtual address), so that the host can test it and Miri can check it.
//!
//! | module | what it does |
//! | --- | --- |
//! | [`image`] | an object's loaded image: link-time addresses to byte ranges, checked |
//! | [`dynamic`] | the dynamic section (`PT_DYNAMIC`): tables, needed libraries, search path, init/fini arrays, flags, checked against the image |
//! | [`symbols`] | the symbol table and its lookup through SysV `DT_HASH` and `DT_GNU_HASH` (with its Bloom filter) |
//! | [`relocate`] | the x86_64 relocation types and `DT_RELR`, applied to the image |
//! | [`header`] | a shared object's ELF header, checked before anything is mapped |
//! | [`segments`] | the `PT_LOAD` segments as they are mapped: span, file pages, `.bss`, protections (W^X) |
//! | [`search`] | where a needed library is looked for (`LD_LIBRARY_PATH`, `DT_RUNPATH`, `/lib`) |
//! | [`order`] | the order constructors run in: every object after what it needs |
//! | [`tls`] | static TLS: every module's block at a fixed offset below the thread pointer |
//! | [`error`] | what can be wrong with an object, each with a message |
//!
//! Nothing here reads files, maps memory or makes a system call: the
//! dynamic linker's start-up code maps the objects, then hands each one's
//! image to these functions.

#![cfg_attr(not(test), no_std)]

pub mod dynamic;
pub mod error;
pub mod header;
pub mod image;
pub mod order;
pub mod relocate;
pub mod search;
pub mod segments;
pub mod symbols;
pub mod tls;

#[cfg(test)]
mod testobj;

#[cfg(test)]
mod hostile;

pub use error::Error;
