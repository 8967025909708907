//! `bigmap`: a large anonymous mapping, touched page by page.
//!
//! Maps 64 MiB (16384 pages) of private anonymous memory, checks that it
//! reads as zero, writes a pattern into every page (several words per page,
//! so each page is touched at its start, middle and end), verifies it, makes
//! one page read-only and reads it again, and unmaps it all. The kernel must
//! allocate pages on demand (or up front) without losing or mixing any.
//! Finally the argument checks: `mmap` of length 0 and `munmap` of an
//! unaligned address both fail with `EINVAL`.

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::mm::{self, PAGE_SIZE, PROT_READ, PROT_WRITE};
use vrt::{check, check_eq, check_ok};

vrt::entry!(main);

const MAP_LEN: usize = 64 << 20;
const PAGES: usize = MAP_LEN / PAGE_SIZE;
const WORDS_PER_PAGE: usize = PAGE_SIZE / 8;
/// The words written in each page: first, a few in between, and last.
const OFFSETS: [usize; 4] = [0, 1, WORDS_PER_PAGE / 2, WORDS_PER_PAGE - 1];

/// The value stored at word `word` of page `page`: distinct for every
/// (page, word) pair, so a page mapped twice or in the wrong place shows.
fn pattern(page: usize, word: usize) -> u64 {
    0x5a5a_0000_0000_0000 ^ ((page as u64) << 16) ^ word as u64
}

/// The mapping under test, accessed with volatile reads and writes so that
/// the compiler cannot skip the memory traffic (it could otherwise "know"
/// what it just wrote and never read it back).
struct Words {
    base: *mut u64,
}

impl Words {
    fn get(&self, page: usize, word: usize) -> u64 {
        assert!(page < PAGES && word < WORDS_PER_PAGE);
        // SAFETY: in bounds (asserted) of the mapping `main` created for
        // `Words` alone; page aligned, so aligned for u64.
        unsafe { self.base.add(page * WORDS_PER_PAGE + word).read_volatile() }
    }

    fn set(&mut self, page: usize, word: usize, value: u64) {
        assert!(page < PAGES && word < WORDS_PER_PAGE);
        // SAFETY: as in `get`; the pages are writable until `main` makes
        // one read-only, after which it only calls `get`.
        unsafe {
            self.base
                .add(page * WORDS_PER_PAGE + word)
                .write_volatile(value)
        }
    }
}

fn main(_args: &vrt::Args) -> i32 {
    let base = check_ok!(
        mm::map_anonymous(MAP_LEN, PROT_READ | PROT_WRITE),
        "mmap 64 MiB anonymous read-write"
    );
    check!(
        base.is_multiple_of(PAGE_SIZE),
        "the mapping is page aligned"
    );
    let mut memory = Words {
        base: core::ptr::with_exposed_provenance_mut(base),
    };

    let all_zero = (0..PAGES).all(|page| OFFSETS.iter().all(|&word| memory.get(page, word) == 0));
    check!(all_zero, "fresh anonymous memory reads as zero");

    for page in 0..PAGES {
        for word in OFFSETS {
            memory.set(page, word, pattern(page, word));
        }
    }
    let bad_page = (0..PAGES).find(|&page| {
        OFFSETS
            .iter()
            .any(|&word| memory.get(page, word) != pattern(page, word))
    });
    check_eq!(
        bad_page,
        None,
        "the pattern reads back from all {PAGES} pages"
    );

    // Make the last page read-only; it must still read back.
    let last = PAGES - 1;
    // SAFETY: the page is only read from now on.
    let protected = unsafe { mm::mprotect(base + last * PAGE_SIZE, PAGE_SIZE, PROT_READ) };
    check_eq!(protected, Ok(()), "mprotect one page PROT_READ");
    let intact = OFFSETS
        .iter()
        .all(|&word| memory.get(last, word) == pattern(last, word));
    check!(intact, "the read-only page still reads back");

    // SAFETY: `memory` is not used after this point.
    let unmapped = unsafe { mm::munmap(base, MAP_LEN) };
    check_eq!(unmapped, Ok(()), "munmap 64 MiB");

    check_eq!(
        mm::map_anonymous(0, PROT_READ | PROT_WRITE),
        Err(Errno::EINVAL),
        "mmap with length 0 -> EINVAL"
    );
    let unaligned = check_ok!(
        mm::map_anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE),
        "mmap one page"
    );
    // SAFETY: nothing uses the page; the call is expected to fail anyway.
    let result = unsafe { mm::munmap(unaligned + 1, PAGE_SIZE) };
    check_eq!(
        result,
        Err(Errno::EINVAL),
        "munmap of an unaligned address -> EINVAL"
    );

    vrt::check::all_passed();
    0
}
