//! Reading a cpio archive in the "newc" format (the initramfs format).
//!
//! Linux's initramfs, and so vibix's, is a cpio archive in the "new ASCII"
//! (newc) format, as written by `cpio -H newc`. Each entry is a 110-byte
//! header of ASCII hex fields, the file name (NUL terminated, padded to a
//! multiple of 4 bytes), then the file data (padded to 4 bytes too). An entry
//! named `TRAILER!!!` ends the archive.
//!
//! ```text
//! offset  field             offset  field
//!      0  magic "070701"        54  filesize
//!      6  ino                   62  devmajor
//!     14  mode                  70  devminor
//!     22  uid                   78  rdevmajor
//!     30  gid                   86  rdevminor
//!     38  nlink                 94  namesize (including the NUL)
//!     46  mtime                102  check ("070702" archives only)
//! ```
//!
//! We parse it ourselves instead of using the `cpio_reader` crate: that crate
//! stops silently at the first damaged entry, so a truncated initramfs would
//! look like a shorter valid one, and it refuses modes with bits it does not
//! know. The format is simple enough that the parser below is shorter than
//! the glue would be, and it reports what went wrong.
//!
//! Hard links are not merged: every entry is returned as it is (in newc only
//! the last link of a set carries the data).

use core::str;

/// What can be wrong with an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpioError {
    /// The archive ends in the middle of an entry, or before `TRAILER!!!`.
    Truncated,
    /// An entry does not start with `070701` or `070702`.
    BadMagic,
    /// A header field is not 8 hex digits.
    BadHeader,
    /// The name is empty, not NUL terminated, has a NUL inside, or is not
    /// UTF-8.
    BadName,
}

/// One member of the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The path inside the archive, without a leading `./` or `/`. The root
    /// directory itself (written as `.` by `find . | cpio`) has the name `""`.
    pub name: &'a str,
    /// File type and permission bits, as in `st_mode`.
    pub mode: u32,
    /// The contents: file data, or the target of a symbolic link.
    pub data: &'a [u8],
    /// The modification time, in seconds since 1970-01-01 UTC.
    pub mtime: u32,
}

/// File type mask and types in `mode` (`S_IFMT` and friends).
pub const S_IFMT: u32 = 0o170000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;

/// Whether `mode` describes a directory.
pub fn is_dir(mode: u32) -> bool {
    mode & S_IFMT == S_IFDIR
}

/// Whether `mode` describes a regular file.
pub fn is_file(mode: u32) -> bool {
    mode & S_IFMT == S_IFREG
}

/// Whether `mode` describes a symbolic link.
pub fn is_symlink(mode: u32) -> bool {
    mode & S_IFMT == S_IFLNK
}

const HEADER_LEN: usize = 110;
const TRAILER: &str = "TRAILER!!!";

/// The header fields we use, by their index among the thirteen 8-digit
/// fields after the magic.
#[derive(Clone, Copy)]
enum Field {
    Mode = 1,
    Mtime = 5,
    FileSize = 6,
    NameSize = 11,
}

/// The entries of `archive`, up to (not including) `TRAILER!!!`.
///
/// After an error the iterator ends. An empty input has no entries; a
/// non-empty one must end with the trailer, else the last item is
/// [`CpioError::Truncated`]. Whatever follows the trailer (often zero
/// padding) is ignored.
pub fn entries(archive: &[u8]) -> impl Iterator<Item = Result<Entry<'_>, CpioError>> {
    Entries {
        rest: archive,
        pos: 0,
        done: archive.is_empty(),
    }
}

struct Entries<'a> {
    /// The unread part of the archive.
    rest: &'a [u8],
    /// Offset of `rest` in the archive: padding is relative to the start.
    pos: usize,
    done: bool,
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, CpioError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.read_entry() {
            Ok(entry) if entry.name == TRAILER => {
                self.done = true;
                None
            }
            Ok(entry) => Some(Ok(trim_name(entry))),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl<'a> Entries<'a> {
    /// Reads the entry at the front of `rest` and moves past it.
    fn read_entry(&mut self) -> Result<Entry<'a>, CpioError> {
        let header = self.take(HEADER_LEN)?;
        if &header[..6] != b"070701" && &header[..6] != b"070702" {
            return Err(CpioError::BadMagic);
        }
        let mode = field(header, Field::Mode)?;
        let mtime = field(header, Field::Mtime)?;
        let filesize =
            usize::try_from(field(header, Field::FileSize)?).map_err(|_| CpioError::BadHeader)?;
        let namesize =
            usize::try_from(field(header, Field::NameSize)?).map_err(|_| CpioError::BadHeader)?;

        let name = match self.take(namesize)? {
            // A NUL inside the name would make a file no path can reach
            // (found by the fuzz test): the name ends at the first NUL.
            [name @ .., 0] if !name.contains(&0) => {
                str::from_utf8(name).map_err(|_| CpioError::BadName)?
            }
            _ => return Err(CpioError::BadName),
        };
        self.skip_padding()?;
        let data = self.take(filesize)?;
        // The padding after the last entry may be missing; that is fine.
        let _ = self.skip_padding();
        Ok(Entry {
            name,
            mode,
            data,
            mtime,
        })
    }

    /// Takes the next `n` bytes.
    fn take(&mut self, n: usize) -> Result<&'a [u8], CpioError> {
        if n > self.rest.len() {
            return Err(CpioError::Truncated);
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        self.pos += n;
        Ok(taken)
    }

    /// Skips to the next multiple of 4 bytes from the start of the archive.
    fn skip_padding(&mut self) -> Result<(), CpioError> {
        self.take(self.pos.wrapping_neg() % 4).map(|_| ())
    }
}

