//! (internal) The account files, `/etc/passwd` and `/etc/group`, as
//! `<pwd.h>` and `<grp.h>` read them: the whole file read at once, its
//! lines split at `:`, and a record's strings copied into the caller's
//! buffer as C strings (the reentrant `get*_r` calls own no memory).

extern crate alloc;

use alloc::vec::Vec;

use vibix_uapi::fcntl::{AT_FDCWD, O_CLOEXEC, O_RDONLY};
use vibix_uapi::{Errno, nr, syscall};

use core::ptr;

use crate::types::{c_char, c_int, size_t};

/// The whole file at `path` (NUL-terminated), or the error that stopped
/// its reading.
pub(crate) fn read_all(path: &[u8]) -> Result<Vec<u8>, Errno> {
    debug_assert_eq!(path.last(), Some(&0));
    // SAFETY: `path` is NUL-terminated.
    let fd = Errno::from_ret(unsafe {
        syscall!(nr::OPENAT, AT_FDCWD, path.as_ptr(), O_RDONLY | O_CLOEXEC, 0)
    })?;
    let mut data: Vec<u8> = Vec::new();
    let result = loop {
        data.reserve(4096);
        let spare = data.capacity() - data.len();
        // SAFETY: the kernel writes at most `spare` bytes into the vector's
        // unused capacity.
        let r = unsafe { syscall!(nr::READ, fd, data.as_mut_ptr().add(data.len()), spare) };
        match Errno::from_ret(r) {
            Ok(0) => break Ok(data),
            // SAFETY: the kernel initialised those `n` bytes.
            Ok(n) => unsafe { data.set_len(data.len() + n) },
            Err(e) if e == Errno::EINTR => {}
            Err(e) => break Err(e),
        }
    };
    crate::unistd::io::close(fd as i32);
    result
}

/// The records of an account file: its lines with exactly `fields`
/// `:`-separated fields (others, comments and NIS's `+`/`-` lines, are
/// skipped as glibc's `files` source skips them).
pub(crate) fn records(data: &[u8], fields: usize) -> impl Iterator<Item = Vec<&[u8]>> {
    data.split(|&b| b == b'\n').filter_map(move |line| {
        if line.is_empty() || matches!(line[0], b'#' | b'+' | b'-') {
            return None;
        }
        let parts: Vec<&[u8]> = line.split(|&b| b == b':').collect();
        (parts.len() == fields).then_some(parts)
    })
}

/// Which record a lookup wants: by name (the first field) or by id (the
/// third: the uid in `/etc/passwd`, the gid in `/etc/group`).
pub(crate) enum Key<'a> {
    Name(&'a [u8]),
    Id(u32),
}

impl Key<'_> {
    fn matches(&self, record: &[&[u8]]) -> bool {
        match *self {
            Key::Name(name) => record[0] == name,
            Key::Id(want) => id(record[2]) == Some(want),
        }
    }
}

/// The reentrant `get*_r` convention over the account file at `path`:
/// finds the first record of `fields` fields that `key` names, lets
/// `build` make the C structure from it (its strings in the caller's
/// buffer; `None` for a record whose ids do not parse), writes it to `*out`
/// and points `*result` at `out`. Not found (or no file) is `0` with
/// `*result` NULL; a buffer too small is `ERANGE`.
///
/// # Safety
///
/// `out` and `result` must be writable, `buf` writable for `len` bytes.
pub(crate) unsafe fn lookup_r<T>(
    path: &[u8],
    fields: usize,
    key: Key<'_>,
    build: impl FnOnce(&[&[u8]], &mut Arena) -> Result<Option<T>, Errno>,
    (out, buf, len, result): (*mut T, *mut c_char, size_t, *mut *mut T),
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { *result = ptr::null_mut() };
    let data = match read_all(path) {
        Ok(d) => d,
        // No file: no such record (glibc says so too).
        Err(e) if e == Errno::ENOENT => return 0,
        Err(e) => return e.raw(),
    };
    let Some(record) = records(&data, fields).find(|r| key.matches(r)) else {
        return 0;
    };
    // SAFETY: the caller's contract on `buf`.
    let mut arena = unsafe { Arena::new(buf, len) };
    match build(&record, &mut arena) {
        Ok(Some(value)) => {
            // SAFETY: the caller's contract.
            unsafe {
                out.write(value);
                *result = out;
            }
            0
        }
        Ok(None) => 0,
        Err(e) => e.raw(),
    }
}

