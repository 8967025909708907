//! Open-file descriptions: what a descriptor refers to (a node of the tree,
//! the console or a pipe end), the access mode, status flags and the file
//! offset. Descriptors made by
//! `dup`/`fork` share one description (and so one offset), as in POSIX.
//!
//! A description of a node holds an open reference on it
//! (`Tree::open_ref`), dropped when the last descriptor sharing the
//! description goes: so a file unlinked while open keeps its data until
//! then. Its `flock` lock, if it holds one, goes at the same moment.

use crate::fs::pipe::PipeEnd;
use crate::fs::{console, dev};
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU32, Ordering};
use kcore::errno::{Errno, KResult};
use kcore::fs::{Ino, NodeKind, Tree};
use spin::Mutex;

// The flags `open` itself acts on (O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY,
// O_NOFOLLOW) are `kcore::fs::ops`'s; these are the ones a description keeps.
pub use kcore::fs::ops::{O_ACCMODE, O_RDONLY};
pub const O_WRONLY: u32 = vibix_uapi::fcntl::O_WRONLY as u32;
pub const O_RDWR: u32 = vibix_uapi::fcntl::O_RDWR as u32;
pub const O_APPEND: u32 = vibix_uapi::fcntl::O_APPEND as u32;
pub const O_CLOEXEC: u32 = vibix_uapi::fcntl::O_CLOEXEC as u32;
pub const O_NONBLOCK: u32 = vibix_uapi::fcntl::O_NONBLOCK as u32;

#[derive(Clone)]
pub enum Target {
    Console,
    Node(Ino),
    Pipe(Arc<PipeEnd>),
}

pub const POLLIN: i16 = vibix_uapi::poll::POLLIN;
pub const POLLOUT: i16 = vibix_uapi::poll::POLLOUT;
pub const POLLERR: i16 = vibix_uapi::poll::POLLERR;
pub const POLLHUP: i16 = vibix_uapi::poll::POLLHUP;
/// Conditions `poll` reports whether asked for or not.
pub const POLL_ALWAYS: i16 = POLLERR | POLLHUP;

/// Where `poll` sleeps: woken by every pipe and console event.
pub static POLL_WAIT: crate::proc::waitq::WaitQueue = crate::proc::waitq::WaitQueue::new();

pub struct OpenFile {
    pub target: Target,
    /// `O_*` status flags and access mode (without O_CLOEXEC, a descriptor
    /// flag); `fcntl(F_SETFL)` changes O_NONBLOCK and O_APPEND.
    flags: AtomicU32,
    pub offset: Mutex<u64>,
    /// The device number of a device node, read once at open (a node's
    /// kind never changes, and the open reference keeps it alive), so that
    /// a read or write of `/dev/null` need not look at the tree.
    rdev: Option<u32>,
}

impl OpenFile {
    /// A description of `target`. For a node this takes an open reference,
    /// locking the tree: with the tree already locked, use `OpenFile::node`.
    pub fn new(target: Target, flags: u32) -> OpenFile {
        if let Target::Node(ino) = target {
            return crate::fs::with_tree(|t| OpenFile::node(t, ino, flags));
        }
        OpenFile {
            target,
            flags: AtomicU32::new(flags & !O_CLOEXEC),
            offset: Mutex::new(0),
            rdev: None,
        }
    }

    /// A description of node `ino` of `tree` (locked by the caller).
    pub fn node(tree: &mut Tree, ino: Ino, flags: u32) -> OpenFile {
        tree.open_ref(ino);
        let rdev = match tree.node(ino).kind {
            NodeKind::CharDev(rdev) => Some(rdev),
            _ => None,
        };
        OpenFile {
            target: Target::Node(ino),
            flags: AtomicU32::new(flags & !O_CLOEXEC),
            offset: Mutex::new(0),
            rdev,
        }
    }

    /// The device number, for a device node.
    pub fn device(&self) -> Option<u32> {
        self.rdev
    }

    pub fn flags(&self) -> u32 {
        self.flags.load(Ordering::Relaxed)
    }

    /// `F_SETFL`: only O_NONBLOCK and O_APPEND can change.
    pub fn set_status_flags(&self, new: u32) {
        const CHANGEABLE: u32 = O_NONBLOCK | O_APPEND;
        let old = self.flags();
        self.flags
            .store((old & !CHANGEABLE) | (new & CHANGEABLE), Ordering::Relaxed);
    }

    fn nonblocking(&self) -> bool {
        self.flags() & O_NONBLOCK != 0
    }

    pub fn readable(&self) -> bool {
        self.flags() & O_ACCMODE != O_WRONLY
    }

    pub fn writable(&self) -> bool {
        matches!(self.flags() & O_ACCMODE, O_WRONLY | O_RDWR)
    }

