//! The in-memory file tree (the kernel's ramfs, writable like tmpfs).
//!
//! A [`Tree`] is a table of [`Node`]s indexed by inode number ([`Ino`]).
//! Directories map names to inode numbers; every directory remembers its
//! parent, which is how `..` and [`Tree::path_of`] work. Inode 0 is the
//! root, `/`, and its parent is itself.
//!
//! The tree starts out as a copy of the initramfs ([`Tree::from_cpio`]) and
//! is then changed by the file system calls: the submodules hold the bigger
//! algorithms, path resolution ([`lookup`](Tree::lookup) and friends),
//! loading from cpio, the operations on names ([`ops`]: unlink, rmdir,
//! link, rename, ...), file data and open references (`data.rs`), directory
//! listings ([`dir`], [`dirent`]), timestamps ([`times`]).
//!
//! # When a node goes away
//!
//! A node lives while something refers to it: a name in a directory
//! (counted in [`Node::nlink`]) or an open file description (counted by
//! [`Tree::open_ref`] and [`Tree::close_ref`]). Unlinking the last name of
//! a file that is still open leaves it nameless but whole: reads and writes
//! through the open descriptor keep working, and the node and its data are
//! freed when the last descriptor closes. A removed directory lingers the
//! same way, empty, and nothing can be created in it.
//!
//! A freed inode number may be given to a later node, so whoever keeps an
//! [`Ino`] across system calls (an open file, a working directory) must hold
//! an open reference for it.

mod data;
pub mod dir;
pub mod dirent;
mod from_cpio;
mod lookup;
pub mod ops;
pub mod pages;
pub mod special;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ops;
#[cfg(test)]
mod tests_pages;
#[cfg(test)]
mod tests_times;
pub mod times;

use alloc::vec;
use alloc::vec::Vec;

use crate::cpio::{S_IFDIR, S_IFLNK, S_IFREG};
use crate::errno::Errno;
use crate::path::NAME_MAX;

pub use data::capacity_for_ram;
pub use dir::Dir;
pub use lookup::{MAX_SYMLINKS, Resolved};
pub use pages::FileData;
pub use times::{TimeChange, Times, Timestamp};

/// An inode number: the index of a node in its [`Tree`].
pub type Ino = usize;

/// The root directory's inode number.
pub const ROOT: Ino = 0;

/// The permission bits of a mode (`S_ISUID`, `S_ISGID`, sticky, `rwxrwxrwx`).
pub const PERMISSION_BITS: u32 = 0o7777;

/// The file type bits of a character device in `st_mode`.
pub const S_IFCHR: u32 = 0o020000;

/// The number `stat` and `getdents64` report for inode `ino` (`st_ino`,
/// `d_ino`). Inode 0 is the root here, but some programs take a `d_ino` of
/// 0 for an empty slot, so the numbers start at 1.
pub fn inode_number(ino: Ino) -> u64 {
    ino as u64 + 1
}

/// What a node is, with its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A directory: name → inode. Never holds `.` or `..`.
    Dir(Dir),
    /// A regular file and its bytes. Change them through [`Tree`]'s methods
    /// only ([`Tree::write_at`], [`Tree::truncate`]): the tree counts them.
    File(FileData),
    /// A symbolic link and its target path.
    Symlink(Vec<u8>),
    /// A character device, by device number (`st_rdev`: major << 8 | minor
    /// for small numbers, as Linux encodes it). The kernel decides what
    /// reading and writing it do.
    CharDev(u32),
    /// A block device, by device number (as for [`NodeKind::CharDev`]).
    /// Made only by `mknod`; no driver stands behind it.
    BlockDev(u32),
    /// A FIFO (named pipe), made by `mknod`/`mkfifo`.
    Fifo,
}

/// The type of a node, without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Dir,
    File,
    Symlink,
    CharDev,
    BlockDev,
    Fifo,
}

impl FileType {
    /// The file type bits of `st_mode` (`S_IFDIR`, ...).
    pub fn mode_bits(self) -> u32 {
        match self {
            FileType::Dir => S_IFDIR,
            FileType::File => S_IFREG,
            FileType::Symlink => S_IFLNK,
            FileType::CharDev => S_IFCHR,
            FileType::BlockDev => vibix_uapi::stat::S_IFBLK,
            FileType::Fifo => vibix_uapi::stat::S_IFIFO,
        }
    }

    /// The `d_type` of a `linux_dirent64` (`DT_DIR` = 4, ...): the mode's
    /// type bits shifted down, as Linux defines them.
    pub fn dirent_type(self) -> u8 {
        (self.mode_bits() >> 12) as u8
    }
}

