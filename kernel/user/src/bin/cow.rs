//! `cow`: after `fork`, private memory behaves as two copies, whoever
//! writes first and however the write happens: the program's own stores,
//! or the kernel storing a `read` into a buffer. On vibix fork shares the
//! pages copy-on-write, so this also checks (vibix only: Linux's free
//! memory moves for reasons of its own) that a fork costs no copy of a
//! touched 16 MiB buffer, and that writing it in the child then does.
//!
//! A fork may share whole page tables rather than pages (vibix does, for
//! tables mapping private memory only): `table_stores` writes on every
//! side in the orders that give a side its own table, or leave it the
//! last user of a shared one, and checks again that each sees its own
//! stores only.
//!
//! Children report through their exit status or a pipe; the only lines
//! they print (`sysinfo` checks) come while the parent waits for them.

#![no_std]
#![no_main]

use vrt::children::{Ended, reap, spawn};
use vrt::io::{read, write};
use vrt::mm::{
    MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE, mmap, mprotect, munmap,
};
use vrt::pipes::pipe2;
use vrt::sysinfo::memory;
use vrt::{check, check_eq};

vrt::entry!(main);

/// The auxiliary-vector entry of Linux's vDSO; vibix has no vDSO.
const AT_SYSINFO_EHDR: usize = 33;
const BIG: usize = 16 << 20;

fn map(len: usize) -> usize {
    // SAFETY: no MAP_FIXED: the kernel picks free addresses, nothing is replaced.
    match unsafe {
        mmap(
            0,
            len,
            PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS,
            -1,
            0,
        )
    } {
        Ok(addr) => addr,
        Err(e) => vrt::check::fail(format_args!("mmap of {len} bytes"), format_args!("{e:?}")),
    }
}

/// The buffer of `len` bytes at `addr`, a private mapping of this process.
fn bytes(addr: usize, len: usize) -> &'static mut [u8] {
    // SAFETY: `addr` is a fresh private read-write mapping of `len` bytes
    // that only this function hands out, once per mapping.
    unsafe { core::slice::from_raw_parts_mut(addr as *mut u8, len) }
}

/// Each side's stores stay its own: the child's are not seen by the parent,
/// the parent's (made while the child waits) not by the child.
fn stores() {
    let buf = bytes(map(4 * PAGE_SIZE), 4 * PAGE_SIZE);
    buf.fill(b'P');
    let (go_r, go_w) = pipe2(0).expect("pipe2");
    let child = spawn(|| {
        let mut byte = [0u8; 1];
        let _ = read(go_r, &mut byte); // the parent has written by now
        let untouched = buf.iter().all(|&b| b == b'P');
        buf[PAGE_SIZE] = b'C';
        if untouched { 0 } else { 1 }
    });
    buf[3 * PAGE_SIZE + 7] = b'Q';
    check_eq!(
        write(go_w, b"x"),
        Ok(1),
        "tell the child the parent has written"
    );
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "the child does not see the parent's store"
    );
    check_eq!(
        buf[PAGE_SIZE],
        b'P',
        "the parent does not see the child's store"
    );
    check_eq!(
        buf[3 * PAGE_SIZE + 7],
        b'Q',
        "the parent keeps its own store"
    );
}