/// Decodes one 8-digit hex field of a header.
fn field(header: &[u8], which: Field) -> Result<u32, CpioError> {
    let start = 6 + 8 * which as usize;
    header[start..start + 8]
        .iter()
        .try_fold(0u32, |acc, &digit| {
            let value = char::from(digit).to_digit(16).ok_or(CpioError::BadHeader)?;
            Ok(acc << 4 | value)
        })
}

/// Drops a leading `./` or `/` (repeatedly) and turns `.` into `""`.
fn trim_name(mut entry: Entry<'_>) -> Entry<'_> {
    let mut name = entry.name;
    loop {
        if let Some(rest) = name.strip_prefix("./") {
            name = rest;
        } else if let Some(rest) = name.strip_prefix('/') {
            name = rest;
        } else {
            break;
        }
    }
    entry.name = if name == "." { "" } else { name };
    entry
}

/// Builds newc archives for tests (also used by `fs`'s tests).
#[cfg(test)]
pub(crate) mod build {
    use alloc::format;
    use alloc::vec::Vec;

    /// Appends one entry, with `070701` headers and all padding.
    pub fn push(archive: &mut Vec<u8>, name: &str, mode: u32, data: &[u8]) {
        push_with_mtime(archive, name, mode, data, 0);
    }

    /// Appends one entry with modification time `mtime`.
    pub fn push_with_mtime(archive: &mut Vec<u8>, name: &str, mode: u32, data: &[u8], mtime: u32) {
        #[rustfmt::skip]
        let fields = [
            1,                   // ino
            mode as usize,       // mode
            0, 0,                // uid, gid
            1,                   // nlink
            mtime as usize,      // mtime
            data.len(),          // filesize
            0, 0, 0, 0,          // devmajor, devminor, rdevmajor, rdevminor
            name.len() + 1,      // namesize, counting the NUL
            0,                   // check
        ];
        archive.extend_from_slice(b"070701");
        for field in fields {
            archive.extend_from_slice(format!("{field:08x}").as_bytes());
        }
        archive.extend_from_slice(name.as_bytes());
        archive.push(0);
        pad(archive);
        archive.extend_from_slice(data);
        pad(archive);
    }

    /// Appends the trailer.
    pub fn finish(archive: &mut Vec<u8>) {
        push(archive, "TRAILER!!!", 0, b"");
    }

    fn pad(archive: &mut Vec<u8>) {
        while !archive.len().is_multiple_of(4) {
            archive.push(0);
        }
    }

    /// An archive from `(name, mode, data)` triples, with a trailer.
    pub fn archive(entries: &[(&str, u32, &[u8])]) -> Vec<u8> {
        let mut a = Vec::new();
        for &(name, mode, data) in entries {
            push(&mut a, name, mode, data);
        }
        finish(&mut a);
        a
    }
}

#[cfg(test)]
mod fuzz_tests;

#[cfg(test)]
mod tests {
    use super::build::*;
    use super::*;
    use crate::test_util::feed_garbage;
    use alloc::vec::Vec;

    fn all(archive: &[u8]) -> Result<Vec<Entry<'_>>, CpioError> {
        entries(archive).collect()
    }

    fn sample() -> Vec<u8> {
        archive(&[
            (".", S_IFDIR | 0o755, b""),
            ("./bin", S_IFDIR | 0o755, b""),
            ("./bin/init", S_IFREG | 0o755, b"\x7fELF..."),
            ("./etc/motd", S_IFREG | 0o644, b"hello\n"),
            ("./bin/sh", S_IFLNK | 0o777, b"init"),
        ])
    }

    #[test]
    fn reads_entries_in_order() {
        let archive = sample();
        let got = all(&archive).unwrap();
        let want = [
            Entry {
                name: "",
                mode: S_IFDIR | 0o755,
                data: b"",
                mtime: 0,
            },
            Entry {
                name: "bin",
                mode: S_IFDIR | 0o755,
                data: b"",
                mtime: 0,
            },
            Entry {
                name: "bin/init",
                mode: S_IFREG | 0o755,
                data: b"\x7fELF...",
                mtime: 0,
            },
            Entry {
                name: "etc/motd",
                mode: S_IFREG | 0o644,
                data: b"hello\n",
                mtime: 0,
            },
            Entry {
                name: "bin/sh",
                mode: S_IFLNK | 0o777,
                data: b"init",
                mtime: 0,
            },
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn every_padding_length() {
        // Names and data of lengths 0..8 exercise each padding amount.
        let names = [
            "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh",
        ];
        let data: &[u8] = b"0123456789";
        let mut a = Vec::new();
        for (i, name) in names.iter().enumerate() {
            push(&mut a, name, S_IFREG | 0o600, &data[..i]);
        }
        finish(&mut a);
        let got = all(&a).unwrap();
        assert_eq!(got.len(), names.len());
        for (i, entry) in got.iter().enumerate() {
            assert_eq!(entry.name, names[i]);
            assert_eq!(entry.data, &data[..i]);
        }
    }

    #[test]
    fn strips_leading_slashes_and_dots() {
        let a = archive(&[
            ("/abs", S_IFREG, b""),
            ("././x", S_IFREG, b""),
            ("./", S_IFDIR, b""),
            ("a/./b", S_IFREG, b""),
        ]);
        let names: Vec<&str> = all(&a).unwrap().iter().map(|e| e.name).collect();
        assert_eq!(names, ["abs", "x", "", "a/./b"]);
    }

    #[test]
    fn stops_at_trailer() {
        let mut a = archive(&[("one", S_IFREG, b"1")]);
        push(&mut a, "after", S_IFREG, b"2");
        a.extend_from_slice(&[0; 512]);
        let names: Vec<&str> = all(&a).unwrap().iter().map(|e| e.name).collect();
        assert_eq!(names, ["one"]);
    }

    #[test]
    fn empty_archive() {
        assert_eq!(all(b""), Ok(Vec::new()));
        assert_eq!(all(&archive(&[])), Ok(Vec::new()));
    }

    #[test]
    fn missing_trailer_is_truncation() {
        let mut a = Vec::new();
        push(&mut a, "file", S_IFREG, b"data");
        let mut it = entries(&a);
        assert_eq!(it.next().unwrap().unwrap().name, "file");
        assert_eq!(it.next(), Some(Err(CpioError::Truncated)));
        assert_eq!(it.next(), None);
    }

    #[test]
    fn truncated_data() {
        let a = sample();
        // Cut inside the data of the last entry (the trailer is 124 bytes).
        let cut = a.len() - 124 - 2;
        assert_eq!(all(&a[..cut]), Err(CpioError::Truncated));
    }

    #[test]
    fn bad_magic() {
        let mut a = sample();
        a[5] = b'7'; // "070707" is the old portable format
        assert_eq!(all(&a), Err(CpioError::BadMagic));
        assert_eq!(all(&[b'x'; 200]), Err(CpioError::BadMagic));
    }

    #[test]
    fn crc_magic_is_accepted() {
        let mut a = sample();
        a[5] = b'2';
        assert_eq!(all(&a).unwrap().len(), 5);
    }

    #[test]
    fn bad_hex_field() {
        for (at, byte) in [(14, b'g'), (21, b' '), (54, b'+'), (94, b'-')] {
            let mut a = sample();
            a[at] = byte;
            assert_eq!(all(&a), Err(CpioError::BadHeader), "byte {at}");
        }
    }

    #[test]
    fn uppercase_hex_is_fine() {
        let mut a = Vec::new();
        push(&mut a, "f", 0o100644, b"");
        finish(&mut a);
        // mode 000081a4 -> 000081A4
        assert_eq!(&a[14..22], b"000081a4");
        a[20] = b'A';
        assert_eq!(all(&a).unwrap()[0].mode, 0o100644);
    }

    #[test]
    fn bad_names() {
        // namesize 0: no room for the NUL.
        let mut a = sample();
        a[94..102].copy_from_slice(b"00000000");
        assert_eq!(all(&a), Err(CpioError::BadName));
        // Name not NUL terminated.
        let mut a = Vec::new();
        push(&mut a, "abc", S_IFREG, b"");
        a[110 + 3] = b'd';
        assert_eq!(all(&a), Err(CpioError::BadName));
        // Not UTF-8.
        let mut a = Vec::new();
        push(&mut a, "abc", S_IFREG, b"");
        a[110] = 0xff;
        assert_eq!(all(&a), Err(CpioError::BadName));
    }

    #[test]
    fn mode_helpers() {
        assert!(is_dir(S_IFDIR | 0o755));
        assert!(!is_dir(S_IFREG | 0o755));
        assert!(is_file(S_IFREG));
        assert!(!is_file(S_IFLNK)); // S_IFLNK shares bits with S_IFREG
        assert!(is_symlink(S_IFLNK | 0o777));
        assert!(!is_symlink(S_IFREG));
        assert!(!is_dir(0o060000)); // block device shares bits with S_IFDIR
    }

    #[test]
    fn garbage_never_panics() {
        let a = sample();
        let accepted = feed_garbage(&a, |bytes| entries(bytes).all(|e| e.is_ok()));
        assert!(accepted > 0);
    }
}
