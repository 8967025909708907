//! File data and open references.
//!
//! A regular file's bytes are a [`FileData`]: a list of pages, where a gap
//! left by writing past the end is a hole that reads as zeros, as a sparse
//! file reads on Linux. The tree counts the sizes of all files against a
//! capacity, like tmpfs's `size=`: going over it is `ENOSPC`, and so is
//! running out of memory while growing a file (each page is tried, not
//! assumed).
//!
//! Reading and writing stamp the file's times as Linux does (see
//! [`times`](super::times)): a read asking for at least one byte may move
//! the access time, a write of at least one byte and a truncate that
//! changes the size move the modification and change times.

use super::pages::PageSource;
use super::{FileData, Ino, NodeKind, Tree};
use crate::errno::Errno;

// ANCHOR: open_refs
impl Tree {
    /// Records that an open file description refers to `ino`, which keeps
    /// the node (and a file's data) alive after its last name is removed.
    /// Every `open_ref` needs one [`Tree::close_ref`].
    pub fn open_ref(&mut self, ino: Ino) {
        self.node_mut(ino).open += 1;
    }

    /// Drops a reference taken by [`Tree::open_ref`]. If it was the last
    /// one and the node has no name left, the node is freed (and its inode
    /// number may be reused). Returns whether that happened.
    ///
    /// # Panics
    ///
    /// If `ino` has no open reference: a kernel bug.
    pub fn close_ref(&mut self, ino: Ino) -> bool {
        let node = self.node_mut(ino);
        node.open = node
            .open
            .checked_sub(1)
            .expect("close_ref without open_ref");
        self.release_if_unused(ino)
    }
}
// ANCHOR_END: open_refs

/// How much file data a tree may hold on a machine with `ram` bytes of
/// memory: half of it, tmpfs's default `size=` (the rest is for programs
/// and the kernel; running out of memory first is `ENOSPC` all the same).
pub const fn capacity_for_ram(ram: usize) -> usize {
    ram / 2
}

impl Tree {
    /// Limits file data to `bytes` in all (`ENOSPC` beyond). Data already
    /// held stays, even if it is more.
    pub fn set_capacity(&mut self, bytes: usize) {
        self.capacity = bytes;
    }

    /// Takes the pages of file data from `source` from now on (files
    /// keep the source of their first page).
    pub fn set_page_source(&mut self, source: &'static PageSource) {
        self.pages = source;
    }

    /// Bytes of file data held by all files (open, unlinked ones included).
    pub fn used_bytes(&self) -> usize {
        self.used
    }

    /// Accounts for a file changing from `old` to `new` bytes: `ENOSPC` if
    /// growing goes over the capacity (shrinking always fits).
    pub(super) fn charge(&mut self, old: usize, new: usize) -> Result<(), Errno> {
        if new <= old {
            self.used -= old - new;
            return Ok(());
        }
        let used = self.used - old;
        if new > self.capacity.saturating_sub(used) {
            return Err(Errno::ENOSPC);
        }
        self.used = used + new;
        Ok(())
    }

    /// The data of regular file `ino`; `EISDIR` for a directory, `EINVAL`
    /// for anything else.
    fn data_mut(&mut self, ino: Ino) -> Result<&mut FileData, Errno> {
        match &mut self.node_mut(ino).kind {
            NodeKind::File(data) => Ok(data),
            NodeKind::Dir(_) => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    /// The data of file `ino`, which is being mapped into memory: that
    /// counts as a read of the file (its access time, under `relatime`),
    /// as on Linux. `ENODEV` for anything but a regular file (`mmap`'s
    /// answer).
    pub fn map_file(&mut self, ino: Ino) -> Result<&FileData, Errno> {
        if !matches!(self.node(ino).kind, NodeKind::File(_)) {
            return Err(Errno::ENODEV);
        }
        self.mark_accessed(ino);
        match &self.node(ino).kind {
            NodeKind::File(data) => Ok(data),
            _ => unreachable!("a regular file, checked above"),
        }
    }

    /// Copies bytes of file `ino` from `offset` into `buf`; returns how many
    /// (0 at or past the end). A non-empty `buf` counts as a read of the
    /// file (its access time, under `relatime`), even at the end.
    ///
    /// Errors: `EISDIR` for a directory, `EINVAL` for other non-files.
    pub fn read_at(&mut self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Errno> {
        let n = match &self.node(ino).kind {
            NodeKind::File(data) => data.read(offset, buf),
            NodeKind::Dir(_) => return Err(Errno::EISDIR),
            _ => return Err(Errno::EINVAL),
        };
        if !buf.is_empty() {
            self.mark_accessed(ino);
        }
        Ok(n)
    }

    /// Writes `bytes` into file `ino` at `offset`, growing it (a gap reads
    /// as zeros) as needed; returns `bytes.len()`. Writing nothing changes
    /// nothing, even past the end.
    ///
    /// Errors: `EISDIR` for a directory, `EINVAL` for other non-files,
    /// `ENOSPC` if the file would not fit (see the module docs); a failed
    /// write changes nothing.
    pub fn write_at(&mut self, ino: Ino, offset: u64, bytes: &[u8]) -> Result<usize, Errno> {
        self.data_mut(ino)?;
        if bytes.is_empty() {
            return Ok(0);
        }
        let start = usize::try_from(offset).map_err(|_| Errno::ENOSPC)?;
        let end = start.checked_add(bytes.len()).ok_or(Errno::ENOSPC)?;
        let old = self.data_mut(ino)?.len();
        // Overwriting within the file needs no room.
        let new = old.max(end);
        self.charge(old, new)?;
        let source = self.pages;
        if self.data_mut(ino)?.write(start, bytes, source).is_err() {
            let _ = self.charge(new, old);
            return Err(Errno::ENOSPC);
        }
        self.mark_modified(ino);
        Ok(bytes.len())
    }

    /// Sets the length of file `ino` to `len`: cuts it, or extends it with
    /// zeros. A new size moves the modification and change times; the same
    /// size changes nothing (as on tmpfs).
    ///
    /// Errors: `EISDIR` for a directory, `EINVAL` for other non-files,
    /// `ENOSPC` if it does not fit.
    pub fn truncate(&mut self, ino: Ino, len: u64) -> Result<(), Errno> {
        let old = self.data_mut(ino)?.len();
        let len = usize::try_from(len).map_err(|_| Errno::ENOSPC)?;
        if len != old {
            self.charge(old, len)?;
            let source = self.pages;
            if self.data_mut(ino)?.set_len(len, source).is_err() {
                let _ = self.charge(len, old);
                return Err(Errno::ENOSPC);
            }
            self.mark_modified(ino);
        }
        Ok(())
    }
}
