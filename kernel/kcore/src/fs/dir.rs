//! Directories: names to inodes, plus the order `getdents64` lists them in.
//!
//! A program reads a directory in pieces: each `getdents64` call continues
//! at the file offset the previous one left, and each record carries the
//! offset of the record after it (`d_off`, what `telldir` returns). Those
//! offsets must stay valid while the directory changes, or a program that
//! deletes the files it lists would skip some of them.
//!
//! So every entry gets a *cookie* when it is added: a number from a counter
//! that only goes up. Listing walks the entries in cookie order, and an
//! offset is simply "the next cookie to list". Removing an entry leaves the
//! others' cookies alone; a new entry gets a bigger cookie than any before,
//! so a listing under way meets it at its end (or not at all, if it is
//! past it: POSIX leaves that open). Cookies 0 and 1 are `.` and `..`,
//! which every listing starts with although the map never holds them.
//!
//! Names are found through a hash table, so a lookup costs the same in a
//! directory of ten entries as in one of a hundred thousand, as Linux's
//! directory cache does (a tree's lookup grew with the directory's size).
//! The hash is `foldhash`'s, randomly seeded per directory: minimally
//! resistant to a program that picks names to collide.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use foldhash::fast::RandomState;
use hashbrown::HashMap;

use super::Ino;

/// The cookie of `.`; `..` has the next one.
pub const DOT_COOKIE: u64 = 0;
/// The first cookie a real entry can get.
pub const FIRST_ENTRY_COOKIE: u64 = 2;

/// One name in a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Link {
    ino: Ino,
    cookie: u64,
}

/// The contents of a directory. Never holds `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dir {
    /// Name → inode and cookie: what path lookup uses.
    names: HashMap<Vec<u8>, Link, RandomState>,
    /// Cookie → name: the order listings use.
    order: BTreeMap<u64, Vec<u8>>,
    /// The cookie the next entry gets.
    next_cookie: u64,
}

impl Default for Dir {
    fn default() -> Dir {
        Dir::new()
    }
}

impl Dir {
    /// An empty directory.
    pub fn new() -> Dir {
        Dir {
            names: HashMap::with_hasher(RandomState::default()),
            order: BTreeMap::new(),
            next_cookie: FIRST_ENTRY_COOKIE,
        }
    }

    /// The inode called `name`.
    pub fn get(&self, name: &[u8]) -> Option<Ino> {
        self.names.get(name).map(|link| link.ino)
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &[u8]) -> bool {
        self.names.contains_key(name)
    }

    /// The number of entries (without `.` and `..`).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no entries besides `.` and `..`.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The entries in the order they were added (their cookies').
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], Ino)> {
        self.from_cookie(FIRST_ENTRY_COOKIE)
            .map(|(_, name, ino)| (name, ino))
    }

    /// The entries whose cookie is at least `cookie`, in cookie order, as
    /// (cookie, name, inode).
    pub fn from_cookie(&self, cookie: u64) -> impl Iterator<Item = (u64, &[u8], Ino)> {
        self.order.range(cookie..).map(|(&cookie, name)| {
            let ino = self.names[name].ino;
            (cookie, name.as_slice(), ino)
        })
    }

    /// Adds `name` → `ino`. The caller has checked the name is free.
    pub(super) fn insert(&mut self, name: &[u8], ino: Ino) {
        let cookie = self.next_cookie;
        self.next_cookie += 1;
        self.order.insert(cookie, name.to_vec());
        let old = self.names.insert(name.to_vec(), Link { ino, cookie });
        debug_assert!(old.is_none(), "insert over an existing name");
    }

    /// Removes `name`, returning the inode it named.
    pub(super) fn remove(&mut self, name: &[u8]) -> Option<Ino> {
        let link = self.names.remove(name)?;
        self.order.remove(&link.cookie);
        Some(link.ino)
    }
}
