//! Building a [`Tree`] from a cpio archive (the initramfs).

use alloc::vec::Vec;

use super::{Dir, FileData, Ino, NodeKind, ROOT, Times, Timestamp, Tree, lookup::split_last};
use crate::cpio::{self, CpioError, Entry};
use crate::errno::Errno;

/// Permissions given to directories the archive does not list itself.
const IMPLICIT_DIR_MODE: u32 = 0o755;

impl Tree {
    /// A tree holding the contents of a newc `archive`.
    ///
    /// Directories, regular files (with their data) and symbolic links (the
    /// target is the entry's data) are created with their permission bits.
    /// Parent directories missing from the archive are created with mode
    /// `0o755`; a directory listed after such an implicit creation, or the
    /// root itself (`.`), just sets the mode. Device nodes, FIFOs and sockets
    /// are skipped: the kernel makes its own devices.
    ///
    /// Every node takes the entry's modification time (`mtime`) as its
    /// access, modification and change time; an implicit directory takes
    /// that of the entry that needed it. A directory's times are set after
    /// the whole archive is in, so what is created in it later does not
    /// move them. The tree's clock is left at 1970-01-01.
    ///
    /// An entry that cannot be placed (its parent is a file, it repeats the
    /// name of a non-directory, its name is too long, ...) is
    /// [`CpioError::BadName`]; damaged archives give the other errors.
    pub fn from_cpio(archive: &[u8]) -> Result<Tree, CpioError> {
        let mut tree = Tree::new();
        let mut dir_times = Vec::new();
        for entry in cpio::entries(archive) {
            let entry = entry?;
            let at = Timestamp::from_secs(i64::from(entry.mtime));
            tree.set_clock(at);
            let ino = tree.add_entry(&entry).map_err(|_| CpioError::BadName)?;
            if let Some(dir) = ino.filter(|&ino| tree.node(ino).is_dir()) {
                dir_times.push((dir, at));
            }
        }
        for (dir, at) in dir_times {
            tree.node_mut(dir).times = Times::all(at);
        }
        tree.set_clock(Timestamp::default());
        Ok(tree)
    }

    /// Adds one archive entry; returns the node it made or changed, if any
    /// (skipped kinds make none).
    fn add_entry(&mut self, entry: &Entry<'_>) -> Result<Option<Ino>, Errno> {
        let is_dir = cpio::is_dir(entry.mode);
        let kind = if is_dir {
            NodeKind::Dir(Dir::new())
        } else if cpio::is_file(entry.mode) {
            NodeKind::File(FileData::from(entry.data.to_vec()))
        } else if cpio::is_symlink(entry.mode) {
            NodeKind::Symlink(entry.data.to_vec())
        } else {
            return Ok(None);
        };

        let (dir_path, name) = split_last(entry.name.as_bytes());
        let dir = match dir_path {
            b"" => ROOT,
            _ => self.mkdir_p(dir_path, IMPLICIT_DIR_MODE)?,
        };
        let name = if name.is_empty() { b"." } else { name };
        match self.create(dir, name, kind, entry.mode) {
            Ok(ino) => Ok(Some(ino)),
            Err(Errno::EEXIST) if is_dir => {
                // Already there (created implicitly, or it is `.`): it must
                // be a directory, and takes the archive's mode.
                let existing = self.lookup(dir, name, false)?;
                let node = self.node_mut(existing);
                if !node.is_dir() {
                    return Err(Errno::EEXIST);
                }
                node.mode = entry.mode & super::PERMISSION_BITS;
                Ok(Some(existing))
            }
            Err(e) => Err(e),
        }
    }
}
