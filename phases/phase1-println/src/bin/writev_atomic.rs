//! `writev_atomic`: one `writev` is one write (finding U-B2). Three
//! processes each send records of four iovec parts through one pipe while
//! a slow reader drains it; every record must arrive whole, never torn by
//! another writer's bytes. Records are shorter than `PIPE_BUF`, so Linux
//! promises the same, and the output is compared with Linux's.
//!
//! The pipe fills up (the writers outpace a reader taking odd-sized
//! chunks), so writers wait for room: the case where a kernel that
//! wrote part of a record before sleeping would let another writer in.

#![no_std]
#![no_main]

use vrt::children::{Ended, Fork, decode, fork, wait4};
use vrt::errno::Errno;
use vrt::fs::close;
use vrt::io::read;
use vrt::pipes::pipe2;
use vrt::process::exit;
use vrt::syscall::syscall3;
use vrt::{check, check_eq};

use vrt::uapi::uio::Iovec;

vrt::entry!(main);

const WRITEV: usize = vrt::nr::WRITEV;
const WRITERS: u8 = 3;
const RECORDS: usize = 1000;
/// `<` + id + 96 body bytes + `>` + `\n`.
const RECORD: usize = 100;

fn writev(fd: i32, parts: &[&[u8]]) -> Result<usize, Errno> {
    let iov: [Iovec; 4] = core::array::from_fn(|i| Iovec {
        iov_base: parts[i].as_ptr().cast_mut().cast(),
        iov_len: parts[i].len(),
    });
    // SAFETY: the kernel reads the 4 iovecs and the buffers they name, all
    // alive for the call.
    Errno::from_ret(unsafe { syscall3(WRITEV, fd as usize, iov.as_ptr() as usize, iov.len()) })
}

/// A writer: `RECORDS` records, each one `writev` of four parts.
fn writer(fd: i32, id: u8) -> ! {
    let tag = b'a' + id;
    let head = [b'<', tag];
    let body = [tag; 48];
    let tail = *b">\n";
    for _ in 0..RECORDS {
        match writev(fd, &[&head, &body, &body, &tail]) {
            Ok(RECORD) => {}
            _ => exit(2),
        }
    }
    exit(0)
}

/// Checks one record: `<`, its writer's letter 97 times, `>`, newline.
fn whole(record: &[u8]) -> Option<u8> {
    let tag = *record.get(1)?;
    let ok = record.len() == RECORD
        && record[0] == b'<'
        && (b'a'..b'a' + WRITERS).contains(&tag)
        && record[2..RECORD - 2].iter().all(|&b| b == tag)
        && &record[RECORD - 2..] == b">\n";
    ok.then_some(tag - b'a')
}

fn main(_args: &vrt::Args) -> i32 {
    let (r, w) = pipe2(0).expect("pipe2");
    for id in 0..WRITERS {
        match fork() {
            Ok(Fork::Child) => {
                let _ = close(r);
                writer(w, id);
            }
            Ok(Fork::Parent { .. }) => {}
            Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
        }
    }
    let _ = close(w);

    // Read everything in odd-sized chunks, assembling records.
    let mut counts = [0usize; WRITERS as usize];
    let mut torn = 0;
    let mut record = [0u8; RECORD];
    let mut have = 0;
    let mut chunk = [0u8; 333];
    loop {
        let n = match read(r, &mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => vrt::check::fail(format_args!("read"), format_args!("{e:?}")),
        };
        for &b in &chunk[..n] {
            record[have] = b;
            have += 1;
            if have == RECORD {
                match whole(&record) {
                    Some(id) => counts[id as usize] += 1,
                    None => torn += 1,
                }
                have = 0;
            }
        }
    }
    for _ in 0..WRITERS {
        let ended = wait4(-1, 0).map(|(_, status)| decode(status));
        check_eq!(
            ended,
            Ok(Ended::Exited(0)),
            "a writer wrote every record with one writev each"
        );
    }
    check_eq!(have, 0, "the stream ends at a record boundary");
    check_eq!(torn, 0, "no record was torn by another writer");
    check!(
        counts.iter().all(|&c| c == RECORDS),
        "every writer's {RECORDS} records arrived: {counts:?}"
    );
    vrt::println!(
        "writev_atomic: {} records from {WRITERS} writers, none torn",
        RECORDS * WRITERS as usize
    );
    vrt::check::all_passed();
    0
}
