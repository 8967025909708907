//! Open-file descriptions: what a descriptor refers to (a node of the tree,
//! the console or a pipe end), the access mode, status flags and the file
//! offset. Descriptors made by
//! `dup`/`fork` share one description (and so one offset), as in POSIX.

use crate::fs::console;
use crate::fs::pipe::PipeEnd;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU32, Ordering};
use kcore::errno::{Errno, KResult};
use kcore::fs::{Ino, NodeKind};
use spin::Mutex;

pub const O_ACCMODE: u32 = 0o3;
pub const O_RDONLY: u32 = 0o0;
pub const O_WRONLY: u32 = 0o1;
pub const O_RDWR: u32 = 0o2;
pub const O_CREAT: u32 = 0o100;
pub const O_TRUNC: u32 = 0o1000;
pub const O_DIRECTORY: u32 = 0o200000;
pub const O_NOFOLLOW: u32 = 0o400000;
pub const O_CLOEXEC: u32 = 0o2000000;
pub const O_NONBLOCK: u32 = 0o4000;

#[derive(Clone)]
pub enum Target {
    Console,
    Node(Ino),
    Pipe(Arc<PipeEnd>),
}

pub const POLLIN: i16 = 0x1;
pub const POLLOUT: i16 = 0x4;
pub const POLLERR: i16 = 0x8;
pub const POLLHUP: i16 = 0x10;
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
}

impl OpenFile {
    pub fn new(target: Target, flags: u32) -> OpenFile {
        OpenFile { target, flags: AtomicU32::new(flags & !O_CLOEXEC), offset: Mutex::new(0) }
    }

    pub fn flags(&self) -> u32 {
        self.flags.load(Ordering::Relaxed)
    }

    /// `F_SETFL`: only O_NONBLOCK and O_APPEND can change.
    pub fn set_status_flags(&self, new: u32) {
        const CHANGEABLE: u32 = O_NONBLOCK | 0o2000; // O_APPEND
        let old = self.flags();
        self.flags.store((old & !CHANGEABLE) | (new & CHANGEABLE), Ordering::Relaxed);
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
            Target::Console => POLLOUT | if crate::console::serial::input_pending() { POLLIN } else { 0 },
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
                let mut offset = self.offset.lock();
                let n = crate::fs::with_tree(|t| match &t.node(ino).kind {
                    NodeKind::File(data) => {
                        let start = (*offset).min(data.len() as u64) as usize;
                        let n = buf.len().min(data.len() - start);
                        buf[..n].copy_from_slice(&data[start..start + n]);
                        Ok(n)
                    }
                    NodeKind::Dir(_) => Err(Errno::EISDIR),
                    _ => Err(Errno::EINVAL),
                })?;
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
            // Files are opened read-only until the file system is writable.
            Target::Node(_) => Err(Errno::EBADF),
        }
    }

    /// `lseek`: the console is not seekable, files are.
    pub fn seek(&self, offset: i64, whence: u32) -> KResult<u64> {
        let Target::Node(ino) = self.target else { return Err(Errno::ESPIPE) };
        let size = crate::fs::with_tree(|t| match &t.node(ino).kind {
            NodeKind::File(data) => data.len() as u64,
            _ => 0,
        });
        let mut cur = self.offset.lock();
        let base = match whence {
            SEEK_SET => 0,
            SEEK_CUR => *cur,
            SEEK_END => size,
            _ => return Err(Errno::EINVAL),
        };
        let new = (base as i64).checked_add(offset).filter(|&n| n >= 0).ok_or(Errno::EINVAL)?;
        *cur = new as u64;
        Ok(new as u64)
    }
}

pub const SEEK_SET: u32 = 0;
pub const SEEK_CUR: u32 = 1;
pub const SEEK_END: u32 = 2;