/// One file, directory, link or device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Permission bits only (`0o7777`); the type is in `kind`.
    pub mode: u32,
    /// For a directory, the directory containing it (for the root, and for
    /// a removed directory: itself). For anything else, the directory it
    /// was created in, which need not hold it any more (hard links move
    /// around): only directories' parents mean something.
    pub parent: Ino,
    /// Number of names for this node, counted as Linux does: a directory has
    /// 2 (its name and its `.`) plus one per subdirectory (their `..`).
    /// 0 once the last name is gone (the node lives on while open).
    pub nlink: u32,
    /// Open references ([`Tree::open_ref`]).
    open: u32,
    /// Access, modification and change times (see [`times`]).
    pub times: Times,
}

impl Node {
    fn new(kind: NodeKind, mode: u32, parent: Ino, now: Timestamp) -> Node {
        let nlink = if matches!(kind, NodeKind::Dir(_)) {
            2
        } else {
            1
        };
        Node {
            kind,
            mode: mode & PERMISSION_BITS,
            parent,
            nlink,
            open: 0,
            times: Times::all(now),
        }
    }

    /// Whether this is a directory.
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir(_))
    }

    /// The entries, if this is a directory.
    pub fn entries(&self) -> Option<&Dir> {
        match &self.kind {
            NodeKind::Dir(entries) => Some(entries),
            _ => None,
        }
    }

    /// What kind of node this is.
    pub fn file_type(&self) -> FileType {
        match self.kind {
            NodeKind::Dir(_) => FileType::Dir,
            NodeKind::File(_) => FileType::File,
            NodeKind::Symlink(_) => FileType::Symlink,
            NodeKind::CharDev(_) => FileType::CharDev,
            NodeKind::BlockDev(_) => FileType::BlockDev,
            NodeKind::Fifo => FileType::Fifo,
        }
    }

    /// `st_size`: a file's length, a symlink's target length, 0 otherwise.
    pub fn size(&self) -> u64 {
        match &self.kind {
            NodeKind::File(data) => data.len() as u64,
            NodeKind::Symlink(target) => target.len() as u64,
            _ => 0,
        }
    }

    /// How many open references the node has.
    pub fn open_count(&self) -> u32 {
        self.open
    }

    /// Whether this is a directory that was removed (and lives on only
    /// because it is open): it is empty and nothing can be added to it.
    pub fn is_removed_dir(&self) -> bool {
        self.is_dir() && self.nlink == 0
    }
}

/// A file tree held in memory.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Indexed by inode number; `None` marks a free slot.
    nodes: Vec<Option<Node>>,
    /// Free slots, reused before the table grows.
    free: Vec<Ino>,
    /// Bytes of file data held by all files.
    used: usize,
    /// The most bytes of file data the tree may hold (`ENOSPC` beyond).
    capacity: usize,
    /// Where files' pages come from.
    pages: &'static pages::PageSource,
    /// The current time, as the tree's owner last set it: what operations
    /// stamp nodes with ([`Tree::set_clock`]).
    clock: Timestamp,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

impl Tree {
    /// The root directory's inode number (same as [`ROOT`]).
    pub const ROOT: Ino = ROOT;

    /// A tree holding only an empty root directory (mode `0o755`), with no
    /// limit on file data, and its clock at 1970-01-01 (the root's times).
    pub fn new() -> Tree {
        let clock = Timestamp::default();
        Tree {
            nodes: vec![Some(Node::new(
                NodeKind::Dir(Dir::new()),
                0o755,
                ROOT,
                clock,
            ))],
            free: Vec::new(),
            used: 0,
            capacity: usize::MAX,
            pages: &pages::HEAP_PAGES,
            clock,
        }
    }

    /// The node `ino`, if it exists.
    pub fn get(&self, ino: Ino) -> Option<&Node> {
        self.nodes.get(ino)?.as_ref()
    }

    /// The node `ino`.
    ///
    /// # Panics
    ///
    /// If there is no such node: inode numbers come from this tree, so that
    /// is a kernel bug. Use [`Tree::get`] for numbers of unknown origin.
    pub fn node(&self, ino: Ino) -> &Node {
        self.get(ino).expect("no such inode")
    }

    /// The node `ino`, for changing it.
    ///
    /// # Panics
    ///
    /// If there is no such node, like [`Tree::node`].
    pub fn node_mut(&mut self, ino: Ino) -> &mut Node {
        self.nodes
            .get_mut(ino)
            .and_then(Option::as_mut)
            .expect("no such inode")
    }

    /// How many nodes exist.
    pub fn node_count(&self) -> usize {
        self.nodes.len() - self.free.len()
    }

