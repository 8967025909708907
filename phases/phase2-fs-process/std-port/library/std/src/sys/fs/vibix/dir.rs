//! vibix: `read_dir` and `create_dir`. A `ReadDir` holds the directory
//! open and reads it with `getdents64` one buffer at a time; `vibix_abi`'s
//! `dir::Entries` walks each buffer's records, and every record but `.` and
//! `..` becomes a `DirEntry` with its name and `d_type`.

use vibix_abi::dir::{DT_UNKNOWN, Entries, read_entries};
use vibix_abi::fs::{O_DIRECTORY, O_RDONLY};

use super::attr::{FileAttr, FileType};
use crate::collections::VecDeque;
use crate::ffi::OsString;
use crate::fmt;
use crate::io;
use crate::os::fd::{AsRawFd, FromRawFd};
use crate::path::{Path, PathBuf};
use crate::sync::Arc;
use crate::sys::fd::FileDesc;
use crate::sys::helpers::run_path_with_cstr;
use crate::sys::{cvt_abi, os_string};

/// How many bytes of records one `getdents64` call may return.
const BATCH: usize = 8 * 1024;

pub struct ReadDir {
    dir: FileDesc,
    root: Arc<PathBuf>,
    /// Entries read but not yet handed out.
    pending: VecDeque<DirEntry>,
    done: bool,
}

pub struct DirEntry {
    root: Arc<PathBuf>,
    name: OsString,
    kind: u8,
}

#[derive(Debug)]
pub struct DirBuilder {
    mode: u32,
}

// ANCHOR: readdir
pub fn readdir(path: &Path) -> io::Result<ReadDir> {
    let fd = run_path_with_cstr(path, &|p| {
        cvt_abi(vibix_abi::fs::open(p, O_RDONLY | O_DIRECTORY, 0))
    })?;
    // SAFETY: `openat` just created `fd`; nothing else owns it.
    let dir = unsafe { FileDesc::from_raw_fd(fd) };
    Ok(ReadDir {
        dir,
        root: Arc::new(path.to_path_buf()),
        pending: VecDeque::new(),
        done: false,
    })
}

impl ReadDir {
    /// Reads the next buffer of records into `pending`; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        let mut buf = vec![0u8; BATCH];
        let len = cvt_abi(read_entries(self.dir.as_raw_fd(), &mut buf))?;
        if len == 0 {
            return Ok(false);
        }
        for entry in Entries::new(&buf[..len]).filter(|e| !e.is_dot_or_dot_dot()) {
            self.pending.push_back(DirEntry {
                root: self.root.clone(),
                name: os_string(entry.name.to_bytes()),
                kind: entry.kind,
            });
        }
        Ok(true)
    }
}

impl Iterator for ReadDir {
    type Item = io::Result<DirEntry>;

    fn next(&mut self) -> Option<io::Result<DirEntry>> {
        while !self.done {
            if let Some(entry) = self.pending.pop_front() {
                return Some(Ok(entry));
            }
            match self.fill() {
                Ok(more) => self.done = !more,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}
// ANCHOR_END: readdir

impl fmt::Debug for ReadDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ReadDir").field(&*self.root).finish()
    }
}

impl DirEntry {
    pub fn path(&self) -> PathBuf {
        self.root.join(&self.name)
    }

    pub fn file_name(&self) -> OsString {
        self.name.clone()
    }

    /// The entry's own status (a symbolic link's, not its target's).
    pub fn metadata(&self) -> io::Result<FileAttr> {
        super::lstat(&self.path())
    }

    /// From the record's `d_type`; a file system that does not fill it in
    /// costs an `lstat`.
    pub fn file_type(&self) -> io::Result<FileType> {
        if self.kind == DT_UNKNOWN {
            return self.metadata().map(|m| m.file_type());
        }
        Ok(FileType::from_dirent(self.kind))
    }
}

impl fmt::Debug for DirEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DirEntry").field(&self.path()).finish()
    }
}

impl DirBuilder {
    pub fn new() -> DirBuilder {
        DirBuilder { mode: 0o777 }
    }

    pub fn mkdir(&self, p: &Path) -> io::Result<()> {
        run_path_with_cstr(p, &|p| cvt_abi(vibix_abi::fs::mkdir(p, self.mode)))
    }
}
