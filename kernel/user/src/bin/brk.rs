//! `brk`: growing and shrinking the heap with the program break.
//!
//! Grows the break by 1 MiB, writes every new page and reads it back,
//! shrinks it, grows it again and checks that the re-grown pages are zero
//! (shrinking released them; they must not come back with old content).
//! Then the refusals: a break in the kernel half, or below where the heap
//! started, leaves the break where it was. (Linux's raw `brk` reports failure
//! by returning the unchanged break, not an error number.)
//! No break address is printed: it differs between runs and kernels.

#![no_std]
#![no_main]

use vrt::mm::{self, PAGE_SIZE, page_align_up};
use vrt::{check, check_eq, check_ok};

vrt::entry!(main);

const GROWTH: usize = 1 << 20;
const PAGES: usize = GROWTH / PAGE_SIZE;
const KERNEL_HALF: usize = 0xffff_8000_0000_0000;

/// Asks for a break of `addr`; returns the break the kernel reports.
fn set_break(addr: usize) -> usize {
    // SAFETY: this program keeps no Rust values in the heap; the pages
    // between the breaks are only touched through `page_word`, and only
    // while they are below the break.
    match unsafe { mm::brk(addr) } {
        Ok(current) => current,
        Err(e) => vrt::check::fail(format_args!("brk"), format_args!("returned -{e}")),
    }
}

/// A pointer to the first word of page `i` of the heap starting at `start`.
fn page_word(start: usize, i: usize) -> *mut u64 {
    core::ptr::with_exposed_provenance_mut(start + i * PAGE_SIZE)
}

fn main(_args: &vrt::Args) -> i32 {
    let initial = check_ok!(mm::current_break(), "brk(0) returns the current break");
    check!(initial != 0, "the break is not 0");

    // Start the heap on a page boundary, as the initial break may not be.
    let start = page_align_up(initial);
    let top = start + GROWTH;
    check_eq!(set_break(top), top, "grow the break by 1 MiB");
    check_eq!(mm::current_break(), Ok(top), "brk(0) returns the new break");

    for i in 0..PAGES {
        // SAFETY: page `i` lies between `start` and the break, so it is
        // mapped and writable, and nothing else uses it.
        unsafe { page_word(start, i).write_volatile(0xb000_0000 + i as u64) };
    }
    // SAFETY: as above, and every page was just written.
    let intact = (0..PAGES)
        .all(|i| unsafe { page_word(start, i).read_volatile() } == 0xb000_0000 + i as u64);
    check!(intact, "all {PAGES} new pages are writable and read back");

    check_eq!(set_break(start), start, "shrink the break by 1 MiB");
    check_eq!(set_break(top), top, "grow it by 1 MiB again");
    // SAFETY: the pages are below the break again.
    let zeroed = (0..PAGES).all(|i| unsafe { page_word(start, i).read_volatile() } == 0);
    check!(zeroed, "the re-grown pages are zero-filled");

    check_eq!(
        set_break(KERNEL_HALF),
        top,
        "a break in the kernel half is refused"
    );
    check_eq!(
        set_break(initial - PAGE_SIZE),
        top,
        "a break below the start of the heap is refused"
    );
    check_eq!(
        set_break(initial),
        initial,
        "shrink back to the initial break"
    );

    vrt::check::all_passed();
    0
}
