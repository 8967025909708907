//! A process's descriptor table: small integers naming open-file
//! descriptions, each with its own close-on-exec flag.

use crate::fs::file::OpenFile;
use alloc::sync::Arc;
use alloc::vec::Vec;
use kcore::errno::{Errno, KResult};

/// The most descriptors a process may hold (Linux's default soft limit).
pub const MAX_FDS: usize = 1024;

#[derive(Clone)]
struct Slot {
    file: Arc<OpenFile>,
    cloexec: bool,
}

#[derive(Clone, Default)]
pub struct FdTable {
    slots: Vec<Option<Slot>>,
}

impl FdTable {
    pub fn new() -> FdTable {
        FdTable::default()
    }

    /// Installs `file` at the lowest free descriptor.
    pub fn add(&mut self, file: Arc<OpenFile>, cloexec: bool) -> KResult<usize> {
        let fd = match self.slots.iter().position(Option::is_none) {
            Some(fd) => fd,
            None if self.slots.len() < MAX_FDS => {
                self.slots.push(None);
                self.slots.len() - 1
            }
            None => return Err(Errno::EMFILE),
        };
        self.slots[fd] = Some(Slot { file, cloexec });
        Ok(fd)
    }

    pub fn get(&self, fd: i32) -> KResult<Arc<OpenFile>> {
        self.file(fd).cloned()
    }

    /// The description `fd` refers to, borrowed: for a call that is done
    /// with it before the table is let go of (no reference counted).
    pub fn file(&self, fd: i32) -> KResult<&Arc<OpenFile>> {
        let slot = usize::try_from(fd)
            .ok()
            .and_then(|fd| self.slots.get(fd))
            .and_then(Option::as_ref);
        slot.map(|s| &s.file).ok_or(Errno::EBADF)
    }

    pub fn close(&mut self, fd: i32) -> KResult<()> {
        let slot = usize::try_from(fd)
            .ok()
            .and_then(|fd| self.slots.get_mut(fd));
        slot.and_then(Option::take).map(drop).ok_or(Errno::EBADF)
    }

    /// Closes every close-on-exec descriptor (at `execve`, finding U-A4).
    pub fn close_on_exec(&mut self) {
        for slot in &mut self.slots {
            if slot.as_ref().is_some_and(|s| s.cloexec) {
                *slot = None;
            }
        }
    }

    /// Installs `file` at the lowest free descriptor >= `min` (F_DUPFD).
    pub fn add_at_least(
        &mut self,
        min: usize,
        file: Arc<OpenFile>,
        cloexec: bool,
    ) -> KResult<usize> {
        if min >= MAX_FDS {
            return Err(Errno::EINVAL);
        }
        let fd = (min..MAX_FDS)
            .find(|&fd| self.slots.get(fd).is_none_or(Option::is_none))
            .ok_or(Errno::EMFILE)?;
        self.put(fd, file, cloexec)?;
        Ok(fd)
    }

    /// Makes `fd` refer to `file`, closing what it referred to (dup2).
    pub fn put(&mut self, fd: usize, file: Arc<OpenFile>, cloexec: bool) -> KResult<()> {
        if fd >= MAX_FDS {
            return Err(Errno::EBADF);
        }
        if self.slots.len() <= fd {
            self.slots.resize(fd + 1, None);
        }
        self.slots[fd] = Some(Slot { file, cloexec });
        Ok(())
    }

    pub fn cloexec(&self, fd: i32) -> KResult<bool> {
        let slot = usize::try_from(fd)
            .ok()
            .and_then(|fd| self.slots.get(fd))
            .and_then(Option::as_ref);
        slot.map(|s| s.cloexec).ok_or(Errno::EBADF)
    }

    pub fn set_cloexec(&mut self, fd: i32, on: bool) -> KResult<()> {
        let slot = usize::try_from(fd)
            .ok()
            .and_then(|fd| self.slots.get_mut(fd))
            .and_then(Option::as_mut);
        slot.map(|s| s.cloexec = on).ok_or(Errno::EBADF)
    }
}
