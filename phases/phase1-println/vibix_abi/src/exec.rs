//! Running a program: `execve`, and what a caller prepares for it before
//! `fork`.
//!
//! Between `fork` and `execve` the child may only do async-signal-safe work:
//! no allocation (the allocator's lock or free lists may be mid-update in
//! the parent's copy of memory), so everything `execve` reads is built
//! first, in the parent:
//!
//! - the argument and environment vectors: NUL-terminated strings and a
//!   null-terminated array of pointers to them, [`pack`]ed into two buffers
//!   whose sizes [`packed_size`] gives;
//! - the paths to try: a program name without a `/` is looked up in `PATH`
//!   ([`search_path`]), as C's `execvp` does, and each candidate is packed
//!   the same way, so the child only walks an array;
//! - what to report when every candidate failed ([`Search`]): `execvp`'s
//!   rule, so the error is the one Linux's std reports.
//!
//! This crate has no allocator of its own (it is below std's), so the
//! caller owns the buffers; the logic here is pure and tested on the host.

use core::ffi::c_char;

use crate::errno::{Errno, check};
use crate::{nr, syscall};

/// The bytes and pointers a packed string array needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PackedSize {
    /// Every string's bytes and its NUL.
    pub bytes: usize,
    /// One pointer per string, and the final null pointer.
    pub pointers: usize,
}

/// Why [`pack`] refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackError {
    /// A string contains a NUL byte: C would see it cut short.
    Nul,
    /// The buffers are not the sizes [`packed_size`] gave.
    Size,
}

/// The sizes [`pack`] needs for `items`, each string being the
/// concatenation of its parts (an environment entry is `[key, "=", value]`).
pub fn packed_size<'a, I, P>(items: I) -> PackedSize
where
    I: IntoIterator<Item = P>,
    P: IntoIterator<Item = &'a [u8]>,
{
    let mut size = PackedSize {
        bytes: 0,
        pointers: 1,
    };
    for parts in items {
        size.bytes += parts.into_iter().map(<[u8]>::len).sum::<usize>() + 1;
        size.pointers += 1;
    }
    size
}

// ANCHOR: pack
/// Writes `items` as C strings into `bytes` and their addresses, then a
/// null pointer, into `pointers`: the `char *const argv[]` shape `execve`
/// takes. The buffers must have exactly the sizes [`packed_size`] gives.
///
/// The pointers point into `bytes`: they are valid while `bytes` is neither
/// moved nor written (a `Vec`'s heap buffer stays put when the `Vec`
/// moves).
pub fn pack<'a, I, P>(
    items: I,
    bytes: &mut [u8],
    pointers: &mut [*const c_char],
) -> core::result::Result<(), PackError>
where
    I: IntoIterator<Item = P>,
    P: IntoIterator<Item = &'a [u8]>,
{
    // First the strings, each slot holding its string's offset; then, with
    // every write to `bytes` done, the offsets become pointers derived from
    // one shared borrow of it, which later reads of `bytes` leave valid.
    let mut at = 0;
    let total = pointers.len();
    let mut slots = pointers.iter_mut();
    for parts in items {
        let slot = slots.next().ok_or(PackError::Size)?;
        *slot = core::ptr::without_provenance(at);
        for part in parts {
            if part.contains(&0) {
                return Err(PackError::Nul);
            }
            let end = at + part.len();
            bytes
                .get_mut(at..end)
                .ok_or(PackError::Size)?
                .copy_from_slice(part);
            at = end;
        }
        *bytes.get_mut(at).ok_or(PackError::Size)? = 0;
        at += 1;
    }
    let strings = total - slots.len();
    *slots.next().ok_or(PackError::Size)? = core::ptr::null();
    if at != bytes.len() || slots.next().is_some() {
        return Err(PackError::Size);
    }
    let base = bytes.as_ptr().cast::<c_char>();
    for slot in &mut pointers[..strings] {
        *slot = base.wrapping_add(slot.addr());
    }
    Ok(())
}
// ANCHOR_END: pack

/// The search path C's `execvp` uses when `PATH` is not set (glibc's
/// `_CS_PATH`).
pub const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin";

