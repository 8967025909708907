//! Listing a directory: [`Tree::readdir`], and the records `getdents64`
//! fills the caller's buffer with.
//!
//! A `struct linux_dirent64` is, on every Linux architecture:
//!
//! | offset | field | |
//! |---|---|---|
//! | 0 | `d_ino: u64` | inode number |
//! | 8 | `d_off: i64` | where the *next* record starts: pass it to `lseek` to resume there |
//! | 16 | `d_reclen: u16` | this record's length |
//! | 18 | `d_type: u8` | `DT_DIR`, `DT_REG`, ... |
//! | 19 | `d_name` | the name, NUL-terminated |
//!
//! and each record is padded with zeros to a multiple of 8 bytes, so the
//! next one is aligned.

use alloc::vec::Vec;

use super::dir::{DOT_COOKIE, FIRST_ENTRY_COOKIE};
use super::{FileType, Ino, Tree, inode_number};
use crate::errno::Errno;

/// Where `d_name` starts in a record.
pub const NAME_OFFSET: usize = 19;

/// One entry of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirEntry<'a> {
    pub name: &'a [u8],
    pub ino: Ino,
    pub file_type: FileType,
    /// The offset that continues the listing after this entry (`d_off`).
    pub next: u64,
}

/// The length of the record for a name of `name_len` bytes.
pub fn record_len(name_len: usize) -> usize {
    (NAME_OFFSET + name_len + 1).next_multiple_of(8)
}

/// Appends the record for `entry` to `out`: every byte written, padding
/// included, so nothing else can leak to the caller.
pub fn push_record(out: &mut Vec<u8>, entry: &DirEntry<'_>) {
    let len = record_len(entry.name.len());
    let start = out.len();
    out.extend_from_slice(&inode_number(entry.ino).to_le_bytes());
    out.extend_from_slice(&(entry.next as i64).to_le_bytes());
    out.extend_from_slice(&(len as u16).to_le_bytes());
    out.push(entry.file_type.dirent_type());
    out.extend_from_slice(entry.name);
    // The NUL terminator and the padding.
    out.resize(start + len, 0);
}

impl Tree {
    /// The entries of directory `dir` from listing offset `offset` on:
    /// `.` and `..` first (offsets 0 and 1), then the others in the order
    /// they were added (see [`super::dir`]).
    ///
    /// Errors: `ENOTDIR` (not a directory), `ENOENT` (a removed directory,
    /// as Linux answers).
    pub fn readdir(
        &self,
        dir: Ino,
        offset: u64,
    ) -> Result<impl Iterator<Item = DirEntry<'_>>, Errno> {
        let node = self.node(dir);
        let entries = node.entries().ok_or(Errno::ENOTDIR)?;
        if node.is_removed_dir() {
            return Err(Errno::ENOENT);
        }
        let dots: [(u64, &[u8], Ino); 2] = [
            (DOT_COOKIE, b".", dir),
            (DOT_COOKIE + 1, b"..", node.parent),
        ];
        let dots = dots
            .into_iter()
            .filter(move |&(cookie, ..)| cookie >= offset);
        let rest = entries.from_cookie(offset.max(FIRST_ENTRY_COOKIE));
        Ok(dots.chain(rest).map(|(cookie, name, ino)| DirEntry {
            name,
            ino,
            file_type: self.node(ino).file_type(),
            next: cookie + 1,
        }))
    }

    /// What `getdents64` returns for directory `dir` at listing offset
    /// `offset` with a buffer of `room` bytes: as many whole records as
    /// fit, and the offset to continue from. No records means the end.
    ///
    /// Listing a directory reads it: its access time moves if `relatime`
    /// says so (also when the records do not fit, as on Linux).
    ///
    /// Errors: `EINVAL` if there is an entry but its record does not fit
    /// `room`, and those of [`Tree::readdir`].
    pub fn getdents64(
        &mut self,
        dir: Ino,
        offset: u64,
        room: usize,
    ) -> Result<(Vec<u8>, u64), Errno> {
        let mut out = Vec::new();
        let mut next = offset;
        let mut fits = true;
        for entry in self.readdir(dir, offset)? {
            if out.len() + record_len(entry.name.len()) > room {
                fits = !out.is_empty();
                break;
            }
            push_record(&mut out, &entry);
            next = entry.next;
        }
        self.mark_accessed(dir);
        if !fits {
            return Err(Errno::EINVAL);
        }
        Ok((out, next))
    }
}
