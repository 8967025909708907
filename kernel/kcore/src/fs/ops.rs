//! Changing the tree: opening (and creating), making directories and
//! links, removing names, renaming, and the checks Linux makes on the way.
//!
//! There are two layers. The primitives take a directory and a name
//! ([`Tree::unlink`], [`Tree::rmdir`], [`Tree::link`], [`Tree::rename`]) and
//! keep the link counts right. The `_at` functions take a starting
//! directory and a path, as the system calls do, and add what depends on
//! how the path is spelled: a final `.`, `..` or `/`, and trailing slashes.
//! Every error case a program can reach is Linux's, checked in Linux's
//! order where two could apply. The primitives also stamp the times Linux
//! does (see [`times`](super::times)): a directory whose entries change gets
//! a new modification and change time, a node that gains or loses a name a
//! new change time.

use alloc::vec::Vec;

use super::lookup::split_last;
use super::{Dir, FileData, Ino, NodeKind, PERMISSION_BITS, ROOT, Resolved, Tree};
use crate::errno::Errno;
use crate::path::PATH_MAX;

/// `open` flags that [`Tree::open`] looks at (`vibix_uapi::fcntl`'s values).
pub const O_ACCMODE: u32 = vibix_uapi::fcntl::O_ACCMODE as u32;
pub const O_RDONLY: u32 = vibix_uapi::fcntl::O_RDONLY as u32;
pub const O_CREAT: u32 = vibix_uapi::fcntl::O_CREAT as u32;
pub const O_EXCL: u32 = vibix_uapi::fcntl::O_EXCL as u32;
pub const O_TRUNC: u32 = vibix_uapi::fcntl::O_TRUNC as u32;
pub const O_DIRECTORY: u32 = vibix_uapi::fcntl::O_DIRECTORY as u32;
pub const O_NOFOLLOW: u32 = vibix_uapi::fcntl::O_NOFOLLOW as u32;

/// `access` modes: execute, write, read (`F_OK`, existence, is 0).
pub const X_OK: u32 = vibix_uapi::stat::X_OK as u32;
pub const W_OK: u32 = vibix_uapi::stat::W_OK as u32;
pub const R_OK: u32 = vibix_uapi::stat::R_OK as u32;

/// The bits `mkdir` keeps of its mode: permissions and the sticky bit.
const MKDIR_MODE_BITS: u32 = 0o1777;

/// How a path's last component is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// A name.
    Normal,
    /// `.` (or the path is `.`).
    Dot,
    /// `..`.
    DotDot,
    /// Only slashes: `/`.
    Root,
}

fn last_of(path: &[u8]) -> Last {
    match split_last(path).1 {
        b"" => Last::Root,
        b"." => Last::Dot,
        b".." => Last::DotDot,
        _ => Last::Normal,
    }
}

/// Whether `path` ends in `/` (after a name: `a/`, not just `/`).
fn has_trailing_slash(path: &[u8]) -> bool {
    path.len() > 1 && path.ends_with(b"/")
}

