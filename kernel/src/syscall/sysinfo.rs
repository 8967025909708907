//! `sysinfo(*info)`: uptime, memory and process count (Linux's `struct
//! sysinfo`, 112 bytes). Memory is counted in pages of free frames, so a
//! test can check that processes give back all they took; `bufferram` is
//! what the page cache of program files (`mm::page_cache`) keeps after the
//! processes that used it ended, and gives back when memory runs out.

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use core::mem::offset_of;
use kcore::errno::KResult;
use kcore::layout::PAGE_SIZE;
use vibix_uapi::sysinfo::Sysinfo;

pub fn sysinfo(f: &mut TrapFrame) -> KResult<u64> {
    // Filled field by field: the structure's padding stays zero.
    let mut info = [0u8; core::mem::size_of::<Sysinfo>()];
    let mut put = |at: usize, v: &[u8]| info[at..at + v.len()].copy_from_slice(v);
    let uptime = crate::arch::pit::ticks() / u64::from(crate::arch::pit::HZ);
    put(offset_of!(Sysinfo, uptime), &uptime.to_le_bytes());
    let total = crate::mm::frame::total_frames() * PAGE_SIZE;
    put(offset_of!(Sysinfo, totalram), &total.to_le_bytes());
    let free = crate::mm::frame::free_frames() * PAGE_SIZE;
    put(offset_of!(Sysinfo, freeram), &free.to_le_bytes());
    let cached = crate::mm::page_cache::reclaimable() as u64 * PAGE_SIZE;
    put(offset_of!(Sysinfo, bufferram), &cached.to_le_bytes());
    let procs = crate::proc::task_count() as u16; // threads, as on Linux
    put(offset_of!(Sysinfo, procs), &procs.to_le_bytes());
    put(offset_of!(Sysinfo, mem_unit), &1u32.to_le_bytes());
    with_current(|p| uaccess::copy_to_user(p.mm(), f.arg(0), &info)).map(|()| 0)
}

/// What `uname` reports: the system is vibix (programs that compare
/// `sysname` with "Linux" learn that they are not on Linux, which is true;
/// the ABI they get is Linux's x86_64 one).
const SYSNAME: &[u8] = b"vibix";
const NODENAME: &[u8] = b"vibix";
const RELEASE: &[u8] = env!("CARGO_PKG_VERSION").as_bytes();
const VERSION: &[u8] = b"#1 vibix";
const MACHINE: &[u8] = b"x86_64";
const DOMAINNAME: &[u8] = b"(none)";

/// `uname(*buf)`: the structure is zero-filled first and each field is
/// written into it, so every byte after a field's NUL is zero and no kernel
/// memory reaches the process through the padding (finding S-A3).
pub fn uname(f: &mut TrapFrame) -> KResult<u64> {
    use vibix_uapi::utsname::{UTSNAME_LENGTH, Utsname};
    let mut bytes = [0u8; core::mem::size_of::<Utsname>()];
    // The fields in their order in the structure; each text is shorter
    // than its field, so its NUL (already there) fits.
    for (i, text) in [SYSNAME, NODENAME, RELEASE, VERSION, MACHINE, DOMAINNAME]
        .into_iter()
        .enumerate()
    {
        let at = i * UTSNAME_LENGTH;
        bytes[at..at + text.len()].copy_from_slice(text);
    }
    with_current(|p| uaccess::copy_to_user(p.mm(), f.arg(0), &bytes)).map(|()| 0)
}
