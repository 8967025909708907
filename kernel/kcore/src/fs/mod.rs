//! The in-memory file tree (the kernel's ramfs).
//!
//! A [`Tree`] is a table of [`Node`]s indexed by inode number ([`Ino`]).
//! Directories map names to inode numbers; every node remembers its parent
//! directory, which is how `..` and [`Tree::path_of`] work. Inode 0 is the
//! root, `/`, and its parent is itself.
//!
//! The tree starts out as a copy of the initramfs ([`Tree::from_cpio`]). It
//! is written so that creating, and later removing, nodes fits in: inode
//! numbers are never reused while a node exists, and a removed node will
//! leave an empty slot rather than shift the others.
//!
//! The submodules hold the two bigger algorithms: path resolution
//! ([`lookup`](Tree::lookup) and friends) and loading from cpio.

mod from_cpio;
mod lookup;
#[cfg(test)]
mod tests;

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use crate::errno::Errno;
use crate::path::NAME_MAX;

/// An inode number: the index of a node in its [`Tree`].
pub type Ino = usize;

/// The root directory's inode number.
pub const ROOT: Ino = 0;

/// The permission bits of a mode (`S_ISUID`, `S_ISGID`, sticky, `rwxrwxrwx`).
const PERMISSION_BITS: u32 = 0o7777;

/// What a node is, with its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A directory: name → inode. Never holds `.` or `..`.
    Dir(BTreeMap<Vec<u8>, Ino>),
    /// A regular file and its bytes.
    File(Vec<u8>),
    /// A symbolic link and its target path.
    Symlink(Vec<u8>),
    /// A character device, by device id (the driver decides what it means).
    CharDev(u32),
}

/// One file, directory, link or device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Permission bits only (`0o7777`); the type is in `kind`.
    pub mode: u32,
    /// The directory containing this node (for the root: the root).
    pub parent: Ino,
    /// Number of names for this node, counted as Linux does: a directory has
    /// 2 (its name and its `.`) plus one per subdirectory (their `..`).
    pub nlink: u32,
}

impl Node {
    /// Whether this is a directory.
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir(_))
    }

    /// The entries, if this is a directory.
    pub fn entries(&self) -> Option<&BTreeMap<Vec<u8>, Ino>> {
        match &self.kind {
            NodeKind::Dir(entries) => Some(entries),
            _ => None,
        }
    }
}

/// A file tree held in memory.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Indexed by inode number; `None` marks a free slot.
    nodes: Vec<Option<Node>>,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

impl Tree {
    /// The root directory's inode number (same as [`ROOT`]).
    pub const ROOT: Ino = ROOT;

    /// A tree holding only an empty root directory (mode `0o755`).
    pub fn new() -> Tree {
        let root = Node {
            kind: NodeKind::Dir(BTreeMap::new()),
            mode: 0o755,
            parent: ROOT,
            nlink: 2,
        };
        Tree {
            nodes: vec![Some(root)],
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

    /// The inode called `name` in directory `dir`, without following
    /// symlinks. `None` if `dir` is not a directory or has no such entry.
    pub fn child(&self, dir: Ino, name: &[u8]) -> Option<Ino> {
        self.node(dir).entries()?.get(name).copied()
    }

    /// Creates `name` in directory `dir`. `mode` is reduced to its
    /// permission bits.
    ///
    /// Errors: `ENOTDIR` if `dir` is not a directory; `ENOENT` for an empty
    /// name; `EEXIST` if the name is taken (`.` and `..` always are);
    /// `ENAMETOOLONG` for a name over `NAME_MAX`; `EINVAL` for a name with `/`
    /// or NUL in it, or a `Dir` kind that is not empty.
    pub fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        kind: NodeKind,
        mode: u32,
    ) -> Result<Ino, Errno> {
        let entries = self.node(dir).entries().ok_or(Errno::ENOTDIR)?;
        match name {
            b"" => return Err(Errno::ENOENT),
            b"." | b".." => return Err(Errno::EEXIST),
            _ if name.len() > NAME_MAX => return Err(Errno::ENAMETOOLONG),
            _ if name.contains(&b'/') || name.contains(&0) => return Err(Errno::EINVAL),
            _ if entries.contains_key(name) => return Err(Errno::EEXIST),
            _ => {}
        }
        if matches!(&kind, NodeKind::Dir(entries) if !entries.is_empty()) {
            return Err(Errno::EINVAL);
        }

        let is_dir = matches!(kind, NodeKind::Dir(_));
        let ino = self.nodes.len();
        self.nodes.push(Some(Node {
            kind,
            mode: mode & PERMISSION_BITS,
            parent: dir,
            nlink: if is_dir { 2 } else { 1 },
        }));
        let parent = self.node_mut(dir);
        if let NodeKind::Dir(entries) = &mut parent.kind {
            entries.insert(name.to_vec(), ino);
        }
        if is_dir {
            parent.nlink += 1;
        }
        Ok(ino)
    }

    /// An absolute path naming `ino`, e.g. `/usr/bin` (`/` for the root).
    ///
    /// For a non-directory this is the name it was created under.
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
        self.node(dir)
            .entries()?
            .iter()
            .find(|&(_, &child)| child == ino)
            .map(|(name, _)| name.as_slice())
    }
}
