//! Path resolution: from a path name to an inode.
//!
//! The walk keeps a stack of names still to visit. It starts with the
//! components of the path; when it meets a symbolic link it pushes the
//! components of the link's target in its place, so a link in the middle of
//! a path simply splices its target in. Every step needs the current node to
//! be a directory, else `ENOTDIR`.
//!
//! A path that ends in `/` (or `/.`) must name a directory, and a symlink
//! before that final `/` is followed. The walk models this by pushing a `.`
//! marker at the end: `.` never comes out of [`components`], so the marker
//! cannot be confused with a real name, and "step into `.`" means exactly
//! "be a directory here".
//!
//! `..` goes to the parent of the directory actually reached (as on Linux,
//! after `cd` through a symlink, `..` is the target's parent, not the
//! link's).

use alloc::vec::Vec;

use super::{Ino, NodeKind, ROOT, Tree};
use crate::errno::Errno;
use crate::path::{check_path, components};

/// Most symbolic links one lookup expands (Linux's `MAXSYMLINKS`).
pub const MAX_SYMLINKS: usize = 40;

/// The "must be a directory here" marker; see the module docs.
const DIR_MARKER: &[u8] = b".";

/// The outcome of [`Tree::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The path names this node.
    Found(Ino),
    /// Everything but the last name resolved, to directory `dir`, which has
    /// no entry `name`: where `open(O_CREAT)` creates the file. With
    /// `must_be_dir` the path asked for a directory there (it ended in
    /// `/`), which a new file cannot be.
    Missing {
        dir: Ino,
        name: Vec<u8>,
        must_be_dir: bool,
    },
}

impl Tree {
    /// Resolves `path`: from the root if it starts with `/`, else from
    /// directory `start`.
    ///
    /// Symbolic links on the way are followed; the one named by the final
    /// component only if `follow_final` (like `stat` versus `lstat`).
    ///
    /// A removed directory is empty, so only `.` (itself) and `..` (itself
    /// again) resolve from it.
    ///
    /// Errors: `ENOENT` (empty path, missing name, dangling link),
    /// `ENOTDIR` (a non-directory where a directory is needed),
    /// `ENAMETOOLONG` (see [`check_path`]), `ELOOP` (more than
    /// [`MAX_SYMLINKS`] links).
    pub fn lookup(&self, start: Ino, path: &[u8], follow_final: bool) -> Result<Ino, Errno> {
        match self.resolve(start, path, follow_final)? {
            Resolved::Found(ino) => Ok(ino),
            Resolved::Missing { .. } => Err(Errno::ENOENT),
        }
    }

    /// Like [`Tree::lookup`], but a missing *last* name is not an error: it
    /// gives [`Resolved::Missing`] with the directory that would hold it.
    /// When the last name comes from a symlink's target (a dangling link,
    /// followed), that is the target's directory and name, which is where
    /// Linux's `open(O_CREAT)` creates the file.
    pub fn resolve(&self, start: Ino, path: &[u8], follow_final: bool) -> Result<Resolved, Errno> {
        check_path(path)?;
        let mut cur = if path.starts_with(b"/") { ROOT } else { start };
        let mut todo = Vec::new();
        push_path(&mut todo, path);
        let mut links = 0;

        while let Some(name) = todo.pop() {
            let entries = self.node(cur).entries().ok_or(Errno::ENOTDIR)?;
            if name == DIR_MARKER {
                continue;
            }
            if name == b".." {
                cur = self.node(cur).parent;
                continue;
            }
            let Some(next) = entries.get(name) else {
                // Only "be a directory" markers may follow the last name.
                if todo.iter().all(|&n| n == DIR_MARKER) {
                    return Ok(Resolved::Missing {
                        dir: cur,
                        name: name.to_vec(),
                        must_be_dir: !todo.is_empty(),
                    });
                }
                return Err(Errno::ENOENT);
            };
            match &self.node(next).kind {
                NodeKind::Symlink(target) if !todo.is_empty() || follow_final => {
                    links += 1;
                    if links > MAX_SYMLINKS {
                        return Err(Errno::ELOOP);
                    }
                    check_path(target)?;
                    // A relative target is resolved from the directory holding
                    // the link, which is still `cur`.
                    if target.starts_with(b"/") {
                        cur = ROOT;
                    }
                    push_path(&mut todo, target);
                }
                _ => cur = next,
            }
        }
        Ok(Resolved::Found(cur))
    }

    /// Resolves all but the last component of `path`: returns the directory
    /// that holds (or would hold) the last one, and that last name. Used to
    /// create, remove or rename.
    ///
    /// Trailing slashes are dropped (`a/b/` gives `a` and `b`). The name can
    /// be `.` or `..` (`a/.`, `..`), and is `.` with the root for `/`;
    /// [`Tree::create`] refuses those with `EEXIST`, as Linux does.
    /// Errors as for [`Tree::lookup`], plus `ENOTDIR` if the parent is not a
    /// directory.
    pub fn lookup_parent(&self, start: Ino, path: &[u8]) -> Result<(Ino, Vec<u8>), Errno> {
        check_path(path)?;
        let (dir_path, name) = split_last(path);
        if name.is_empty() {
            // Only slashes: the root.
            return Ok((ROOT, b".".to_vec()));
        }
        let dir = match dir_path {
            b"" => start,
            _ => self.lookup(start, dir_path, true)?,
        };
        if !self.node(dir).is_dir() {
            return Err(Errno::ENOTDIR);
        }
        Ok((dir, name.to_vec()))
    }

    /// Makes sure directory `path` exists, creating missing directories
    /// along it with permission bits `mode`, like `mkdir -p`. Relative paths
    /// start at the root. Existing symlinks to directories are followed.
    ///
    /// Errors: `ENOTDIR` if something on the way is not a directory, and
    /// those of [`check_path`] and [`Tree::create`].
    pub fn mkdir_p(&mut self, path: &[u8], mode: u32) -> Result<Ino, Errno> {
        check_path(path)?;
        let mut cur = ROOT;
        for name in components(path) {
            cur = if name == b".." {
                self.node(cur).parent
            } else if self.child(cur, name).is_some() {
                self.lookup(cur, name, true)?
            } else {
                self.create(cur, name, NodeKind::Dir(Default::default()), mode)?
            };
            if !self.node(cur).is_dir() {
                return Err(Errno::ENOTDIR);
            }
        }
        Ok(cur)
    }
}

/// Pushes the components of `path` onto the walk stack so that the first
/// component is popped first, preceded (that is, pushed before) by the
/// directory marker if `path` must end at a directory.
fn push_path<'a>(todo: &mut Vec<&'a [u8]>, path: &'a [u8]) {
    if path.ends_with(b"/") || path.ends_with(b"/.") || path == b"." {
        todo.push(DIR_MARKER);
    }
    let first = todo.len();
    todo.extend(components(path));
    todo[first..].reverse();
}

/// Splits `path` (trailing slashes ignored) into everything up to and
/// including the last `/`, and the last component:
/// `a/b/c/` → (`a/b/`, `c`), `c` → (``, `c`), `/` → (``, ``).
pub(super) fn split_last(path: &[u8]) -> (&[u8], &[u8]) {
    let end = path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    let trimmed = &path[..end];
    match trimmed.iter().rposition(|&b| b == b'/') {
        Some(slash) => trimmed.split_at(slash + 1),
        None => (&[], trimmed),
    }
}
