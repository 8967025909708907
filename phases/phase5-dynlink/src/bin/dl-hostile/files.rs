//! The scratch directory the corpus is written to (`/tmp/dl-hostile-<pid>`),
//! its paths, and the files written there, removed at the end.

use core::ffi::CStr;

use crate::sys::{self, Errno};

/// A path: bytes and a NUL, on the stack.
#[derive(Clone, Copy)]
pub struct Path {
    buf: [u8; 128],
    len: usize,
}

impl Path {
    fn of(parts: &[&[u8]]) -> Path {
        let mut p = Path {
            buf: [0; 128],
            len: 0,
        };
        for part in parts {
            let n = part.len().min(p.buf.len() - 1 - p.len);
            p.buf[p.len..p.len + n].copy_from_slice(&part[..n]);
            p.len += n;
        }
        p
    }
    pub fn from_str(s: &str) -> Path {
        Path::of(&[s.as_bytes()])
    }
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("?")
    }
    pub fn as_cstr(&self) -> &CStr {
        CStr::from_bytes_until_nul(&self.buf).unwrap_or(c"?")
    }
}

/// The directory, and what was written in it.
pub struct Files {
    dir: Path,
    written: [Option<Path>; 4],
}

impl Files {
    /// Makes the directory.
    pub fn new() -> Result<Files, Errno> {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut pid = sys::getpid();
        loop {
            at -= 1;
            digits[at] = b'0' + (pid % 10) as u8;
            pid /= 10;
            if pid == 0 {
                break;
            }
        }
        let dir = Path::of(&[b"/tmp/dl-hostile-", &digits[at..]]);
        sys::mkdir(dir.as_cstr())?;
        Ok(Files {
            dir,
            written: [None; 4],
        })
    }

    /// `<dir>/` followed by `parts`.
    pub fn path(&self, parts: &[&str]) -> Path {
        let mut all: [&[u8]; 8] = [b""; 8];
        all[0] = &self.dir.buf[..self.dir.len];
        all[1] = b"/";
        for (slot, part) in all[2..].iter_mut().zip(parts) {
            *slot = part.as_bytes();
        }
        Path::of(&all)
    }

    /// Writes `bytes` to `path` (executable), to be removed by [`clear`](Self::clear).
    pub fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Errno> {
        let slot = self.written.iter_mut().find(|w| w.is_none());
        let Some(slot) = slot else {
            return Err(vibix_uapi::errno::ENOSPC as usize);
        };
        *slot = Some(*path);
        sys::write_file(path.as_cstr(), bytes)
    }

    /// Removes the files written so far.
    pub fn clear(&mut self) {
        for w in self.written.iter_mut() {
            if let Some(path) = w.take() {
                sys::remove(path.as_cstr(), false);
            }
        }
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        self.clear();
        sys::remove(self.dir.as_cstr(), true);
    }
}
