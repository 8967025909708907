//! `files`: reading a file from the initramfs.
//!
//! Opens `etc/motd` by a relative path (the runner starts every program with
//! the root of the initramfs as its current directory), reads it in full and
//! prints it, compares its size with `fstat`'s `st_size`, seeks around with
//! `lseek`, and checks the errors: a missing file (`ENOENT`), a path through
//! a regular file (`ENOTDIR`), a closed or invalid descriptor (`EBADF`), a
//! negative offset (`EINVAL`), writing to a read-only descriptor (`EBADF`).

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::fs::{self, AT_FDCWD, O_RDONLY, SEEK_CUR, SEEK_END, SEEK_SET};
use vrt::io;
use vrt::print::Bytes;
use vrt::stat::S_IFREG;
use vrt::{check, check_eq, check_ok};

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    let fd = check_ok!(fs::open(c"etc/motd", O_RDONLY, 0), "open etc/motd");

    // Read it all, in small pieces to exercise the file offset.
    let mut content = [0u8; 512];
    let mut size = 0;
    loop {
        let end = (size + 16).min(content.len());
        let n = match io::read(fd, &mut content[size..end]) {
            Ok(n) => n,
            Err(e) => vrt::check::fail(format_args!("read etc/motd"), format_args!("got {e}")),
        };
        if n == 0 {
            break;
        }
        size += n;
        if size == content.len() {
            vrt::check::fail(
                format_args!("read etc/motd"),
                format_args!("larger than {} bytes", content.len()),
            );
        }
    }
    check!(size > 0, "read etc/motd to the end");
    let text = &content[..size];
    vrt::print!("etc/motd says: {}", Bytes(text));
    check!(text.ends_with(b"\n"), "etc/motd ends with a newline");

    let stat = check_ok!(fs::fstat(fd), "fstat etc/motd");
    vrt::println!("size={}", stat.st_size);
    check_eq!(
        stat.st_size,
        size as i64,
        "st_size == the number of bytes read"
    );
    check_eq!(stat.file_type(), S_IFREG, "st_mode says a regular file");
    check_eq!(io::read(fd, &mut [0; 8]), Ok(0), "read at end of file -> 0");

    check_eq!(fs::lseek(fd, 6, SEEK_SET), Ok(6), "lseek(6, SEEK_SET) -> 6");
    let mut word = [0u8; 5];
    check_eq!(io::read(fd, &mut word), Ok(5), "read 5 bytes at offset 6");
    vrt::println!("bytes 6..11: {}", Bytes(&word));
    check_eq!(
        &word,
        &text[6..11],
        "they match the same bytes read earlier"
    );
    check_eq!(
        fs::lseek(fd, 0, SEEK_CUR),
        Ok(11),
        "lseek(0, SEEK_CUR) -> 11"
    );
    check_eq!(
        fs::lseek(fd, 0, SEEK_END),
        Ok(size),
        "lseek(0, SEEK_END) -> size"
    );
    check_eq!(
        fs::lseek(fd, -1, SEEK_SET),
        Err(Errno::EINVAL),
        "lseek(-1, SEEK_SET) -> EINVAL"
    );
    check_eq!(
        io::write(fd, b"x"),
        Err(Errno::EBADF),
        "write to a read-only fd -> EBADF"
    );

    check_eq!(fs::close(fd), Ok(()), "close");
    check_eq!(fs::close(fd), Err(Errno::EBADF), "close again -> EBADF");
    check_eq!(
        io::read(fd, &mut word),
        Err(Errno::EBADF),
        "read a closed fd -> EBADF"
    );
    check_eq!(
        io::read(-1, &mut word),
        Err(Errno::EBADF),
        "read(-1) -> EBADF"
    );

    check_eq!(
        fs::open(c"etc/does-not-exist", O_RDONLY, 0),
        Err(Errno::ENOENT),
        "open etc/does-not-exist -> ENOENT"
    );
    check_eq!(
        fs::open(c"etc/motd/x", O_RDONLY, 0),
        Err(Errno::ENOTDIR),
        "open etc/motd/x -> ENOTDIR"
    );

    let fd = check_ok!(
        fs::openat(AT_FDCWD, c"etc/motd", O_RDONLY, 0),
        "openat(AT_FDCWD, etc/motd)"
    );
    let mut again = [0u8; 512];
    check_eq!(
        io::read(fd, &mut again),
        Ok(size),
        "it reads the same number of bytes"
    );
    check_eq!(&again[..size], text, "and the same content");
    check_eq!(fs::close(fd), Ok(()), "close");

    vrt::check::all_passed();
    0
}
