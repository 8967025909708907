//! `efault`: bad user pointers make system calls fail with `EFAULT`, and the
//! process lives on.
//!
//! The kernel must check every pointer a process hands it, and never let a
//! fault on one take down the kernel (or the process). Tried here: the null
//! page, the first address past the user half (non-canonical), the kernel
//! half, a page that was just unmapped, and, for calls that write to user
//! memory, a read-only page (the kernel must honour page protections, not
//! just "is it mapped").

#![no_std]
#![no_main]

use core::ptr;

use vrt::errno::Errno;
use vrt::fs::{self, O_RDONLY};
use vrt::io::{self, STDOUT};
use vrt::mm::{self, PAGE_SIZE, PROT_READ, PROT_WRITE};
use vrt::stat::Stat;
use vrt::{check, check_eq, check_ok};

vrt::entry!(main);

/// The lowest non-canonical address: one past the end of the user half.
const NON_CANONICAL: usize = 0x0000_8000_0000_0000;
/// The lowest canonical kernel-half address.
const KERNEL_HALF: usize = 0xffff_8000_0000_0000;

fn main(_args: &vrt::Args) -> i32 {
    // A read-only page: the kernel must refuse to store into it.
    let read_only = check_ok!(
        mm::map_anonymous(PAGE_SIZE, PROT_READ),
        "mmap a read-only page"
    );

    // A page that was mapped and then unmapped: the second of two pages.
    // (Unmapped last, so that no later mmap can reuse the hole.)
    let pair = check_ok!(
        mm::map_anonymous(2 * PAGE_SIZE, PROT_READ | PROT_WRITE),
        "mmap two pages"
    );
    let hole = pair + PAGE_SIZE;
    // SAFETY: nothing uses the second page.
    let unmapped = unsafe { mm::munmap(hole, PAGE_SIZE) };
    check_eq!(unmapped, Ok(()), "munmap the second page");

    // write: the kernel reads from the buffer.
    let bad_sources: [(usize, &str); 4] = [
        (0, "NULL"),
        (NON_CANONICAL, "a non-canonical address"),
        (KERNEL_HALF, "a kernel-half address"),
        (hole, "an unmapped page"),
    ];
    for (address, name) in bad_sources {
        check_eq!(
            io::write_raw(STDOUT, ptr::with_exposed_provenance(address), 5),
            Err(Errno::EFAULT),
            "write(1, {name}, 5) -> EFAULT"
        );
    }

    // read: the kernel writes to the buffer. Read from a file, not stdin,
    // which could block or be at end of file.
    let fd = check_ok!(fs::open(c"etc/motd", O_RDONLY, 0), "open etc/motd");
    let bad_targets: [(usize, &str); 5] = [
        (0, "NULL"),
        (NON_CANONICAL, "a non-canonical address"),
        (KERNEL_HALF, "a kernel-half address"),
        (hole, "an unmapped page"),
        (read_only, "a read-only page"),
    ];
    for (address, name) in bad_targets {
        // SAFETY: no Rust value lives at these addresses; the kernel is
        // expected to refuse to write there.
        let result = unsafe { io::read_raw(fd, ptr::with_exposed_provenance_mut(address), 5) };
        check_eq!(
            result,
            Err(Errno::EFAULT),
            "read(motd, {name}, 5) -> EFAULT"
        );
    }
    let mut first = [0u8; 5];
    check_eq!(
        io::read(fd, &mut first),
        Ok(5),
        "a good read after the bad ones reads from offset 0"
    );
    check_eq!(&first, b"Hello", "it reads the file's first bytes");
    check_ok!(fs::close(fd), "close motd");

    // open: the kernel reads the path.
    for (address, name) in bad_sources {
        check_eq!(
            fs::open_raw(ptr::with_exposed_provenance(address), O_RDONLY, 0),
            Err(Errno::EFAULT),
            "open({name}, O_RDONLY) -> EFAULT"
        );
    }

    // fstat: the kernel writes a 144-byte `struct stat`.
    for (address, name) in bad_targets {
        // SAFETY: as for `read` above.
        let result =
            unsafe { fs::fstat_raw(STDOUT, ptr::with_exposed_provenance_mut::<Stat>(address)) };
        check_eq!(result, Err(Errno::EFAULT), "fstat(1, {name}) -> EFAULT");
    }

    check!(true, "the process survived every bad pointer");
    vrt::check::all_passed();
    0
}