// ANCHOR: search_path
/// The paths to try for `program`, each as parts to concatenate (ready for
/// [`packed_size`] and [`pack`]): `program` itself if it contains a `/` (or
/// is empty, which `execve` refuses with `ENOENT`), else `dir/program` for
/// each directory of `path` (`PATH`'s value; [`DEFAULT_PATH`] if `None`),
/// in order. An empty entry of `PATH` means the current directory, as in
/// `execvp`.
pub fn search_path<'a>(
    program: &'a [u8],
    path: Option<&'a [u8]>,
) -> impl Iterator<Item = [&'a [u8]; 3]> + Clone + 'a {
    let direct = program.is_empty() || program.contains(&b'/');
    let dirs = if direct {
        None
    } else {
        Some(path.unwrap_or(DEFAULT_PATH).split(|&b| b == b':'))
    };
    let itself = direct.then_some([program, &b""[..], &b""[..]]);
    itself
        .into_iter()
        .chain(dirs.into_iter().flatten().map(move |dir| {
            if dir.is_empty() {
                [program, &b""[..], &b""[..]]
            } else {
                [dir, &b"/"[..], program]
            }
        }))
}
// ANCHOR_END: search_path

/// What a search through the candidates of [`search_path`] reports, by
/// `execvp`'s rule: a directory where the program is missing (`ENOENT`,
/// `ENOTDIR`, …) is skipped; one where it exists but may not be run
/// (`EACCES`) is skipped but remembered, so that `EACCES` is the answer if
/// nothing else is found; any other error (`ENOEXEC`, `E2BIG`, `ENOMEM`, …)
/// ends the search with that error. (glibc's `execvp` also runs a file that
/// fails with `ENOEXEC` through `/bin/sh`; vibix has no shell, and std on
/// Linux calls `execvp` only on some paths, so that rule is left out.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Search {
    saw_eacces: bool,
    last: Errno,
    stopped: bool,
}

impl Default for Search {
    fn default() -> Self {
        Self::new()
    }
}

impl Search {
    /// A search before any attempt (with no candidate at all, `ENOENT`).
    pub const fn new() -> Search {
        Search {
            saw_eacces: false,
            last: Errno::ENOENT,
            stopped: false,
        }
    }

    /// Records that a candidate failed with `err`; whether to try the next.
    pub fn failed(&mut self, err: Errno) -> bool {
        self.last = err;
        match err {
            Errno::EACCES => self.saw_eacces = true,
            Errno::ENOENT | Errno::ENOTDIR | Errno::ENODEV | Errno::ETIMEDOUT | Errno::ESTALE => {}
            _ => self.stopped = true,
        }
        !self.stopped
    }

    /// The error to report once the search ended without running anything.
    pub fn error(&self) -> Errno {
        if !self.stopped && self.saw_eacces {
            Errno::EACCES
        } else {
            self.last
        }
    }
}

/// Replaces the calling process's program with the one at `path`. Returns
/// only if that failed, with the reason.
///
/// # Safety
///
/// `path` must point to a NUL-terminated string; `argv` and `envp` to
/// null-terminated arrays of pointers to NUL-terminated strings (what
/// [`pack`] makes), all readable for the duration of the call.
pub unsafe fn execve(
    path: *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> Errno {
    // SAFETY: the caller guarantees the strings and arrays; the kernel only
    // reads them, and on success this process's memory is replaced.
    let ret = check(unsafe { syscall!(nr::EXECVE, path, argv, envp) });
    match ret {
        Ok(_) => Errno::EINVAL, // execve never returns on success
        Err(e) => e,
    }
}

/// [`execve`] through each of the null-terminated array `candidates` in
/// turn, by [`Search`]'s rule; returns the error to report if none ran.
/// Allocates nothing, so a child may call it between `fork` and `execve`.
///
/// # Safety
///
/// `candidates`, `argv` and `envp` must be null-terminated arrays of
/// pointers to NUL-terminated strings, readable for the duration of the
/// call.
pub unsafe fn execve_first(
    candidates: *const *const c_char,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> Errno {
    let mut search = Search::new();
    let mut at = candidates;
    loop {
        // SAFETY: the array is null-terminated and readable (the caller's
        // promise); `at` has not gone past its null pointer.
        let path = unsafe { *at };
        if path.is_null() {
            return search.error();
        }
        // SAFETY: `path` is one of the array's strings; argv and envp are
        // the caller's.
        let err = unsafe { execve(path, argv, envp) };
        if !search.failed(err) {
            return search.error();
        }
        // SAFETY: `path` was not the null terminator, so the next entry is
        // still inside the array.
        at = unsafe { at.add(1) };
    }
}

#[cfg(test)]
mod tests;
