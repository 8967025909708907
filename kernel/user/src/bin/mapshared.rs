//! `mapshared`: `mmap(MAP_SHARED | MAP_ANONYMOUS)` memory is one memory for
//! a parent and its forked children, while private memory is each process's
//! own copy. Writes go both ways (child to parent after it exits, parent to
//! a live child, a live child back to the parent); unmapping part of a
//! shared mapping in one process leaves the other's view alone; a 64 TiB
//! shared mapping costs only the pages touched; and many
//! fork/exit cycles with shared mappings give back every page (checked on
//! vibix only: Linux's free memory moves for reasons of its own).
//!
//! Children never print: they report through their exit status, so the
//! output does not depend on who runs first.

#![no_std]
#![no_main]

use vrt::children::{Ended, reap, spawn};
use vrt::errno::Errno;
use vrt::io::{read, write};
use vrt::mm::{
    MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, PAGE_SIZE, PROT_READ, PROT_WRITE, mmap, munmap,
};
use vrt::pipes::pipe2;
use vrt::sysinfo::memory;
use vrt::{check, check_eq};

vrt::entry!(main);

/// The auxiliary-vector entry of Linux's vDSO; vibix has no vDSO.
const AT_SYSINFO_EHDR: usize = 33;

/// A fresh anonymous mapping of `pages` pages, `MAP_SHARED` or `MAP_PRIVATE`.
fn map(pages: usize, kind: u32) -> usize {
    // SAFETY: no MAP_FIXED: the kernel picks free addresses, nothing is replaced.
    match unsafe {
        mmap(
            0,
            pages * PAGE_SIZE,
            PROT_READ | PROT_WRITE,
            kind | MAP_ANONYMOUS,
            -1,
            0,
        )
    } {
        Ok(addr) => addr,
        Err(e) => vrt::check::fail(format_args!("mmap of {pages} pages"), format_args!("{e:?}")),
    }
}

/// Unmaps `pages` pages from `addr` on.
fn unmap(addr: usize, pages: usize) -> Result<(), Errno> {
    // SAFETY: the mapped memory is only reached through `get` and `set`,
    // which are not called on these pages again by this process.
    unsafe { munmap(addr, pages * PAGE_SIZE) }
}

/// The byte at `addr`, read from memory every time (another process may
/// have written it).
fn get(addr: usize) -> u8 {
    // SAFETY: callers pass addresses inside a live read-write mapping of
    // theirs; no Rust reference covers that memory.
    unsafe { core::ptr::read_volatile(addr as *const u8) }
}

fn set(addr: usize, value: u8) {
    // SAFETY: as for `get`.
    unsafe { core::ptr::write_volatile(addr as *mut u8, value) }
}

/// Sends one byte down a pipe / waits for one.
fn signal(fd: i32) {
    check_eq!(write(fd, b"x"), Ok(1), "handshake byte sent");
}

fn await_signal(fd: i32) -> bool {
    let mut b = [0u8; 1];
    read(fd, &mut b) == Ok(1)
}

/// A child's writes, to a page the parent had touched and to one nobody
/// had, are the parent's; its write to private memory is not.
fn child_writes() {
    let shared = map(2, MAP_SHARED);
    let private = map(1, MAP_PRIVATE);
    set(shared, 1);
    set(private, 1);
    let child = spawn(|| {
        set(shared, 0x11);
        set(shared + PAGE_SIZE + 8, 0x22);
        set(private, 0x33);
        0
    });
    check_eq!(reap(child), Ended::Exited(0), "the child wrote and exited");
    check_eq!(
        get(shared),
        0x11,
        "the child's write to a shared page the parent touched is seen"
    );
    check_eq!(
        get(shared + PAGE_SIZE + 8),
        0x22,
        "the child's write to an untouched shared page is seen"
    );
    check_eq!(
        get(private),
        1,
        "the child's write to private memory is not seen"
    );
    check_eq!(
        unmap(shared, 2).and(unmap(private, 1)),
        Ok(()),
        "munmap of both"
    );
}

/// The parent writes after the fork; the live child sees the shared write
/// and not the private one, and answers through the shared page.
fn parent_writes() {
    let shared = map(1, MAP_SHARED);
    let private = map(1, MAP_PRIVATE);
    let (to_child, from_parent) = {
        let (r, w) = pipe2(0).expect("pipe2");
        (w, r)
    };
    let (to_parent, from_child) = {
        let (r, w) = pipe2(0).expect("pipe2");
        (w, r)
    };
    let child = spawn(|| {
        if !await_signal(from_parent) {
            return 10;
        }
        if get(shared) != 0x44 {
            return 11; // the parent's shared write is missing
        }
        if get(private) != 0 {
            return 12; // the parent's private write leaked in
        }
        set(shared + 1, 0x66);
        if write(to_parent, b"y") != Ok(1) {
            return 13;
        }
        0
    });
    set(shared, 0x44);
    set(private, 0x55);
    signal(to_child);
    check!(await_signal(from_child), "the child answered");
    check_eq!(
        get(shared + 1),
        0x66,
        "a live child's shared write is seen at once"
    );
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "the child saw the parent's shared write and not its private one"
    );
    check_eq!(
        unmap(shared, 1).and(unmap(private, 1)),
        Ok(()),
        "munmap of both"
    );
}