/// A decimal id field (`uid_t`, `gid_t`), if it is one.
pub(crate) fn id(field: &[u8]) -> Option<u32> {
    if field.is_empty() || field.len() > 10 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in field {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    u32::try_from(v).ok()
}

/// Hands out the caller's buffer front to back: pointer arrays, then C
/// strings. Running out is `ERANGE`, as the `get*_r` calls report it.
pub(crate) struct Arena {
    next: *mut c_char,
    left: usize,
}

impl Arena {
    /// # Safety
    ///
    /// `buf` must be writable for `len` bytes while the arena is used.
    pub(crate) unsafe fn new(buf: *mut c_char, len: usize) -> Arena {
        Arena {
            next: buf,
            left: len,
        }
    }

    /// Room for `n` pointers, aligned for them.
    pub(crate) fn pointers(&mut self, n: usize) -> Result<*mut *mut c_char, Errno> {
        let align = core::mem::align_of::<*mut c_char>();
        let pad = self.next.align_offset(align);
        let size = n
            .checked_mul(core::mem::size_of::<*mut c_char>())
            .and_then(|s| s.checked_add(pad))
            .ok_or(Errno::ERANGE)?;
        if size > self.left {
            return Err(Errno::ERANGE);
        }
        // SAFETY: `pad` is within the `left` bytes from `next`.
        let at = unsafe { self.next.add(pad) }.cast::<*mut c_char>();
        // SAFETY: `size` bytes from `next` are the caller's buffer.
        self.next = unsafe { self.next.add(size) };
        self.left -= size;
        Ok(at)
    }

    /// `s` copied as a NUL-terminated string.
    pub(crate) fn string(&mut self, s: &[u8]) -> Result<*mut c_char, Errno> {
        if s.len() >= self.left {
            return Err(Errno::ERANGE);
        }
        let at = self.next;
        // SAFETY: `s.len() + 1` bytes fit in what is left of the buffer,
        // which `s` (the file's data, on the heap) does not overlap.
        unsafe {
            core::ptr::copy_nonoverlapping(s.as_ptr().cast::<c_char>(), at, s.len());
            *at.add(s.len()) = 0;
            self.next = at.add(s.len() + 1);
        }
        self.left -= s.len() + 1;
        Ok(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_records_and_ids() {
        let data = b"root:x:0:0:root:/root:/bin/sh\n# comment\n+nis\nshort:x:1\n\nb:x:5:6:::\n";
        let recs: Vec<_> = records(data, 7).collect();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0][0], b"root");
        assert_eq!(recs[1][6], b"");
        assert_eq!(id(b"65534"), Some(65534));
        assert_eq!(id(b"4294967295"), Some(u32::MAX));
        assert_eq!(id(b"4294967296"), None);
        assert_eq!(id(b""), None);
        assert_eq!(id(b"1a"), None);
    }

    #[test]
    fn arena_runs_out_with_erange() {
        let mut buf = [0 as c_char; 16];
        // SAFETY: `buf` outlives the arena.
        let mut a = unsafe { Arena::new(buf.as_mut_ptr(), buf.len()) };
        assert!(a.string(b"abcdefg").is_ok());
        assert_eq!(a.string(b"abcdefgh").err(), Some(Errno::ERANGE));
        assert!(a.string(b"abcdefg").is_ok());
        assert_eq!(a.string(b"").err(), Some(Errno::ERANGE));
    }
}
