//! Memory mappings: `mmap`'s and `mprotect`'s protections and `mmap`'s
//! flags (Linux's `<asm-generic/mman-common.h>`, x86_64 values).

#![allow(missing_docs)]

pub const PROT_NONE: i32 = 0;
pub const PROT_READ: i32 = 1;
pub const PROT_WRITE: i32 = 2;
pub const PROT_EXEC: i32 = 4;

pub const MAP_SHARED: i32 = 0x01;
pub const MAP_PRIVATE: i32 = 0x02;
pub const MAP_FIXED: i32 = 0x10;
pub const MAP_ANONYMOUS: i32 = 0x20;
pub const MAP_NORESERVE: i32 = 0x4000;
pub const MAP_POPULATE: i32 = 0x8000;
pub const MAP_FIXED_NOREPLACE: i32 = 0x10_0000;
