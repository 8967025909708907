//! Directory listings: `getdents64` fills a buffer with packed
//! `linux_dirent64` records, and [`Entries`] walks them. The walking is pure
//! logic, tested on the host (and under Miri) with hand-built buffers.

use core::ffi::CStr;

use crate::errno::{Result, check};
use crate::{nr, syscall};
use vibix_uapi::dirent::{D_NAME_OFFSET, Dirent64Header};

pub use vibix_uapi::dirent::{DT_DIR, DT_LNK, DT_REG, DT_UNKNOWN};

/// Reads the next entries of the open directory `fd` into `buf`; returns
/// how many bytes hold entries (0 at the end of the directory).
pub fn read_entries(fd: i32, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
    check(unsafe { syscall!(nr::GETDENTS64, fd, buf.as_mut_ptr(), buf.len()) })
}

/// One directory entry, borrowed from the buffer it was read into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The inode number (`d_ino`).
    pub ino: u64,
    /// The file type (`DT_*`; [`DT_UNKNOWN`] if the file system did not say).
    pub kind: u8,
    /// The name, without its NUL.
    pub name: &'a CStr,
}

impl Entry<'_> {
    /// `.` or `..`, which std's `read_dir` leaves out.
    pub fn is_dot_or_dot_dot(&self) -> bool {
        matches!(self.name.to_bytes(), b"." | b"..")
    }
}

/// The entries in the first `len` bytes `getdents64` wrote. A record that
/// does not fit its buffer, or whose name has no NUL, ends the walk: the
/// kernel never writes one, and reading past it would be reading garbage.
pub struct Entries<'a> {
    rest: &'a [u8],
}

impl<'a> Entries<'a> {
    /// Walks `buf`, the bytes `read_entries` reported.
    pub fn new(buf: &'a [u8]) -> Entries<'a> {
        Entries { rest: buf }
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        let rest = self.rest;
        if rest.len() < D_NAME_OFFSET {
            return None;
        }
        // SAFETY: `rest` holds at least `D_NAME_OFFSET` bytes, the header's
        // fields; `read_unaligned` copes with any alignment, and every bit
        // pattern is a valid `Dirent64Header` (integers only). The header's
        // trailing padding is past `D_NAME_OFFSET`, so read only the fields.
        let header = unsafe { read_header(rest) };
        let reclen = usize::from(header.d_reclen);
        if reclen < D_NAME_OFFSET + 1 || reclen > rest.len() {
            self.rest = &[];
            return None;
        }
        let Ok(name) = CStr::from_bytes_until_nul(&rest[D_NAME_OFFSET..reclen]) else {
            self.rest = &[];
            return None;
        };
        self.rest = &rest[reclen..];
        Some(Entry {
            ino: header.d_ino,
            kind: header.d_type,
            name,
        })
    }
}

/// Reads the header fields at the start of `bytes`.
///
/// # Safety
///
/// `bytes` must hold at least [`D_NAME_OFFSET`] bytes.
unsafe fn read_header(bytes: &[u8]) -> Dirent64Header {
    debug_assert!(bytes.len() >= D_NAME_OFFSET);
    let p = bytes.as_ptr();
    // SAFETY: the caller guarantees `D_NAME_OFFSET` readable bytes, which
    // cover `d_ino` (0..8), `d_off` (8..16), `d_reclen` (16..18) and
    // `d_type` (18); each read is unaligned and of plain integers.
    unsafe {
        Dirent64Header {
            d_ino: p.cast::<u64>().read_unaligned(),
            d_off: p.add(8).cast::<i64>().read_unaligned(),
            d_reclen: p.add(16).cast::<u16>().read_unaligned(),
            d_type: p.add(18).read(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// A record as the kernel writes it, padded to 8 bytes.
    fn record(ino: u64, kind: u8, name: &[u8]) -> Vec<u8> {
        let reclen = (D_NAME_OFFSET + name.len() + 1).next_multiple_of(8);
        let mut r = Vec::new();
        r.extend_from_slice(&ino.to_ne_bytes());
        r.extend_from_slice(&0i64.to_ne_bytes());
        r.extend_from_slice(&(reclen as u16).to_ne_bytes());
        r.push(kind);
        r.extend_from_slice(name);
        r.resize(reclen, 0);
        r
    }

    #[test]
    fn walks_records_in_order() {
        let mut buf = record(1, DT_DIR, b".");
        buf.extend(record(1, DT_DIR, b".."));
        buf.extend(record(7, DT_REG, b"a-longer-file-name.txt"));
        buf.extend(record(9, DT_LNK, b"l"));
        let all: Vec<_> = Entries::new(&buf).collect();
        assert_eq!(all.len(), 4);
        assert!(all[0].is_dot_or_dot_dot() && all[1].is_dot_or_dot_dot());
        assert_eq!(all[2].name.to_bytes(), b"a-longer-file-name.txt");
        assert_eq!((all[2].ino, all[2].kind), (7, DT_REG));
        assert_eq!((all[3].name.to_bytes(), all[3].kind), (&b"l"[..], DT_LNK));
        assert!(!all[3].is_dot_or_dot_dot());
    }

    #[test]
    fn stops_at_a_record_that_does_not_fit() {
        let mut buf = record(3, DT_REG, b"ok");
        let mut bad = record(4, DT_REG, b"cut");
        bad.truncate(bad.len() - 1);
        buf.extend(bad);
        let names: Vec<_> = Entries::new(&buf)
            .map(|e| e.name.to_bytes().to_vec())
            .collect();
        assert_eq!(names, [b"ok".to_vec()]);
    }

    #[test]
    fn stops_at_a_zero_length_or_unterminated_record() {
        let mut zero = record(3, DT_REG, b"x");
        zero[16..18].copy_from_slice(&0u16.to_ne_bytes());
        assert_eq!(Entries::new(&zero).count(), 0);
        let mut unterminated = record(3, DT_REG, b"abcd");
        let len = unterminated.len();
        unterminated[D_NAME_OFFSET..len].fill(b'z');
        assert_eq!(Entries::new(&unterminated).count(), 0);
        assert_eq!(Entries::new(&[0u8; 5]).count(), 0);
    }
}
