//! `mmapfile`: a private file mapping holds the file's bytes (zeros past
//! its end), writing to it changes only the copy, and the errors: an
//! unaligned offset (EINVAL), a directory (ENODEV), a write-only fd (EACCES).

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::fs::{O_DIRECTORY, O_RDONLY, O_WRONLY, close, open};
use vrt::io::read;
use vrt::mm::{MAP_PRIVATE, PROT_READ, PROT_WRITE, mmap, munmap};
use vrt::{check, check_eq};

vrt::entry!(main);

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