/// Checks an `access` mode: only `R_OK | W_OK | X_OK` bits, else `EINVAL`.
/// Linux checks this before it looks at the path.
pub fn check_access_mode(mode: u32) -> Result<(), Errno> {
    if mode & !(R_OK | W_OK | X_OK) != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

impl Tree {
    // ---- primitives: a directory and a name ----

    /// Removes the name `name` of a non-directory from `dir`. The node goes
    /// when its last name does, unless it is open.
    ///
    /// Errors: `ENOTDIR` (`dir` is not a directory), `ENOENT` (no such
    /// name), `EISDIR` (a directory, or `.`/`..`: that is `rmdir`'s job).
    pub fn unlink(&mut self, dir: Ino, name: &[u8]) -> Result<(), Errno> {
        let entries = self.node(dir).entries().ok_or(Errno::ENOTDIR)?;
        if name == b"." || name == b".." {
            return Err(Errno::EISDIR);
        }
        let ino = entries.get(name).ok_or(Errno::ENOENT)?;
        if self.node(ino).is_dir() {
            return Err(Errno::EISDIR);
        }
        self.dir_mut(dir).remove(name);
        self.mark_modified(dir);
        self.node_mut(ino).nlink -= 1;
        self.mark_changed(ino);
        self.release_if_unused(ino);
        Ok(())
    }

    /// Removes the empty directory `name` from `dir`. If it is open (or a
    /// working directory) it lives on, empty and closed to new entries.
    ///
    /// Errors: `ENOTDIR` (`dir`, or the entry, is not a directory),
    /// `EINVAL` (`.`), `ENOTEMPTY` (`..`, or it has entries), `ENOENT`.
    pub fn rmdir(&mut self, dir: Ino, name: &[u8]) -> Result<(), Errno> {
        let entries = self.node(dir).entries().ok_or(Errno::ENOTDIR)?;
        match name {
            b"." => return Err(Errno::EINVAL),
            b".." => return Err(Errno::ENOTEMPTY),
            _ => {}
        }
        let ino = entries.get(name).ok_or(Errno::ENOENT)?;
        match self.node(ino).entries() {
            None => return Err(Errno::ENOTDIR),
            Some(sub) if !sub.is_empty() => return Err(Errno::ENOTEMPTY),
            Some(_) => {}
        }
        self.dir_mut(dir).remove(name);
        self.mark_modified(dir);
        self.node_mut(dir).nlink -= 1;
        self.mark_changed(ino);
        self.detach_dir(ino);
        Ok(())
    }

    /// Gives node `ino` (not a directory) another name, `name` in `dir`.
    ///
    /// Errors: `EPERM` (a directory), `ENOENT` (`ino` has no name left, or
    /// `dir` was removed), `EMLINK` (too many links), and those of
    /// [`Tree::create`] for the name.
    pub fn link(&mut self, ino: Ino, dir: Ino, name: &[u8]) -> Result<(), Errno> {
        let node = self.node(ino);
        if node.is_dir() {
            return Err(Errno::EPERM);
        }
        if node.nlink == 0 {
            return Err(Errno::ENOENT);
        }
        if node.nlink == u32::MAX {
            return Err(Errno::EMLINK);
        }
        self.check_new_name(dir, name)?;
        self.dir_mut(dir).insert(name, ino);
        self.mark_modified(dir);
        self.node_mut(ino).nlink += 1;
        self.mark_changed(ino);
        Ok(())
    }

    /// The target of symlink `ino`; `EINVAL` if it is not a symlink.
    pub fn readlink(&self, ino: Ino) -> Result<&[u8], Errno> {
        match &self.node(ino).kind {
            NodeKind::Symlink(target) => Ok(target),
            _ => Err(Errno::EINVAL),
        }
    }

    /// Sets the permission bits of `ino` (the rest of `mode` is ignored);
    /// its change time becomes now, even if the bits are the same.
    pub fn chmod(&mut self, ino: Ino, mode: u32) {
        self.node_mut(ino).mode = mode & PERMISSION_BITS;
        self.mark_changed(ino);
    }

    /// Whether the superuser may access `ino` as `mode` asks (every vibix
    /// process is root): reading and writing always, executing only a
    /// directory or a file with at least one execute bit, as on Linux.
    ///
    /// Errors: `EINVAL` (see [`check_access_mode`]), `EACCES`.
    pub fn check_access(&self, ino: Ino, mode: u32) -> Result<(), Errno> {
        check_access_mode(mode)?;
        let node = self.node(ino);
        if mode & X_OK != 0 && !node.is_dir() && node.mode & 0o111 == 0 {
            return Err(Errno::EACCES);
        }
        Ok(())
    }

    /// Moves the entry `old_name` of `old_dir` to `new_name` in `new_dir`,
    /// replacing what `new_name` named (which is then unlinked), as
    /// `rename(2)` does. Renaming a node onto itself (the same entry, or
    /// another hard link of it) does nothing. Both directories get a new
    /// modification and change time, the moved node (and a replaced one)
    /// a new change time.
    ///
    /// Errors: `EBUSY` (either name is `.` or `..`), `ENOENT` (no
    /// `old_name`, or `new_dir` was removed), `EINVAL` (a directory into
    /// itself or below), `ENOTEMPTY` (replacing a non-empty directory, or
    /// an ancestor of the source), `ENOTDIR` (a directory onto a
    /// non-directory, or a directory argument that is not one), `EISDIR` (a
    /// non-directory onto a directory), and the name errors of
    /// [`Tree::create`].
    pub fn rename(
        &mut self,
        old_dir: Ino,
        old_name: &[u8],
        new_dir: Ino,
        new_name: &[u8],
    ) -> Result<(), Errno> {
        let old_entries = self.node(old_dir).entries().ok_or(Errno::ENOTDIR)?;
        let new_entries = self.node(new_dir).entries().ok_or(Errno::ENOTDIR)?;
        for name in [old_name, new_name] {
            if name == b"." || name == b".." {
                return Err(Errno::EBUSY);
            }
        }
        let ino = old_entries.get(old_name).ok_or(Errno::ENOENT)?;
        let target = new_entries.get(new_name);
        let is_dir = self.node(ino).is_dir();
        if is_dir && self.is_ancestor(ino, new_dir) {
            return Err(Errno::EINVAL);
        }
        if target == Some(ino) {
            return Ok(());
        }
        match target {
            Some(target) => {
                if self.is_ancestor(target, old_dir) {
                    return Err(Errno::ENOTEMPTY);
                }
                match (is_dir, self.node(target).entries()) {
                    (true, None) => return Err(Errno::ENOTDIR),
                    (false, Some(_)) => return Err(Errno::EISDIR),
                    (true, Some(entries)) if !entries.is_empty() => {
                        return Err(Errno::ENOTEMPTY);
                    }
                    _ => {}
                }
            }
            None => self.check_new_name(new_dir, new_name)?,
        }

        // Everything is checked: nothing below fails.
        if let Some(target) = target {
            self.dir_mut(new_dir).remove(new_name);
            self.mark_changed(target);
            if is_dir {
                self.node_mut(new_dir).nlink -= 1;
                self.detach_dir(target);
            } else {
                self.node_mut(target).nlink -= 1;
                self.release_if_unused(target);
            }
        }
        self.dir_mut(old_dir).remove(old_name);
        self.dir_mut(new_dir).insert(new_name, ino);
        self.mark_modified(old_dir);
        self.mark_modified(new_dir);
        self.mark_changed(ino);
        self.node_mut(ino).parent = new_dir;
        if is_dir {
            self.node_mut(old_dir).nlink -= 1;
            self.node_mut(new_dir).nlink += 1;
        }
        Ok(())
    }

    // ---- as the system calls see them: a start directory and a path ----

    /// `open(path, flags, mode)` from directory `start`: finds the node,
    /// creating a regular file with permission bits `mode` for `O_CREAT`,
    /// and truncates a file for `O_TRUNC`. Taking the open reference is the
    /// caller's job. `flags` are Linux's; the access mode counts only as
    /// "writes or not".
    ///
    /// Errors, as Linux gives them: `EINVAL` (`O_CREAT | O_DIRECTORY`),
    /// `EEXIST` (`O_CREAT | O_EXCL` on anything that exists, a symlink
    /// included), `EISDIR` (a directory for writing, with `O_CREAT` or
    /// `O_TRUNC`, or creating a path that ends in `/`), `ENOTDIR`
    /// (`O_DIRECTORY` on a non-directory), `ELOOP` (`O_NOFOLLOW` on a
    /// symlink), and those of [`Tree::resolve`] and [`Tree::create`].
    pub fn open(&mut self, start: Ino, path: &[u8], flags: u32, mode: u32) -> Result<Ino, Errno> {
        if flags & O_CREAT != 0 && flags & O_DIRECTORY != 0 {
            return Err(Errno::EINVAL);
        }
        let follow = flags & O_NOFOLLOW == 0;
        let ino = if flags & O_CREAT != 0 {
            let excl = flags & O_EXCL != 0;
            match self.resolve(start, path, follow && !excl)? {
                Resolved::Found(_) if excl => return Err(Errno::EEXIST),
                Resolved::Found(ino) => ino,
                Resolved::Missing {
                    must_be_dir: true, ..
                } => return Err(Errno::EISDIR),
                Resolved::Missing { dir, name, .. } => {
                    return self.create(dir, &name, NodeKind::File(FileData::new()), mode);
                }
            }
        } else {
            self.lookup(start, path, follow)?
        };
        let node = self.node(ino);
        if flags & O_DIRECTORY != 0 && !node.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        match node.kind {
            NodeKind::Symlink(_) => return Err(Errno::ELOOP),
            NodeKind::Dir(_)
                if flags & O_ACCMODE != O_RDONLY || flags & (O_CREAT | O_TRUNC) != 0 =>
            {
                return Err(Errno::EISDIR);
            }
            NodeKind::File(_) if flags & O_TRUNC != 0 => self.truncate(ino, 0)?,
            // No FIFO buffers, no block drivers (see `special`).
            NodeKind::Fifo | NodeKind::BlockDev(_) => return Err(Errno::ENXIO),
            _ => {}
        }
        Ok(ino)
    }

    /// `mkdir(path, mode)`: a new empty directory with permission bits
    /// `mode & 0o1777`. A trailing slash is fine.
    ///
    /// Errors: `EEXIST` (the name exists, or is `.`, `..` or `/`), and
    /// those of [`Tree::lookup_parent`] and [`Tree::create`].
    pub fn mkdir_at(&mut self, start: Ino, path: &[u8], mode: u32) -> Result<Ino, Errno> {
        let (dir, name) = self.lookup_parent(start, path)?;
        self.create(
            dir,
            &name,
            NodeKind::Dir(Dir::new()),
            mode & MKDIR_MODE_BITS,
        )
    }

    /// `symlink(target, path)`: a new symbolic link holding `target`,
    /// which is not looked at (it may dangle).
    ///
    /// Errors: `ENOENT` (empty target), `ENAMETOOLONG` (target of
    /// `PATH_MAX` bytes or more), and those of creating a non-directory
    /// (see [`Tree::link_at`]).
    pub fn symlink_at(&mut self, target: &[u8], start: Ino, path: &[u8]) -> Result<Ino, Errno> {
        if target.is_empty() {
            return Err(Errno::ENOENT);
        }
        if target.len() >= PATH_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        let (dir, name) = self.new_nondir(start, path)?;
        self.create(dir, &name, NodeKind::Symlink(target.to_vec()), 0o777)
    }

    /// `link(old_path, new_path)`: a new name for what `old_path` names.
    /// A final symlink in `old_path` is followed only with `follow`
    /// (`linkat`'s `AT_SYMLINK_FOLLOW`); else the link itself gets the name,
    /// as `link` does.
    ///
    /// Errors, in Linux's order: those of looking up `old_path`; those of
    /// [`Tree::link_to`].
    pub fn link_at(
        &mut self,
        old_start: Ino,
        old_path: &[u8],
        new_start: Ino,
        new_path: &[u8],
        follow: bool,
    ) -> Result<(), Errno> {
        let ino = self.lookup(old_start, old_path, follow)?;
        self.link_to(ino, new_start, new_path)
    }

    /// A new name `new_path` for node `ino` (`linkat` with `AT_EMPTY_PATH`
    /// names the node by a descriptor).
    ///
    /// Errors, in Linux's order: `EEXIST` (`new_path` exists or is `.`,
    /// `..`, `/`); `ENOENT` (`new_path` ends in `/`, which would make it a
    /// directory); `EPERM` (`ino` is a directory); and the other errors of
    /// [`Tree::link`].
    pub fn link_to(&mut self, ino: Ino, new_start: Ino, new_path: &[u8]) -> Result<(), Errno> {
        let (dir, name) = self.new_nondir(new_start, new_path)?;
        self.link(ino, dir, &name)
    }

    /// `unlink(path)`: removes a name of a non-directory.
    ///
    /// Errors: `EISDIR` (a directory, or a path ending in `.`, `..` or
    /// `/`), `ENOTDIR` (a non-directory named with a trailing slash), and
    /// those of [`Tree::lookup_parent`] and [`Tree::unlink`].
    pub fn unlink_at(&mut self, start: Ino, path: &[u8]) -> Result<(), Errno> {
        let (dir, name) = self.lookup_parent(start, path)?;
        if last_of(path) != Last::Normal {
            return Err(Errno::EISDIR);
        }
        if has_trailing_slash(path) {
            let ino = self.child(dir, &name).ok_or(Errno::ENOENT)?;
            return Err(if self.node(ino).is_dir() {
                Errno::EISDIR
            } else {
                Errno::ENOTDIR
            });
        }
        self.unlink(dir, &name)
    }

    /// `rmdir(path)`: removes an empty directory. A final symlink is not
    /// followed, even with a trailing slash (`ENOTDIR`).
    ///
    /// Errors: `EBUSY` (`/`), `EINVAL` (a final `.`), `ENOTEMPTY` (a final
    /// `..`), and those of [`Tree::lookup_parent`] and [`Tree::rmdir`].
    pub fn rmdir_at(&mut self, start: Ino, path: &[u8]) -> Result<(), Errno> {
        let (dir, name) = self.lookup_parent(start, path)?;
        if last_of(path) == Last::Root {
            return Err(Errno::EBUSY);
        }
        self.rmdir(dir, &name)
    }

    /// `rename(old_path, new_path)` (phase 2 brings the system call; the
    /// logic is here already).
    ///
    /// Errors: `EBUSY` (either path ends in `.`, `..` or is `/`),
    /// `ENOTDIR` (a non-directory named with a trailing slash on either
    /// side), and those of [`Tree::lookup_parent`] and [`Tree::rename`].
    pub fn rename_at(
        &mut self,
        old_start: Ino,
        old_path: &[u8],
        new_start: Ino,
        new_path: &[u8],
    ) -> Result<(), Errno> {
        let (old_dir, old_name) = self.lookup_parent(old_start, old_path)?;
        let (new_dir, new_name) = self.lookup_parent(new_start, new_path)?;
        if last_of(old_path) != Last::Normal || last_of(new_path) != Last::Normal {
            return Err(Errno::EBUSY);
        }
        let ino = self.child(old_dir, &old_name).ok_or(Errno::ENOENT)?;
        if !self.node(ino).is_dir()
            && (has_trailing_slash(old_path) || has_trailing_slash(new_path))
        {
            return Err(Errno::ENOTDIR);
        }
        self.rename(old_dir, &old_name, new_dir, &new_name)
    }

    /// `renameat2(old_path, new_path, flags)`: [`Tree::rename_at`] with
    /// the flags [`rename_flags`] accepts; with `RENAME_NOREPLACE` an
    /// existing `new_path` is `EEXIST` and nothing changes.
    pub fn rename_at_flags(
        &mut self,
        old_start: Ino,
        old_path: &[u8],
        new_start: Ino,
        new_path: &[u8],
        flags: u32,
    ) -> Result<(), Errno> {
        let no_replace = rename_flags(flags)?;
        if no_replace {
            // The source must exist first (ENOENT before EEXIST, as Linux).
            let (old_dir, old_name) = self.lookup_parent(old_start, old_path)?;
            if last_of(old_path) == Last::Normal && self.child(old_dir, &old_name).is_none() {
                return Err(Errno::ENOENT);
            }
            let (new_dir, new_name) = self.lookup_parent(new_start, new_path)?;
            if last_of(new_path) == Last::Normal && self.child(new_dir, &new_name).is_some() {
                return Err(Errno::EEXIST);
            }
        }
        self.rename_at(old_start, old_path, new_start, new_path)
    }

    /// `readlink(path)`: the target of the symlink `path` names. Reading
    /// it is an access (the link's access time, under `relatime`).
    ///
    /// Errors: `EINVAL` (not a symlink; a trailing slash follows the link,
    /// so `link/` is whatever it points to), and those of
    /// [`Tree::lookup`].
    pub fn readlink_at(&mut self, start: Ino, path: &[u8]) -> Result<&[u8], Errno> {
        let ino = self.lookup(start, path, false)?;
        self.readlink(ino)?;
        self.mark_accessed(ino);
        self.readlink(ino)
    }

    // ---- helpers ----

    /// The directory and name where a new non-directory `path` goes.
    /// `EEXIST` if the name is taken or is `.`/`..`/`/`, `ENOENT` if the
    /// path ends in `/` (it asks for a directory that does not exist).
    pub(super) fn new_nondir(&self, start: Ino, path: &[u8]) -> Result<(Ino, Vec<u8>), Errno> {
        let (dir, name) = self.lookup_parent(start, path)?;
        if last_of(path) != Last::Normal || self.child(dir, &name).is_some() {
            return Err(Errno::EEXIST);
        }
        if has_trailing_slash(path) {
            return Err(Errno::ENOENT);
        }
        Ok((dir, name))
    }

    /// The entries of directory `dir`, for changing them.
    fn dir_mut(&mut self, dir: Ino) -> &mut Dir {
        match &mut self.node_mut(dir).kind {
            NodeKind::Dir(entries) => entries,
            _ => panic!("not a directory"),
        }
    }

    /// Marks the (empty) directory `ino`, just taken out of its parent, as
    /// removed: no links, its own parent, freed unless open.
    fn detach_dir(&mut self, ino: Ino) {
        let node = self.node_mut(ino);
        node.nlink = 0;
        node.parent = ino;
        self.release_if_unused(ino);
    }

    /// Whether directory `a` is `b` or one of `b`'s ancestors.
    fn is_ancestor(&self, a: Ino, b: Ino) -> bool {
        let mut cur = b;
        // Bounded by the number of nodes, in case of a damaged tree.
        for _ in 0..self.nodes.len() {
            if cur == a {
                return true;
            }
            let parent = self.node(cur).parent;
            if cur == ROOT || parent == cur {
                return false;
            }
            cur = parent;
        }
        false
    }
}

/// `renameat2`'s flags: `0` or `RENAME_NOREPLACE` (returns whether it was
/// given); `RENAME_EXCHANGE`, `RENAME_WHITEOUT` and unknown bits are
/// `EINVAL` (vibix does not do them), as are the contradictory
/// `RENAME_NOREPLACE | RENAME_EXCHANGE` on Linux.
pub fn rename_flags(flags: u32) -> Result<bool, Errno> {
    use vibix_uapi::fcntl::RENAME_NOREPLACE;
    match flags {
        0 => Ok(false),
        RENAME_NOREPLACE => Ok(true),
        _ => Err(Errno::EINVAL),
    }
}
