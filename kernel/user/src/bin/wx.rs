//! `wx`: vibix's W^X policy (finding S-A5): no memory is ever writable and
//! executable at the same time.
//!
//! A page that is both can be written by an attacker and then run, so vibix
//! refuses any `mmap` or `mprotect` asking for `PROT_WRITE | PROT_EXEC` with
//! `EINVAL`, and leaves the memory as it was. Switching a page from
//! read-write to read-execute (what a JIT does after writing its code) stays
//! allowed. Linux permits W+X mappings, so this program fails there by
//! design; the runner does not compare it with Linux.

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::mm::{self, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE};
use vrt::{check_eq, check_ok};

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    check_eq!(
        mm::map_anonymous(PAGE_SIZE, PROT_WRITE | PROT_EXEC),
        Err(Errno::EINVAL),
        "mmap(PROT_WRITE|PROT_EXEC) -> EINVAL"
    );
    check_eq!(
        mm::map_anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC),
        Err(Errno::EINVAL),
        "mmap(PROT_READ|PROT_WRITE|PROT_EXEC) -> EINVAL"
    );

    let page = check_ok!(
        mm::map_anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE),
        "mmap(PROT_READ|PROT_WRITE)"
    );
    let word = core::ptr::with_exposed_provenance_mut::<u64>(page);
    // SAFETY: the page was just mapped read-write, and only `word` uses it.
    unsafe { word.write_volatile(0xc3c3_c3c3_c3c3_c3c3) };

    for (prot, name) in [
        (PROT_WRITE | PROT_EXEC, "PROT_WRITE|PROT_EXEC"),
        (
            PROT_READ | PROT_WRITE | PROT_EXEC,
            "PROT_READ|PROT_WRITE|PROT_EXEC",
        ),
    ] {
        // SAFETY: were the call to succeed, the page would stay readable and
        // writable, which is all this program does with it.
        let result = unsafe { mm::mprotect(page, PAGE_SIZE, prot) };
        check_eq!(
            result,
            Err(Errno::EINVAL),
            "mprotect({name}) on a RW page -> EINVAL"
        );
    }

    // The refused calls must have left the page read-write.
    // SAFETY: as above: the page is still mapped read-write.
    unsafe { word.write_volatile(0x9090_9090_9090_9090) };
    // SAFETY: as above.
    let value = unsafe { word.read_volatile() };
    check_eq!(
        value,
        0x9090_9090_9090_9090,
        "the page is still writable afterwards"
    );

    // SAFETY: the page is only read from now on.
    let result = unsafe { mm::mprotect(page, PAGE_SIZE, PROT_READ | PROT_EXEC) };
    check_eq!(
        result,
        Ok(()),
        "mprotect(PROT_READ|PROT_EXEC) on a RW page works"
    );
    // SAFETY: the page is now read-execute, so still readable.
    let value = unsafe { word.read_volatile() };
    check_eq!(value, 0x9090_9090_9090_9090, "the page keeps its content");

    vrt::check::all_passed();
    0
}