    /// The inode called `name` in directory `dir`, without following
    /// symlinks. `None` if `dir` is not a directory or has no such entry.
    pub fn child(&self, dir: Ino, name: &[u8]) -> Option<Ino> {
        self.node(dir).entries()?.get(name)
    }

    /// Creates `name` in directory `dir`. `mode` is reduced to its
    /// permission bits (a symlink's are always `0o777`). The new node's
    /// times are the clock's, and so become the directory's modification
    /// and change times.
    ///
    /// Errors: `ENOTDIR` if `dir` is not a directory; `ENOENT` for an empty
    /// name or a removed `dir`; `EEXIST` if the name is taken (`.` and `..`
    /// always are); `ENAMETOOLONG` for a name over `NAME_MAX`; `EINVAL` for
    /// a name with `/` or NUL in it, or a `Dir` kind that is not empty;
    /// `ENOSPC` if a file's data does not fit the capacity.
    pub fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        kind: NodeKind,
        mode: u32,
    ) -> Result<Ino, Errno> {
        self.check_new_name(dir, name)?;
        let bytes = match &kind {
            NodeKind::Dir(entries) if !entries.is_empty() => return Err(Errno::EINVAL),
            NodeKind::File(data) => data.len(),
            _ => 0,
        };
        self.charge(0, bytes)?;

        let is_dir = matches!(kind, NodeKind::Dir(_));
        let mode = if matches!(kind, NodeKind::Symlink(_)) {
            0o777
        } else {
            mode
        };
        let ino = self.alloc(Node::new(kind, mode, dir, self.clock));
        self.mark_modified(dir);
        let parent = self.node_mut(dir);
        if let NodeKind::Dir(entries) = &mut parent.kind {
            entries.insert(name, ino);
        }
        if is_dir {
            parent.nlink += 1;
        }
        Ok(ino)
    }

    /// Checks that `name` can be added to directory `dir`: the errors of
    /// [`Tree::create`] that are about the name.
    pub(super) fn check_new_name(&self, dir: Ino, name: &[u8]) -> Result<(), Errno> {
        let parent = self.node(dir);
        let entries = parent.entries().ok_or(Errno::ENOTDIR)?;
        match name {
            b"" => Err(Errno::ENOENT),
            b"." | b".." => Err(Errno::EEXIST),
            _ if name.len() > NAME_MAX => Err(Errno::ENAMETOOLONG),
            _ if name.contains(&b'/') || name.contains(&0) => Err(Errno::EINVAL),
            _ if entries.contains(name) => Err(Errno::EEXIST),
            _ if parent.is_removed_dir() => Err(Errno::ENOENT),
            _ => Ok(()),
        }
    }

    /// Puts `node` in a free slot, or a new one.
    fn alloc(&mut self, node: Node) -> Ino {
        match self.free.pop() {
            Some(ino) => {
                self.nodes[ino] = Some(node);
                ino
            }
            None => {
                self.nodes.push(Some(node));
                self.nodes.len() - 1
            }
        }
    }

    /// Frees `ino` if nothing refers to it any more: no name, not open.
    /// Returns whether it did.
    fn release_if_unused(&mut self, ino: Ino) -> bool {
        let node = self.node(ino);
        if ino == ROOT || node.nlink > 0 || node.open > 0 {
            return false;
        }
        if let NodeKind::File(data) = &node.kind {
            self.used -= data.len();
        }
        self.nodes[ino] = None;
        self.free.push(ino);
        true
    }

    /// An absolute path naming directory `ino`, e.g. `/usr/bin` (`/` for
    /// the root, and for a removed directory: check
    /// [`Node::is_removed_dir`] first where that matters, as `getcwd`
    /// does).
    ///
    /// For a non-directory this is the name it was created under, if the
    /// directory it was created in still holds it.
    pub fn path_of(&self, ino: Ino) -> Vec<u8> {
        let mut names: Vec<&[u8]> = Vec::new();
        let mut cur = ino;
        // Bounded by the number of nodes, in case of a damaged tree.
        while cur != ROOT && names.len() < self.nodes.len() {
            let parent = self.node(cur).parent;
            let Some(name) = self.name_in(parent, cur) else {
                break;
            };
            names.push(name);
            cur = parent;
        }
        if names.is_empty() {
            return b"/".to_vec();
        }
        let mut path = Vec::new();
        for name in names.iter().rev() {
            path.push(b'/');
            path.extend_from_slice(name);
        }
        path
    }

    /// The name under which `dir` holds `ino`.
    fn name_in(&self, dir: Ino, ino: Ino) -> Option<&[u8]> {
        self.get(dir)?
            .entries()?
            .iter()
            .find(|&(_, child)| child == ino)
            .map(|(name, _)| name)
    }
}
