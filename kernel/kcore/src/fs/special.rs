//! Special files made by `mknod`: FIFOs and device nodes (and regular
//! files, which `mknod` can make too). This file decides, from `mknod`'s
//! mode and device number, what kind of node to make, with Linux's errors
//! for a type `mknod` cannot make; [`Tree::mknod_at`] puts it in the tree.
//!
//! vibix has no FIFO buffers and no drivers beyond its few character
//! devices: a FIFO or block device node can be made, looked at (`stat`),
//! renamed, linked, chmod'ed and removed like any node, but opening one
//! fails with `ENXIO` (what Linux answers for a device with no driver).

use super::{FileData, Ino, NodeKind, PERMISSION_BITS, Tree};
use crate::errno::Errno;
use vibix_uapi::stat::{S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK};

// ANCHOR: mknod_kind
/// The node `mknod(path, mode, dev)` makes, by `mode`'s type bits: a
/// regular file for `S_IFREG` or no type, a FIFO, a character or block
/// device numbered `dev` (the kernel's encoding, as `st_rdev` shows it).
///
/// Errors, as Linux's: `EPERM` for a directory (`mkdir` makes those),
/// `EINVAL` for a symlink or a type that does not exist. A socket node
/// (`S_IFSOCK`) is also `EINVAL` here: vibix has no Unix sockets.
pub fn mknod_kind(mode: u32, dev: u32) -> Result<NodeKind, Errno> {
    match mode & S_IFMT {
        0 | S_IFREG => Ok(NodeKind::File(FileData::new())),
        S_IFIFO => Ok(NodeKind::Fifo),
        S_IFCHR => Ok(NodeKind::CharDev(dev)),
        S_IFBLK => Ok(NodeKind::BlockDev(dev)),
        S_IFDIR => Err(Errno::EPERM),
        S_IFSOCK => Err(Errno::EINVAL),
        _ => Err(Errno::EINVAL),
    }
}
// ANCHOR_END: mknod_kind

impl Tree {
    /// `mknod(path, mode, dev)` from directory `start`: a new node of the
    /// kind [`mknod_kind`] gives, with `mode`'s permission bits (the caller
    /// has taken the umask away).
    ///
    /// Errors, in Linux's order: those of [`mknod_kind`] (before the path
    /// is looked at), then those of creating a non-directory (`EEXIST`,
    /// `ENOENT`, `ENOTDIR`, ...).
    pub fn mknod_at(&mut self, start: Ino, path: &[u8], mode: u32, dev: u32) -> Result<Ino, Errno> {
        let kind = mknod_kind(mode, dev)?;
        let (dir, name) = self.new_nondir(start, path)?;
        self.create(dir, &name, kind, mode & PERMISSION_BITS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::{FileType, ROOT};

    #[test]
    fn kinds_by_mode() {
        assert_eq!(mknod_kind(0o644, 0), Ok(NodeKind::File(FileData::new())));
        assert_eq!(
            mknod_kind(S_IFREG | 0o644, 7),
            Ok(NodeKind::File(FileData::new()))
        );
        assert_eq!(mknod_kind(S_IFIFO | 0o644, 0), Ok(NodeKind::Fifo));
        assert_eq!(
            mknod_kind(S_IFCHR | 0o644, 0x103),
            Ok(NodeKind::CharDev(0x103))
        );
        assert_eq!(
            mknod_kind(S_IFBLK | 0o644, 0x801),
            Ok(NodeKind::BlockDev(0x801))
        );
        assert_eq!(mknod_kind(S_IFDIR | 0o755, 0), Err(Errno::EPERM));
        assert_eq!(mknod_kind(0o120000 | 0o777, 0), Err(Errno::EINVAL));
        assert_eq!(mknod_kind(0o030000, 0), Err(Errno::EINVAL));
    }

    #[test]
    fn mknod_makes_nodes_with_their_type_and_mode() {
        let mut t = Tree::new();
        let fifo = t.mknod_at(ROOT, b"fifo", S_IFIFO | 0o4640, 0).unwrap();
        assert_eq!(t.node(fifo).file_type(), FileType::Fifo);
        assert_eq!(t.node(fifo).mode, 0o4640);
        let blk = t.mknod_at(ROOT, b"blk", S_IFBLK | 0o600, 0x801).unwrap();
        assert_eq!(t.node(blk).kind, NodeKind::BlockDev(0x801));
        assert_eq!(t.node(blk).file_type().mode_bits(), S_IFBLK);
        assert_eq!(FileType::Fifo.mode_bits(), S_IFIFO);
        assert_eq!(FileType::Fifo.dirent_type(), 1);
        assert_eq!(FileType::BlockDev.dirent_type(), 6);
    }

    #[test]
    fn mknod_errors_in_linux_order() {
        let mut t = Tree::new();
        t.mknod_at(ROOT, b"f", S_IFIFO | 0o644, 0).unwrap();
        assert_eq!(
            t.mknod_at(ROOT, b"f", S_IFIFO | 0o644, 0),
            Err(Errno::EEXIST)
        );
        assert_eq!(t.mknod_at(ROOT, b"no/f", S_IFIFO, 0), Err(Errno::ENOENT));
        assert_eq!(t.mknod_at(ROOT, b"f/g", S_IFIFO, 0), Err(Errno::ENOTDIR));
        // The type is checked before the path.
        assert_eq!(
            t.mknod_at(ROOT, b"f", S_IFDIR | 0o755, 0),
            Err(Errno::EPERM)
        );
        assert_eq!(t.mknod_at(ROOT, b"no/f", 0o170000, 0), Err(Errno::EINVAL));
    }

    #[test]
    fn fifos_and_block_devices_do_not_open() {
        let mut t = Tree::new();
        t.mknod_at(ROOT, b"fifo", S_IFIFO | 0o644, 0).unwrap();
        t.mknod_at(ROOT, b"blk", S_IFBLK | 0o644, 0x801).unwrap();
        assert_eq!(t.open(ROOT, b"fifo", 0, 0), Err(Errno::ENXIO));
        assert_eq!(t.open(ROOT, b"blk", 0, 0), Err(Errno::ENXIO));
    }
}
