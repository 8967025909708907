//! `progcache`: every run of a program sees what its file holds, and only
//! its own writes. vibix maps a program's read-only segments from a page
//! cache, the same frames in every process that runs the file (as Linux
//! maps them from its page cache); this checks what must still hold:
//! - a run that makes its read-only data writable and changes it changes
//!   its own copy: not the parent running the same file, not a later run;
//! - a copy of this program changed on disk between two runs runs its new
//!   bytes, and so does a new file written at the same path.
//!
//! The byte that tells is the last of [`MARK`], in the read-only data; a
//! run with the argument `mark` exits with it as its status.

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::check_eq;
use vrt::children::{Ended, Fork, execve, fork, wait4};
use vrt::fs::{O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, close, fstat, lseek, open};
use vrt::fsops::unlink;
use vrt::io::{read, write_all};
use vrt::mm::{PAGE_SIZE, PROT_READ, PROT_WRITE, map_anonymous, mprotect};
use vrt::process::exit;

vrt::entry!(main);

/// In the read-only data; its last byte is the exit status of `mark`.
static MARK: [u8; 16] = *b"progcache mark:A";
const AT: usize = MARK.len() - 1;

const SELF: &CStr = c"bin/progcache";
const COPY: &CStr = c"tmp-progcache";

/// The last byte of `MARK`, as memory holds it now.
fn mark() -> u8 {
    // SAFETY: `MARK` is a static: its bytes are always readable. Volatile:
    // the compiler must not fold the constant.
    unsafe { core::ptr::read_volatile(&MARK[AT]) }
}

/// Makes the page of `MARK` writable and changes its last byte to `Z`.
fn scribble() -> u8 {
    let start = (&raw const MARK) as usize;
    let page = start & !(PAGE_SIZE - 1);
    let len = vrt::mm::page_align_up(start + MARK.len()) - page;
    // SAFETY: the pages hold this program's read-only data (no code); from
    // here on it is also written, which the new protection allows.
    let made = unsafe { mprotect(page, len, PROT_READ | PROT_WRITE) };
    check_eq!(made, Ok(()), "mprotect the read-only data writable");
    // SAFETY: the page is writable now; nothing holds a reference to
    // `MARK` across the write.
    unsafe { core::ptr::write_volatile((&raw const MARK[AT]).cast_mut(), b'Z') };
    mark()
}

/// Runs `path` with the argument `arg` in a child; how it ended.
fn run(path: &CStr, arg: &CStr) -> Ended {
    match fork() {
        Ok(Fork::Child) => {
            let e = execve(path, &[path, arg], &[]);
            vrt::println!("FAIL: execve {path:?}: {e:?}");
            exit(99)
        }
        Ok(Fork::Parent { child }) => match wait4(child, 0) {
            Ok((_, status)) => vrt::children::decode(status),
            Err(e) => vrt::check::fail(format_args!("wait4"), format_args!("{e:?}")),
        },
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
}

/// This program's file, read into fresh memory.
fn own_bytes() -> &'static mut [u8] {
    let fd = open(SELF, O_RDONLY, 0).expect("open bin/progcache");
    let len = fstat(fd).expect("fstat").st_size as usize;
    let at = map_anonymous(len, PROT_READ | PROT_WRITE).expect("memory for a copy");
    // SAFETY: a fresh private mapping of `len` bytes, ours alone.
    let bytes = unsafe { core::slice::from_raw_parts_mut(at as *mut u8, len) };
    let mut done = 0;
    while done < len {
        match read(fd, &mut bytes[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) => vrt::check::fail(format_args!("read bin/progcache"), format_args!("{e:?}")),
        }
    }
    check_eq!(done, len, "read all of bin/progcache");
    let _ = close(fd);
    bytes
}

/// Writes `bytes` as the executable file `COPY`.
fn write_copy(bytes: &[u8]) {
    let fd = open(COPY, O_WRONLY | O_CREAT | O_TRUNC, 0o755).expect("create the copy");
    check_eq!(write_all(fd, bytes), Ok(()), "write the copy");
    let _ = close(fd);
}

/// Changes one byte of the file `COPY` in place, at `offset`.
fn patch(offset: usize, byte: u8) {
    let fd = open(COPY, O_WRONLY, 0).expect("open the copy");
    check_eq!(lseek(fd, offset as i64, 0), Ok(offset), "seek in the copy");
    check_eq!(write_all(fd, &[byte]), Ok(()), "write one byte of the copy");
    let _ = close(fd);
}

fn main(args: &vrt::Args) -> i32 {
    match args.arg(1).map(CStr::to_bytes) {
        Some(b"mark") => return i32::from(mark()),
        Some(b"scribble") => return i32::from(scribble()),
        _ => {}
    }
    check_eq!(
        run(SELF, c"mark"),
        Ended::Exited(b'A'),
        "a run reads its mark"
    );
    check_eq!(
        run(SELF, c"scribble"),
        Ended::Exited(b'Z'),
        "a run that makes its read-only data writable writes it"
    );
    check_eq!(
        mark(),
        b'A',
        "this run of the same file still reads its own mark"
    );
    check_eq!(
        run(SELF, c"mark"),
        Ended::Exited(b'A'),
        "a later run reads the file's mark"
    );

    let bytes = own_bytes();
    let found: usize = bytes.windows(MARK.len()).filter(|w| *w == MARK).count();
    check_eq!(found, 1, "the mark is once in the file");
    let offset = bytes
        .windows(MARK.len())
        .position(|w| w == MARK)
        .unwrap_or(0)
        + AT;
    write_copy(bytes);
    check_eq!(run(COPY, c"mark"), Ended::Exited(b'A'), "a copy runs");
    patch(offset, b'B');
    check_eq!(
        run(COPY, c"mark"),
        Ended::Exited(b'B'),
        "the copy changed on disk runs its new byte"
    );
    check_eq!(unlink(COPY), Ok(()), "unlink the copy");
    bytes[offset] = b'C';
    write_copy(bytes);
    check_eq!(
        run(COPY, c"mark"),
        Ended::Exited(b'C'),
        "a new file at the same path runs its own bytes"
    );
    check_eq!(unlink(COPY), Ok(()), "unlink the new file");
    vrt::check::all_passed();
    0
}
