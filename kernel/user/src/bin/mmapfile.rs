//! `mmapfile`: a private file mapping holds the file's bytes (zeros past
//! its end), writing to it changes only the copy (not the file, not
//! another mapping of the same page: vibix maps both from its page cache),
//! a mapping made after the file changed shows the new bytes, and the
//! errors: an unaligned offset (EINVAL), a directory (ENODEV), a
//! write-only fd (EACCES).

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::fs::{O_DIRECTORY, O_RDONLY, O_WRONLY, close, open};
use vrt::io::read;
use vrt::mm::{MAP_PRIVATE, PROT_READ, PROT_WRITE, mmap, munmap};
use vrt::{check, check_eq};

vrt::entry!(main);

/// A private writable mapping of `fd`'s first page; its bytes.
fn map_page(fd: i32) -> &'static mut [u8] {
    // SAFETY: a fresh mapping at an address the kernel chooses.
    let at = unsafe { mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) };
    check!(at.is_ok(), "mmap a file MAP_PRIVATE");
    // SAFETY: the mapping is 4096 readable and writable bytes, ours alone
    // (the caller unmaps it when done).
    unsafe { core::slice::from_raw_parts_mut(at.unwrap_or(0) as *mut u8, 4096) }
}

/// Unmaps a page `map_page` gave.
fn unmap_page(page: &'static mut [u8]) {
    // SAFETY: the caller gives up its only reference to the mapping.
    let _ = unsafe { munmap(page.as_mut_ptr() as usize, 4096) };
}

/// Two private mappings of the same page of `fd`: a write through one is
/// not seen through the other.
fn two_mappings(fd: i32) {
    let (a, b) = (map_page(fd), map_page(fd));
    let before = b[1];
    // Volatile: the compiler must not assume the two views are distinct.
    // SAFETY: `a` is a writable mapping of 4096 bytes.
    unsafe { core::ptr::write_volatile(&raw mut a[1], before ^ 0xff) };
    // SAFETY: `b` is a readable mapping of 4096 bytes.
    let seen = unsafe { core::ptr::read_volatile(&raw const b[1]) };
    check_eq!(
        seen,
        before,
        "a write to one private mapping of a page is not seen through another"
    );
    unmap_page(a);
    unmap_page(b);
}

/// A file changed after a mapping of it: a new mapping shows the new bytes.
fn after_a_change() {
    let path = c"tmp-mmapfile-change";
    let fd = open(path, vrt::fs::O_CREAT | vrt::fs::O_RDWR, 0o644).expect("create");
    check_eq!(vrt::io::write_all(fd, b"one"), Ok(()), "write one");
    let old = map_page(fd);
    check!(old[..3] == *b"one", "a mapping shows the file's bytes");
    check_eq!(vrt::fs::lseek(fd, 0, 0), Ok(0), "seek to 0");
    check_eq!(vrt::io::write_all(fd, b"two"), Ok(()), "write two");
    let new = map_page(fd);
    check!(
        new[..3] == *b"two",
        "a mapping made after the file changed shows the new bytes"
    );
    unmap_page(old);
    unmap_page(new);
    let _ = close(fd);
    let _ = vrt::fsops::unlink(path);
}

fn main(_args: &vrt::Args) -> i32 {
    let fd = open(c"etc/motd", O_RDONLY, 0).expect("open etc/motd");
    let mut text = [0u8; 512];
    let n = read(fd, &mut text).expect("read etc/motd");
    // SAFETY: a fresh mapping at an address the kernel chooses.
    let at = unsafe { mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) };
    check!(at.is_ok(), "mmap a file MAP_PRIVATE");
    let at = at.unwrap_or(0);
    // SAFETY: the mapping is 4096 readable and writable bytes, ours alone.
    let mapped = unsafe { core::slice::from_raw_parts_mut(at as *mut u8, 4096) };
    check!(mapped[..n] == text[..n], "it holds the file's bytes");
    check!(
        mapped[n..].iter().all(|&b| b == 0),
        "and zeros past the end of the file (in its last page)"
    );
    mapped[0] = b'#';
    let mut again = [0u8; 512];
    let fd2 = open(c"etc/motd", O_RDONLY, 0).expect("open etc/motd");
    let n2 = read(fd2, &mut again).expect("read etc/motd");
    check!(
        again[..n2] == text[..n],
        "writing the private copy leaves the file alone"
    );
    // SAFETY: nothing refers to the mapping any more.
    let _ = unsafe { munmap(at, 4096) };
    two_mappings(fd);
    after_a_change();
    // SAFETY: failing calls map nothing.
    let unaligned = unsafe { mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 100) };
    check_eq!(
        unaligned,
        Err(Errno::EINVAL),
        "an unaligned offset -> EINVAL"
    );
    let dir = open(c"etc", O_RDONLY | O_DIRECTORY, 0).expect("open etc");
    check_eq!(
        // SAFETY: as above.
        unsafe { mmap(0, 4096, PROT_READ, MAP_PRIVATE, dir, 0) },
        Err(Errno::ENODEV),
        "a directory -> ENODEV"
    );
    let _ = close(dir);
    let wo =
        open(c"tmp-mmapfile", vrt::fs::O_CREAT | O_WRONLY, 0o644).expect("create tmp-mmapfile");
    check_eq!(
        // SAFETY: as above.
        unsafe { mmap(0, 4096, PROT_READ, MAP_PRIVATE, wo, 0) },
        Err(Errno::EACCES),
        "a write-only fd -> EACCES"
    );
    let _ = close(wo);
    let _ = vrt::fsops::unlink(c"tmp-mmapfile");
    for fd in [fd, fd2] {
        let _ = close(fd);
    }
    vrt::check::all_passed();
    0
}
