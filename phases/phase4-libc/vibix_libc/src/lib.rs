//! `vibix_libc`: the C library of vibix, in Rust.
//!
//! C programs (and, from phase 4 on, Rust crates that call the C library)
//! link against it as `libc.a`. It is `#![no_std]` and sits on the one ABI
//! crate, `vibix_abi` (which sits on `vibix_uapi`): every number, flag and
//! structure of the kernel ABI comes from there and is written nowhere
//! else.
//!
//! # How the sources become a C library
//!
//! One module (or one directory of modules) per C header. Each file's first
//! line names the header it contributes to, as `` `<stdio.h>` ``; the
//! runner's header generator (`cargo runner sysroot`) reads every file and
//! writes that header from what the file declares:
//!
//! - an export, written as
//!   `#[cfg_attr(not(test), unsafe(no_mangle))] pub unsafe extern "C" fn`,
//!   becomes its prototype (variadic ones too, `args: ...`);
//! - `pub const NAME: T = value;` becomes `#define NAME value`, and
//!   `pub use vibix_uapi::module::{NAME, ...};` does the same for the ABI's
//!   constants, whose values the generator reads from `vibix_uapi`;
//! - a `#[repr(C)] pub struct` becomes a `struct`; an ABI structure is
//!   re-exported under its C name (`pub use vibix_uapi::stat::Stat as
//!   stat;`) and written out from `vibix_uapi`'s definition;
//! - `pub type` becomes a `typedef`.
//!
//! A function the library does not offer is not declared, so a program that
//! calls it fails when it is compiled, not when it runs.
//!
//! Under `cfg(test)` the exports keep Rust's names: the host's tests (and
//! Miri) call them through their C ABI without replacing the host C
//! library's own `malloc` or `strlen`.

#![no_std]
#![feature(c_variadic)]
#![feature(thread_local)]
// The C names of C types and functions (`size_t`, `FILE`).
#![allow(non_camel_case_types)]

// On the host (tests, Miri, clippy) the crate links std like any library;
// for vibix it is the C library and stands alone.
#[cfg(not(target_os = "vibix"))]
extern crate std;

pub mod types;

pub mod ctype;
pub mod errno;
pub mod locale;
pub mod math;
pub mod pthread;
pub mod sched;
pub mod setjmp;
pub mod signal;
pub mod start;
pub mod stdio;
pub mod stdlib;
pub mod time;

// POSIX: files, descriptors, directories, processes.
mod accounts;
pub mod dirent;
pub mod dlfcn;
pub mod fcntl;
pub mod getopt;
pub mod grp;
pub mod link;
pub mod poll;
pub mod pwd;
pub mod spawn;
pub mod string;
pub mod strings;
pub mod sys_auxv;
pub mod sys_file;
pub mod sys_ioctl;
pub mod sys_mman;
pub mod sys_prctl;
pub mod sys_random;
pub mod sys_resource;
pub mod sys_socket;
pub mod sys_stat;
pub mod sys_statfs;
pub mod sys_sysinfo;
pub mod sys_uio;
pub mod sys_utsname;
pub mod sys_wait;
mod sysret;
#[cfg(test)]
mod testutil;
pub mod unistd;

// The headers a C compiler normally brings (freestanding ones), generated
// like the others: `<assert.h>`, `<float.h>`, `<inttypes.h>`,
// `<limits.h>`, `<stdarg.h>`, `<stdbool.h>`, `<stddef.h>`, `<stdint.h>`,
// `<stdnoreturn.h>`.
pub mod assert;
pub mod float;
pub mod inttypes;
pub mod limits;
pub mod stdarg;
pub mod stdbool;
pub mod stddef;
pub mod stdint;
pub mod stdnoreturn;

/// The allocator of the library's own Rust code (`alloc`'s collections, if
/// a module uses them): the heap `malloc` is built on.
#[cfg(target_os = "vibix")]
struct Heap;

#[cfg(target_os = "vibix")]
// SAFETY: every call is passed on unchanged to `vibix_abi`'s allocator,
// which keeps `GlobalAlloc`'s contract.
unsafe impl core::alloc::GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the same.
        unsafe { stdlib::malloc::BACKEND.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: core::alloc::Layout) {
        // SAFETY: the caller's contract is the same.
        unsafe { stdlib::malloc::BACKEND.dealloc(ptr, layout) }
    }
}

#[cfg(target_os = "vibix")]
#[global_allocator]
static HEAP: Heap = Heap;

/// A Rust panic inside the C library (a bug: the exports check their
/// inputs) ends the program as `abort` does.
#[cfg(target_os = "vibix")]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    vibix_abi::process::abort()
}
