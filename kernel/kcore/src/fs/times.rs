//! File timestamps: every node's access, modification and status-change
//! times (`st_atime`, `st_mtime`, `st_ctime`), which operations set them,
//! and the `relatime` rule that decides whether a read moves the access
//! time.
//!
//! kcore has no clock. The tree holds "now" ([`Tree::set_clock`]), which
//! its owner sets before each operation (the kernel does it every time it
//! takes the tree's lock); every time an operation stamps comes from that
//! value, so host tests choose their own times.
//!
//! The rules are Linux's tmpfs ones:
//!
//! | what happens | which times become now |
//! | --- | --- |
//! | a node is created | its atime, mtime and ctime; the directory's mtime and ctime |
//! | a name is added or removed (link, unlink, rmdir, rename) | the directory's mtime and ctime; the node's ctime |
//! | a write of at least one byte; a truncate that changes the size | mtime and ctime |
//! | chmod | ctime |
//! | a read of a file, a listing, a readlink | atime, if `relatime` says so |
//! | `utimensat` | the atime and mtime it asks for; ctime |
//!
//! `relatime` is Linux's default mount option: a read moves the access time
//! only if it is not after the modification or the change time, or is a
//! day old, so that "was the file read since it was written?" still has an
//! answer while most reads write nothing.

use super::{Ino, Tree};
use crate::errno::Errno;
use vibix_uapi::stat::{UTIME_NOW, UTIME_OMIT};

/// A point in time: seconds and nanoseconds since 1970-01-01 UTC, as in a
/// `struct timespec` (`nsec` below one billion). Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    pub sec: i64,
    pub nsec: u32,
}

/// Nanoseconds in a second.
const NS_PER_SEC: u64 = 1_000_000_000;

impl Timestamp {
    /// `ns` nanoseconds after 1970-01-01 UTC.
    pub fn from_nanos(ns: u64) -> Timestamp {
        Timestamp {
            sec: (ns / NS_PER_SEC) as i64,
            nsec: (ns % NS_PER_SEC) as u32,
        }
    }

    /// `sec` seconds after 1970-01-01 UTC.
    pub fn from_secs(sec: i64) -> Timestamp {
        Timestamp { sec, nsec: 0 }
    }
}

/// A node's three times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Times {
    /// Last read (`st_atime`), as `relatime` keeps it.
    pub atime: Timestamp,
    /// Last change of the contents (`st_mtime`).
    pub mtime: Timestamp,
    /// Last change of the contents or of the node itself: its mode, its
    /// names, its times (`st_ctime`).
    pub ctime: Timestamp,
}

impl Times {
    /// All three times `at`.
    pub fn all(at: Timestamp) -> Times {
        Times {
            atime: at,
            mtime: at,
            ctime: at,
        }
    }
}

/// An access time this old is moved by a read whatever the other times
/// say (`relatime`): one day, in seconds.
pub const RELATIME_MAX_AGE: i64 = 24 * 60 * 60;

// ANCHOR: relatime
/// Whether a read at `now` moves the access time of a node with `times`,
/// under Linux's `relatime`: the access time is not after the modification
/// time or the change time, or is at least a day old.
pub fn relatime_needs_update(times: &Times, now: Timestamp) -> bool {
    times.atime <= times.mtime
        || times.atime <= times.ctime
        || now.sec.saturating_sub(times.atime.sec) >= RELATIME_MAX_AGE
}
// ANCHOR_END: relatime

/// What `utimensat` does to one of the two times it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeChange {
    /// Set it to the current time (`UTIME_NOW`, or no times given).
    Now,
    /// Leave it as it is (`UTIME_OMIT`).
    Omit,
    /// Set it to this time.
    To(Timestamp),
}

impl TimeChange {
    /// Decodes one `struct timespec` of `utimensat`: a `tv_nsec` of
    /// `UTIME_NOW` or `UTIME_OMIT` means that (whatever `tv_sec` says);
    /// otherwise it must be `0..=999_999_999`, else `EINVAL`. Any `tv_sec`,
    /// even a negative one, is a time.
    pub fn from_timespec(sec: i64, nsec: i64) -> Result<TimeChange, Errno> {
        match nsec {
            UTIME_NOW => Ok(TimeChange::Now),
            UTIME_OMIT => Ok(TimeChange::Omit),
            0..=999_999_999 => Ok(TimeChange::To(Timestamp {
                sec,
                nsec: nsec as u32,
            })),
            _ => Err(Errno::EINVAL),
        }
    }
}

impl Tree {
    /// Sets the tree's clock: the time the following operations stamp.
    pub fn set_clock(&mut self, now: Timestamp) {
        self.clock = now;
    }

    /// The tree's clock (see [`Tree::set_clock`]).
    pub fn clock(&self) -> Timestamp {
        self.clock
    }

    /// The times of node `ino`.
    pub fn times(&self, ino: Ino) -> Times {
        self.node(ino).times
    }

    /// `utimensat` on node `ino`: sets the access and modification times as
    /// asked. Unless both are [`TimeChange::Omit`], the change time becomes
    /// now (the node changed), as on Linux.
    pub fn set_times(&mut self, ino: Ino, atime: TimeChange, mtime: TimeChange) {
        if atime == TimeChange::Omit && mtime == TimeChange::Omit {
            return;
        }
        let now = self.clock;
        let times = &mut self.node_mut(ino).times;
        for (change, time) in [(atime, &mut times.atime), (mtime, &mut times.mtime)] {
            match change {
                TimeChange::Now => *time = now,
                TimeChange::To(at) => *time = at,
                TimeChange::Omit => {}
            }
        }
        times.ctime = now;
    }

    /// A read of node `ino` (a file's data, a directory's listing, a
    /// symlink's target): its access time becomes now if `relatime` says
    /// so.
    pub(super) fn mark_accessed(&mut self, ino: Ino) {
        let now = self.clock;
        let times = &mut self.node_mut(ino).times;
        if relatime_needs_update(times, now) {
            times.atime = now;
        }
    }

    /// The contents of `ino` changed (data written or cut, a directory's
    /// entries): modification and change time become now.
    pub(super) fn mark_modified(&mut self, ino: Ino) {
        let now = self.clock;
        let times = &mut self.node_mut(ino).times;
        times.mtime = now;
        times.ctime = now;
    }

    /// The node `ino` itself changed (its mode, its names): the change
    /// time becomes now.
    pub(super) fn mark_changed(&mut self, ino: Ino) {
        self.node_mut(ino).times.ctime = self.clock;
    }
}