/// Stores through memory whose page tables a fork may have shared: the
/// child writes first (its own copy of the table), then the parent (the
/// last user of the shared one), then a grandchild; the child also
/// unmaps and write-protects parts of its copy. Each side sees its own
/// stores only, and a later child sees the parent's memory as it is then.
fn table_stores() {
    const LEN: usize = 4 << 20;
    let addr = map(LEN);
    let buf = bytes(addr, LEN);
    buf.fill(b'P');
    let (child_r, child_w) = pipe2(0).expect("pipe2");
    let (parent_r, parent_w) = pipe2(0).expect("pipe2");
    let child = spawn(|| {
        buf[PAGE_SIZE] = b'C';
        let _ = write(parent_w, b"x");
        let mut byte = [0u8; 1];
        let _ = read(child_r, &mut byte); // the parent has written by now
        let grandchild = spawn(|| {
            buf[2 * PAGE_SIZE] = b'G';
            let seen = buf[0] == b'P' && buf[PAGE_SIZE] == b'C';
            if seen { 0 } else { 1 }
        });
        let grandchild_ok = reap(grandchild) == Ended::Exited(0);
        let own = buf[0] == b'P'
            && buf[PAGE_SIZE] == b'C'
            && buf[2 * PAGE_SIZE] == b'P'
            && buf[LEN - 1] == b'P';
        // SAFETY: the child's own copy of its own mapping; nothing in the
        // child uses the unmapped or write-protected parts afterwards.
        let changed = unsafe {
            munmap(addr + LEN / 2, LEN / 2).is_ok() && mprotect(addr, LEN / 4, PROT_READ).is_ok()
        };
        if grandchild_ok && own && changed {
            0
        } else {
            1
        }
    });
    let mut byte = [0u8; 1];
    check_eq!(read(parent_r, &mut byte), Ok(1), "the child has written");
    check_eq!(
        buf[PAGE_SIZE],
        b'P',
        "the parent does not see the child's first store"
    );
    buf[0] = b'Q';
    buf[LEN - 1] = b'Q';
    check_eq!(write(child_w, b"x"), Ok(1), "tell the child");
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "the child and the grandchild see their own stores only"
    );
    check!(
        buf[0] == b'Q' && buf[PAGE_SIZE] == b'P' && buf[2 * PAGE_SIZE] == b'P',
        "the parent sees its own stores only"
    );
    buf[LEN / 2] = b'R'; // unmapped in the child only; writable here
    let again = spawn(|| {
        let now = buf[0] == b'Q' && buf[LEN / 2] == b'R' && buf[LEN - 1] == b'Q';
        if now { 0 } else { 1 }
    });
    check_eq!(
        reap(again),
        Ended::Exited(0),
        "a second child sees the parent's memory as it is now"
    );
}

/// The kernel writing into a page shared since the fork (a `read` into a
/// buffer) changes only the reader's copy.
fn kernel_stores() {
    let buf = bytes(map(2 * PAGE_SIZE), 2 * PAGE_SIZE);
    buf.fill(b'P');
    let child = spawn(|| {
        let (r, w) = pipe2(0).expect("pipe2");
        let _ = write(w, b"child data");
        // The read lands across the page boundary of the shared buffer.
        let at = PAGE_SIZE - 4;
        match read(r, &mut buf[at..at + 10]) {
            Ok(10) if &buf[at..at + 10] == b"child data" => 0,
            _ => 1,
        }
    });
    check_eq!(
        reap(child),
        Ended::Exited(0),
        "the child's read fills its copy"
    );
    check!(
        buf.iter().all(|&b| b == b'P'),
        "the parent's buffer is untouched by the child's read"
    );
}

/// A fork, then writing every page in the child: the fork itself costs no
/// copy of the 16 MiB, the writes do.
fn cost(on_linux: bool) {
    let buf = bytes(map(BIG), BIG);
    for page in buf.chunks_mut(PAGE_SIZE) {
        page[0] = 1;
    }
    let (before, _) = memory();
    let (r, w) = pipe2(0).expect("pipe2");
    let child = spawn(|| {
        let (forked, _) = memory();
        for page in buf.chunks_mut(PAGE_SIZE) {
            page[0] = 2;
        }
        let (written, _) = memory();
        let forked_cost = before.saturating_sub(forked);
        let write_cost = forked.saturating_sub(written);
        // Report in MiB through the pipe: the parent decides.
        let report = [(forked_cost >> 20) as u8, (write_cost >> 20) as u8];
        let _ = write(w, &report);
        0
    });
    let mut report = [0u8; 2];
    let got = read(r, &mut report);
    check_eq!(reap(child), Ended::Exited(0), "the child wrote all 16 MiB");
    check_eq!(
        got,
        Ok(2),
        "the child reported what the fork and its writes cost"
    );
    check!(
        buf.iter().step_by(PAGE_SIZE).all(|&b| b == 1),
        "the parent's 16 MiB are still its own"
    );
    let what =
        "fork copies none of the 16 MiB, the child's writes copy all of it (checked on vibix only)";
    if on_linux {
        vrt::check::pass(format_args!("{what}"));
    } else {
        let [forked_mib, written_mib] = report;
        if forked_mib < 4 && (16..20).contains(&written_mib) {
            vrt::check::pass(format_args!("{what}"));
        } else {
            vrt::check::fail(
                format_args!("{what}"),
                format_args!("fork cost {forked_mib} MiB, writes {written_mib} MiB"),
            );
        }
    }
}

fn main(args: &vrt::Args) -> i32 {
    let on_linux = args.auxv(AT_SYSINFO_EHDR).is_some();
    stores();
    table_stores();
    kernel_stores();
    cost(on_linux);
    vrt::check::all_passed();
    0
}
