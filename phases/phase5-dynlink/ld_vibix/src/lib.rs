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
//! | [`error`] | what can be wrong with an object, each with a message |
//!
//! Nothing here reads files, maps memory or makes a system call: the
//! dynamic linker's start-up code maps the objects, then hands each one's
//! image to these functions.

#![cfg_attr(not(test), no_std)]

pub mod dynamic;
pub mod error;
pub mod image;
pub mod relocate;
pub mod symbols;

#[cfg(test)]
mod testobj;

#[cfg(test)]
mod hostile;

pub use error::Error;
