//! A writer for the cpio "newc" format, the one Linux (and vibix) unpack as
//! an initramfs.
//!
//! Each entry is a 110-byte ASCII header (`070701`, then thirteen 8-digit
//! hex fields), the NUL-terminated name, padding to a multiple of 4, the
//! data, and padding to a multiple of 4 again. The archive ends with an
//! entry named `TRAILER!!!`. Owners are always root and times are 0, so the
//! same tree always packs to the same bytes.

use std::io::{self, Write};

use anyhow::{Result, bail};

/// File type bits of `st_mode`.
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;

const MAGIC: &str = "070701";
const HEADER_LEN: usize = 110;
pub const TRAILER: &str = "TRAILER!!!";

/// Writes a newc archive entry by entry; call [`Writer::finish`] at the end.
pub struct Writer<W: Write> {
    out: W,
    written: usize,
    next_ino: u32,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Writer<W> {
        Writer {
            out,
            written: 0,
            next_ino: 1,
        }
    }

    /// A directory; `perm` is the permission bits (e.g. 0o755).
    pub fn dir(&mut self, name: &str, perm: u32) -> Result<()> {
        self.entry(name, S_IFDIR | (perm & 0o7777), 2, &[])
    }

    /// A regular file with its contents.
    pub fn file(&mut self, name: &str, perm: u32, data: &[u8]) -> Result<()> {
        self.entry(name, S_IFREG | (perm & 0o7777), 1, data)
    }

    /// A symbolic link; its data is the target path.
    pub fn symlink(&mut self, name: &str, target: &str) -> Result<()> {
        self.entry(name, S_IFLNK | 0o777, 1, target.as_bytes())
    }

    /// Writes the trailer and returns the output.
    pub fn finish(mut self) -> Result<W> {
        self.header(TRAILER, 0, 0, 1, 0)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn entry(&mut self, name: &str, mode: u32, nlink: u32, data: &[u8]) -> Result<()> {
        if name.is_empty() || name.starts_with('/') || name == TRAILER || name.contains('\0') {
            bail!("cannot put {name:?} in a cpio archive: names are relative and non-empty");
        }
        let Ok(size) = u32::try_from(data.len()) else {
            bail!("{name} is too large for a newc cpio archive (4 GiB at most)");
        };
        let ino = self.next_ino;
        self.next_ino += 1;
        self.header(name, ino, mode, nlink, size)?;
        self.put(data)?;
        self.pad()?;
        Ok(())
    }

    fn header(&mut self, name: &str, ino: u32, mode: u32, nlink: u32, size: u32) -> Result<()> {
        let Ok(namesize) = u32::try_from(name.len() + 1) else {
            bail!("cpio entry name too long");
        };
        // Owners are root, times 0, no device numbers; newc has no checksum.
        let (uid, gid, mtime, dev_major, dev_minor, rdev_major, rdev_minor, check) =
            (0, 0, 0, 0, 0, 0, 0, 0);
        let fields = [
            ino, mode, uid, gid, nlink, mtime, size, dev_major, dev_minor, rdev_major, rdev_minor,
            namesize, check,
        ];
        let mut header = String::with_capacity(HEADER_LEN);
        header.push_str(MAGIC);
        for field in fields {
            header.push_str(&format!("{field:08X}"));
        }
        debug_assert_eq!(header.len(), HEADER_LEN);
        self.put(header.as_bytes())?;
        self.put(name.as_bytes())?;
        self.put(&[0])?;
        self.pad()?;
        Ok(())
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len();
        Ok(())
    }

    fn pad(&mut self) -> io::Result<()> {
        let pad = (4 - self.written % 4) % 4;
        self.put(&[0; 3][..pad])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One entry as read back by hand.
    #[derive(Debug, PartialEq)]
    struct Parsed {
        name: String,
        ino: u32,
        mode: u32,
        uid: u32,
        nlink: u32,
        data: Vec<u8>,
    }

    fn field(bytes: &[u8], i: usize) -> u32 {
        let start = 6 + i * 8;
        let text = std::str::from_utf8(&bytes[start..start + 8]).unwrap();
        u32::from_str_radix(text, 16).unwrap()
    }

    fn align(n: usize) -> usize {
        n.div_ceil(4) * 4
    }

    /// Parses a newc archive by hand, up to and including the trailer.
    fn parse(archive: &[u8]) -> Vec<Parsed> {
        let mut at = 0;
        let mut out = Vec::new();
        loop {
            assert_eq!(at % 4, 0, "entries start 4-aligned");
            let h = &archive[at..at + HEADER_LEN];
            assert_eq!(&h[..6], b"070701");
            let namesize = field(h, 11) as usize;
            let size = field(h, 6) as usize;
            let name_start = at + HEADER_LEN;
            let name = &archive[name_start..name_start + namesize];
            assert_eq!(name.last(), Some(&0), "name is NUL-terminated");
            let name = String::from_utf8(name[..namesize - 1].to_vec()).unwrap();
            let data_start = align(name_start + namesize);
            let data = archive[data_start..data_start + size].to_vec();
            at = align(data_start + size);
            let done = name == TRAILER;
            out.push(Parsed {
                name,
                ino: field(h, 0),
                mode: field(h, 1),
                uid: field(h, 2),
                nlink: field(h, 4),
                data,
            });
            if done {
                assert_eq!(at, archive.len(), "nothing after the trailer");
                return out;
            }
        }
    }

    #[test]
    fn round_trip() {
        let mut w = Writer::new(Vec::new());
        w.dir("bin", 0o755).unwrap();
        w.dir("etc", 0o750).unwrap();
        w.file("bin/hello", 0o755, b"\x7fELF and more").unwrap();
        w.file("etc/motd", 0o644, b"hi\n").unwrap();
        w.file("etc/empty", 0o600, b"").unwrap();
        w.symlink("bin/sh", "hello").unwrap();
        let archive = w.finish().unwrap();
        assert_eq!(archive.len() % 4, 0);

        let entries = parse(&archive);
        let summary: Vec<(&str, u32, &[u8])> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.mode, e.data.as_slice()))
            .collect();
        assert_eq!(
            summary,
            [
                ("bin", 0o040755, &b""[..]),
                ("etc", 0o040750, b""),
                ("bin/hello", 0o100755, b"\x7fELF and more"),
                ("etc/motd", 0o100644, b"hi\n"),
                ("etc/empty", 0o100600, b""),
                ("bin/sh", 0o120777, b"hello"),
                ("TRAILER!!!", 0, b""),
            ]
        );
        let inos: Vec<u32> = entries.iter().map(|e| e.ino).collect();
        assert_eq!(inos, [1, 2, 3, 4, 5, 6, 0]);
        assert!(entries.iter().all(|e| e.uid == 0));
        assert_eq!(entries[0].nlink, 2);
        assert_eq!(entries[2].nlink, 1);
    }

    #[test]
    fn empty_archive_is_just_the_trailer() {
        let archive = Writer::new(Vec::new()).finish().unwrap();
        let entries = parse(&archive);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name, TRAILER);
    }

    #[test]
    fn rejects_absolute_and_empty_names() {
        let mut w = Writer::new(Vec::new());
        assert!(w.file("/bin/hello", 0o755, b"").is_err());
        assert!(w.dir("", 0o755).is_err());
        assert!(w.file(TRAILER, 0o644, b"").is_err());
    }
}