/// munmap of part of a shared mapping in one process changes nothing for
/// the other, in both directions; the memory lives as long as one process
/// still maps it.
fn partial_unmap() {
    let m = map(3, MAP_SHARED);
    let page = |i: usize| m + i * PAGE_SIZE;
    for i in 0..3 {
        set(page(i), i as u8 + 1);
    }
    let (r1, w1) = pipe2(0).expect("pipe2");
    let (r2, w2) = pipe2(0).expect("pipe2");
    let child = spawn(|| {
        if unmap(page(1), 1).is_err() {
            return 20;
        }
        set(page(2), 30);
        if write(w1, b"a") != Ok(1) || !await_signal(r2) {
            return 21;
        }
        // The parent has written page 0 and unmapped pages 0 and 1.
        if get(page(0)) != 10 {
            return 22;
        }
        set(page(0), 11);
        0
    });
    check!(await_signal(r1), "the child unmapped the middle page");
    check_eq!(
        [get(page(0)), get(page(1)), get(page(2))],
        [1, 2, 30],
        "the parent still sees all three pages"
    );
    set(page(0), 10);
    check_eq!(unmap(m, 2), Ok(()), "the parent unmaps the first two pages");
    signal(w2);
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "the child's first page outlived the parent's munmap"
    );
    check_eq!(get(page(2)), 30, "the last page outlives the child");
    check_eq!(unmap(page(2), 1), Ok(()), "the parent unmaps the last page");
}

/// A 64 TiB shared mapping, three pages of it touched: fork, exit and
/// munmap cost what is touched, not the size of the mapping.
fn huge() {
    const LEN: usize = 1 << 46;
    const MAP_NORESERVE: u32 = 0x4000; // Linux: no swap reserved; vibix never reserves
    let flags = MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE;
    // SAFETY: no MAP_FIXED: the kernel picks free addresses.
    let m = match unsafe { mmap(0, LEN, PROT_READ | PROT_WRITE, flags, -1, 0) } {
        Ok(addr) => addr,
        Err(e) => vrt::check::fail(format_args!("mmap of 64 TiB"), format_args!("{e:?}")),
    };
    set(m, 4);
    set(m + LEN - PAGE_SIZE, 5);
    let child = spawn(|| {
        set(m + LEN / 2, 6);
        if get(m) == 4 && get(m + LEN - PAGE_SIZE) == 5 {
            0
        } else {
            30
        }
    });
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "a child sees both ends of a 64 TiB shared mapping"
    );
    check_eq!(
        get(m + LEN / 2),
        6,
        "the child's write to its middle is seen"
    );
    check_eq!(
        unmap(m, LEN / PAGE_SIZE),
        Ok(()),
        "munmap of the 64 TiB mapping"
    );
}

/// One cycle: a shared mapping, a child writing to it, and both letting go.
/// Odd cycles unmap in the parent before waiting, so the child is often the
/// last holder. Whether the child exited well and (on even cycles) its
/// writes arrived.
fn cycle(i: usize) -> bool {
    let m = map(4, MAP_SHARED);
    set(m, 1);
    let child = spawn(|| {
        set(m, 2);
        set(m + 3 * PAGE_SIZE, 3);
        0
    });
    if i % 2 == 1 {
        return unmap(m, 4).is_ok() && reap(child) == Ended::Exited(0);
    }
    let ok = reap(child) == Ended::Exited(0) && get(m) == 2 && get(m + 3 * PAGE_SIZE) == 3;
    unmap(m, 4).is_ok() && ok
}

fn no_leak(on_linux: bool) {
    cycle(0); // page tables for the mapping's addresses stay: make them first
    let before = memory();
    let mut all_seen = true;
    for i in 0..200 {
        all_seen &= cycle(i);
    }
    check!(
        all_seen,
        "200 fork/exit cycles with shared mappings, the children's writes seen"
    );
    let after = memory();
    let what = "free memory and process count are what they were before (checked on vibix only)";
    if on_linux {
        vrt::check::pass(format_args!("{what}"));
    } else {
        check_eq!(after, before, "{what}");
    }
}

fn main(args: &vrt::Args) -> i32 {
    let on_linux = args.auxv(AT_SYSINFO_EHDR).is_some();
    child_writes();
    parent_writes();
    partial_unmap();
    huge();
    no_leak(on_linux);
    vrt::check::all_passed();
    0
}
