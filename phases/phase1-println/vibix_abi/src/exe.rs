//! Which program this is: the path the kernel started it from, for
//! `std::env::current_exe`.
//!
//! Linux's std reads the link `/proc/self/exe`, which the kernel keeps
//! pointing at the executable. vibix has no `/proc`; what it has is the
//! auxiliary vector's `AT_EXECFN`, the path `execve` was given, which the
//! kernel copies to the top of the new stack. That path may be relative
//! (`./prog`), and relative to the working directory *at the time of the
//! `execve`*, which the program may change before it asks. So at start-up,
//! and only when `AT_EXECFN` is relative, [`capture_cwd_at_start`] keeps the
//! working directory in a static buffer; [`current_exe_parts`] then joins
//! the two. The buffer is `.bss`: a program started by an absolute path
//! never touches its pages.

use core::cell::UnsafeCell;
use core::ffi::CStr;
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::cwd::{PATH_MAX, getcwd};
use crate::start;

/// The working directory at start-up, when it was needed.
struct CwdAtStart {
    bytes: UnsafeCell<[u8; PATH_MAX]>,
    /// The path's length; `NONE` until (and unless) it is captured.
    len: AtomicUsize,
}

const NONE: usize = usize::MAX;

// SAFETY: `bytes` is written only by `capture_cwd_at_start`, whose contract
// is that nothing else runs yet; it is read only after `len` (Release,
// then Acquire) says it was written, and never written again.
unsafe impl Sync for CwdAtStart {}

static CWD_AT_START: CwdAtStart = CwdAtStart {
    bytes: UnsafeCell::new([0; PATH_MAX]),
    len: AtomicUsize::new(NONE),
};

/// The path the program was started from (`AT_EXECFN`), as given to
/// `execve`: absolute or relative to [`cwd_at_start`].
pub fn execfn() -> Option<&'static CStr> {
    let addr = start::recorded()?.getauxval(start::auxv::AT_EXECFN)?;
    if addr == 0 {
        return None;
    }
    // SAFETY: the kernel's AT_EXECFN points at a NUL-terminated string on
    // the initial stack, which stays and is never written for the life of
    // the program (`start::record`'s contract).
    Some(unsafe { CStr::from_ptr(core::ptr::with_exposed_provenance(addr)) })
}

/// Records the working directory if [`execfn`] is relative.
///
/// # Safety
///
/// Call once, at start-up, before anything else can read it (no other
/// thread exists yet).
pub unsafe fn capture_cwd_at_start() {
    let Some(execfn) = execfn() else { return };
    if execfn.to_bytes().first() == Some(&b'/') {
        return;
    }
    // SAFETY: nothing else accesses the buffer yet (the caller's promise).
    let bytes = unsafe { &mut *CWD_AT_START.bytes.get() };
    if let Ok(len) = getcwd(bytes) {
        CWD_AT_START.len.store(len, Ordering::Release);
    }
}

/// The working directory at start-up, if [`capture_cwd_at_start`] needed
/// and got it.
pub fn cwd_at_start() -> Option<&'static [u8]> {
    let len = CWD_AT_START.len.load(Ordering::Acquire);
    if len == NONE {
        return None;
    }
    // SAFETY: `len` was stored after the bytes were written, and they are
    // never written again.
    let bytes = unsafe { &*CWD_AT_START.bytes.get() };
    bytes.get(..len)
}

// ANCHOR: current_exe
/// The executable's absolute path, in parts to concatenate: `None` if the
/// kernel gave no `AT_EXECFN`, or it was relative and the working directory
/// could not be read at start-up.
pub fn current_exe_parts() -> Option<impl Iterator<Item = &'static [u8]>> {
    let execfn = execfn()?.to_bytes();
    let base: &[u8] = if execfn.first() == Some(&b'/') {
        b"/"
    } else {
        cwd_at_start()?
    };
    Some(join(base, execfn))
}
// ANCHOR_END: current_exe

/// `path` made absolute against the absolute directory `base`, in parts
/// to concatenate, each `/` and a name. Empty and `.` components are left
/// out; `..` stays (removing it could be wrong where a component is a
/// symbolic link), so the result names the same file. An absolute `path`
/// ignores `base`. The root is the single part `/`.
pub fn join<'a>(base: &'a [u8], path: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let base = if path.first() == Some(&b'/') {
        &b""[..]
    } else {
        base
    };
    let names = base
        .split(|&b| b == b'/')
        .chain(path.split(|&b| b == b'/'))
        .filter(|c| !c.is_empty() && *c != b".");
    let empty = names.clone().next().is_none();
    names
        .flat_map(|name| [&b"/"[..], name])
        .chain(empty.then_some(&b"/"[..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn joined(base: &str, path: &str) -> std::string::String {
        let bytes: Vec<u8> = join(base.as_bytes(), path.as_bytes())
            .flatten()
            .copied()
            .collect();
        std::string::String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn relative_paths_join_the_base() {
        assert_eq!(joined("/bin", "prog"), "/bin/prog");
        assert_eq!(joined("/", "./prog"), "/prog");
        assert_eq!(joined("/home/me/", "./sub//./prog"), "/home/me/sub/prog");
        assert_eq!(joined("/a/b", "../prog"), "/a/b/../prog");
    }

    #[test]
    fn absolute_paths_ignore_the_base() {
        assert_eq!(joined("/x", "/bin/prog"), "/bin/prog");
        assert_eq!(joined("/x", "//bin/./prog"), "/bin/prog");
    }

    #[test]
    fn nothing_left_is_the_root() {
        assert_eq!(joined("/", "."), "/");
        assert_eq!(joined("/", "/"), "/");
        assert_eq!(joined("", ""), "/");
    }

    #[test]
    fn no_capture_without_a_recorded_stack() {
        // The host's `_start` is the C library's: nothing is recorded by
        // this crate unless a test records a stack (start.rs's does, without
        // AT_EXECFN), so there is never a start-up directory to capture.
        assert_eq!(cwd_at_start(), None);
    }
}
