//! `std::os::fd` and `std::io::pipe`: raw and owned descriptors converted
//! to and from files and pipe ends, duplicated (sharing the offset),
//! borrowed, and closed when the owner goes; a pipe's reader sees end of
//! file once every writer is gone, and a write with no reader left is a
//! `BrokenPipe` error (std ignores SIGPIPE at start-up on both systems).

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};

fn main() -> io::Result<()> {
    let dir = phase2_programs::scratch("fd")?;
    fs::write("data", "0123456789")?;

    // File → OwnedFd → File, and a duplicate that shares the offset.
    let file = File::open("data")?;
    let owned: OwnedFd = file.into();
    let dup = owned.try_clone()?;
    println!(
        "duplicate is a new descriptor: {}",
        dup.as_raw_fd() != owned.as_raw_fd()
    );
    println!(
        "descriptors above the standard three: {}",
        owned.as_raw_fd() > 2
    );
    let mut a = File::from(owned);
    let mut b = File::from(dup);
    let mut buf = [0u8; 3];
    a.read_exact(&mut buf)?;
    b.read_exact(&mut buf)?;
    println!(
        "b continues after a: {:?}",
        std::str::from_utf8(&buf).unwrap()
    );
    b.seek(SeekFrom::Start(8))?;
    a.read_exact(&mut buf[..2])?;
    println!(
        "a follows b's seek: {:?}",
        std::str::from_utf8(&buf[..2]).unwrap()
    );

    // Raw descriptors: into_raw_fd gives up ownership, from_raw_fd takes it.
    let raw = a.into_raw_fd();
    // SAFETY: `raw` came from `into_raw_fd` just above; nothing else owns it.
    let mut again = unsafe { File::from_raw_fd(raw) };
    again.seek(SeekFrom::Start(0))?;
    let mut all = String::new();
    again.read_to_string(&mut all)?;
    println!("through the raw descriptor: {all:?}");

    // Borrowing: a BorrowedFd can be cloned into a new owner.
    let borrowed: BorrowedFd<'_> = again.as_fd();
    let cloned = borrowed.try_clone_to_owned()?;
    drop(again);
    let mut from_clone = File::from(cloned);
    from_clone.seek(SeekFrom::Start(4))?;
    let mut four = String::new();
    from_clone.read_to_string(&mut four)?;
    println!("the clone outlives the original: {four:?}");
    println!(
        "stdio: {} {} {}",
        io::stdin().as_raw_fd(),
        io::stdout().as_raw_fd(),
        io::stderr().as_raw_fd()
    );

    // Pipes.
    let (mut reader, mut writer) = io::pipe()?;
    let writer2 = writer.try_clone()?;
    writer.write_all(b"through the pipe")?;
    drop(writer);
    let mut got = [0u8; 16];
    reader.read_exact(&mut got)?;
    println!("read: {:?}", std::str::from_utf8(&got).unwrap());
    drop(writer2);
    let mut rest = Vec::new();
    println!(
        "end of file once every writer is gone: {} bytes",
        reader.read_to_end(&mut rest)?
    );
    let (reader, mut writer) = io::pipe()?;
    drop(reader);
    let e = writer.write(b"x").unwrap_err();
    println!("write with no reader: {:?} {e}", e.kind());

    phase2_programs::cleanup(&dir);
    println!("ok");
    Ok(())
}