    /// What `poll` would report now (POLLIN, POLLOUT, POLLERR, POLLHUP).
    pub fn poll(&self) -> i16 {
        match &self.target {
            Target::Console => {
                POLLOUT
                    | if crate::console::serial::input_pending() {
                        POLLIN
                    } else {
                        0
                    }
            }
            Target::Node(_) if self.rdev == Some(dev::CONSOLE) => {
                POLLOUT
                    | if crate::console::serial::input_pending() {
                        POLLIN
                    } else {
                        0
                    }
            }
            Target::Node(_) => POLLIN | POLLOUT,
            Target::Pipe(end) => end.poll(),
        }
    }

    pub fn is_console(&self) -> bool {
        matches!(self.target, Target::Console)
    }

    /// Reads at the file offset into `buf` (a kernel buffer).
    pub fn read(&self, buf: &mut [u8]) -> KResult<usize> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        match self.target {
            Target::Console => console::read(buf),
            Target::Pipe(ref end) => end.read(buf, self.nonblocking()),
            Target::Node(ino) => {
                if let Some(rdev) = self.rdev {
                    // Outside the tree lock: the console may sleep for input.
                    return dev::read(rdev, buf);
                }
                let mut offset = self.offset.lock();
                let n = crate::fs::with_tree(|t| t.read_at(ino, *offset, buf))?;
                *offset += n as u64;
                Ok(n)
            }
        }
    }

    /// Writes `buf` (a kernel buffer) at the file offset.
    pub fn write(&self, buf: &[u8]) -> KResult<usize> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        match self.target {
            Target::Console => {
                console::write(buf);
                Ok(buf.len())
            }
            Target::Pipe(ref end) => end.write(buf, self.nonblocking()),
            Target::Node(ino) => {
                if let Some(rdev) = self.rdev {
                    return dev::write(rdev, buf);
                }
                let mut offset = self.offset.lock();
                let append = self.flags() & O_APPEND != 0;
                *offset = crate::fs::with_tree(|t| {
                    // O_APPEND: every write goes to the end, wherever the
                    // offset was.
                    let at = if append { t.node(ino).size() } else { *offset };
                    t.write_at(ino, at, buf).map(|n| at + n as u64)
                })?;
                Ok(buf.len())
            }
        }
    }

    /// `pread64`: reads at `at`, leaving the file offset as it is. Only a
    /// file of the tree has positions: pipes and the console are `ESPIPE`
    /// (a device node reads as it always does).
    pub fn read_at(&self, buf: &mut [u8], at: u64) -> KResult<usize> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        let Target::Node(ino) = self.target else {
            return Err(Errno::ESPIPE);
        };
        if let Some(rdev) = self.rdev {
            return dev::read(rdev, buf);
        }
        crate::fs::with_tree(|t| t.read_at(ino, at, buf))
    }

    /// `pwrite64`: writes at `at`, leaving the file offset as it is (with
    /// `O_APPEND` the data goes to the end, as on Linux).
    pub fn write_at(&self, buf: &[u8], at: u64) -> KResult<usize> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        let Target::Node(ino) = self.target else {
            return Err(Errno::ESPIPE);
        };
        if let Some(rdev) = self.rdev {
            return dev::write(rdev, buf);
        }
        let append = self.flags() & O_APPEND != 0;
        crate::fs::with_tree(|t| {
            let at = if append { t.node(ino).size() } else { at };
            t.write_at(ino, at, buf)
        })
    }

    /// `lseek`: the console is not seekable, files are. On a directory the
    /// offset is a listing position (`getdents64`), so there is no end to
    /// seek from.
    pub fn seek(&self, offset: i64, whence: u32) -> KResult<u64> {
        let Target::Node(ino) = self.target else {
            return Err(Errno::ESPIPE);
        };
        if let Some(rdev) = self.rdev {
            return dev::seek(rdev);
        }
        let (size, is_dir) = crate::fs::with_tree(|t| {
            let node = t.node(ino);
            (node.size(), node.is_dir())
        });
        let mut cur = self.offset.lock();
        let base = match whence {
            SEEK_SET => 0,
            SEEK_CUR => *cur,
            SEEK_END if !is_dir => size,
            _ => return Err(Errno::EINVAL),
        };
        let new = (base as i64)
            .checked_add(offset)
            .filter(|&n| n >= 0)
            .ok_or(Errno::EINVAL)?;
        *cur = new as u64;
        Ok(new as u64)
    }
}

// ANCHOR: close_ref
impl Drop for OpenFile {
    /// The last descriptor sharing this description is gone: give up its
    /// `flock` lock and drop its open reference, which frees an unlinked
    /// node.
    fn drop(&mut self) {
        crate::fs::flock::unlock(self);
        if let Target::Node(ino) = self.target {
            crate::fs::with_tree(|t| t.close_ref(ino));
        }
    }
}
// ANCHOR_END: close_ref

pub const SEEK_SET: u32 = vibix_uapi::fcntl::SEEK_SET as u32;
pub const SEEK_CUR: u32 = vibix_uapi::fcntl::SEEK_CUR as u32;
pub const SEEK_END: u32 = vibix_uapi::fcntl::SEEK_END as u32;
