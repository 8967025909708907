//! `flock` locks in the kernel: one `kcore::flock::FileLocks` per locked
//! file, owned by open file descriptions, and the wait queue where a
//! blocked request sleeps until a lock is given up.
//!
//! An owner is an open file description, named by its address: unique
//! while it lives, and its locks go when it does (`release`, from the
//! description's `Drop`), so no other description can inherit them. Like
//! Linux, any open file can be locked: a node of the tree, a pipe (both
//! ends are one file) or the console.

use crate::fs::file::{OpenFile, Target};
use crate::proc::waitq::WaitQueue;
use alloc::collections::BTreeMap;
use kcore::errno::{Errno, KResult};
use kcore::flock::{FileLocks, LockKind};
use kcore::fs::Ino;
use spin::Mutex;

/// The file a lock is on.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LockedFile {
    Node(Ino),
    /// A pipe, by the address of its shared buffer.
    Pipe(usize),
    Console,
}

/// An open file description, by address.
type Owner = usize;

/// The locks of every file that has any. A file whose last lock goes is
/// taken out, so an inode number reused later starts without locks.
static LOCKS: Mutex<BTreeMap<LockedFile, FileLocks<Owner>>> = Mutex::new(BTreeMap::new());

/// Where blocked requests wait: woken whenever a lock is given up.
static RELEASED: WaitQueue = WaitQueue::new();

fn locked_file(file: &OpenFile) -> LockedFile {
    match &file.target {
        Target::Node(ino) => LockedFile::Node(*ino),
        Target::Pipe(end) => LockedFile::Pipe(end.pipe_id()),
        Target::Console => LockedFile::Console,
    }
}

fn owner(file: &OpenFile) -> Owner {
    file as *const OpenFile as usize
}

/// Asks for a `kind` lock on `file`'s file for `file` (the description).
/// A conflicting request fails with `EWOULDBLOCK` if `nonblocking`, else
/// sleeps until it can be granted (`EINTR` if a signal comes first).
pub fn lock(file: &OpenFile, kind: LockKind, nonblocking: bool) -> KResult<()> {
    let key = locked_file(file);
    loop {
        let granted = {
            let mut locks = LOCKS.lock();
            let on_file = locks.entry(key).or_default();
            let held = on_file.held_by(owner(file));
            let result = on_file.lock(owner(file), kind);
            if on_file.is_empty() {
                locks.remove(&key);
            }
            if held.is_some_and(|held| held != kind) {
                // A conversion gave up the old lock (a downgrade, or a
                // refused upgrade): others may go on.
                RELEASED.wake_all();
            }
            result.is_ok()
        };
        if granted {
            return Ok(());
        }
        if nonblocking {
            return Err(Errno::EWOULDBLOCK);
        }
        RELEASED.sleep()?;
    }
}

/// Gives up the lock `file` holds on its file, if any (`LOCK_UN`, and the
/// last close of the description).
pub fn unlock(file: &OpenFile) {
    let key = locked_file(file);
    let mut locks = LOCKS.lock();
    let Some(on_file) = locks.get_mut(&key) else {
        return;
    };
    if on_file.unlock(owner(file)) {
        if on_file.is_empty() {
            locks.remove(&key);
        }
        drop(locks);
        RELEASED.wake_all();
    }
}
