//! `<stdlib.h>`: unique temporary names: `mkstemp`, `mkostemp` (a file,
//! created and opened) and `mkdtemp` (a directory). The template's last six
//! characters must be `XXXXXX` (else `EINVAL`); they are replaced with
//! random letters and digits from `getrandom`, retrying while the name
//! exists, at most glibc's `TMP_MAX` (238328) times.

use vibix_uapi::Errno;
use vibix_uapi::fcntl::{AT_FDCWD, O_CREAT, O_EXCL, O_RDWR};
use vibix_uapi::{nr, syscall};

use crate::sysret::{fail, ret_int};
use crate::types::{c_char, c_int};

/// The characters a name is made of (glibc's: letters and digits).
const LETTERS: &[u8; 62] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// How many names to try before giving up with `EEXIST`.
const ATTEMPTS: u32 = 238_328;

/// Fills the template's `XXXXXX` with random names until `create` (given
/// the template) stops failing with `EEXIST`; returns its result.
///
/// # Safety
///
/// `template` must be a writable NUL-terminated string.
unsafe fn fill(template: *mut c_char, mut create: impl FnMut(*mut c_char) -> c_int) -> c_int {
    // SAFETY: `template` is NUL-terminated (the caller's contract).
    let len = unsafe { core::ffi::CStr::from_ptr(template) }.count_bytes();
    // SAFETY: `len` bytes are readable (the string without its NUL).
    let name = unsafe { core::slice::from_raw_parts_mut(template.cast::<u8>(), len) };
    if len < 6 || &name[len - 6..] != b"XXXXXX" {
        return fail(Errno::EINVAL);
    }
    for _ in 0..ATTEMPTS {
        let mut random = [0u8; 6];
        if let Err(e) = vibix_abi::random::fill(&mut random) {
            return fail(e);
        }
        for (slot, r) in name[len - 6..].iter_mut().zip(random) {
            *slot = LETTERS[usize::from(r) % LETTERS.len()];
        }
        let r = create(template);
        if r >= 0 || vibix_abi::errno::errno() != Errno::EEXIST.raw() {
            return r;
        }
    }
    fail(Errno::EEXIST)
}

/// Replaces the template's `XXXXXX` with a name no file has, creates that
/// file (mode 0600) and returns it open for reading and writing.
///
/// # Safety
///
/// `template` must be a writable NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mkstemp(template: *mut c_char) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { mkostemp(template, 0) }
}

/// [`mkstemp`] with more `open` flags (`O_CLOEXEC`, `O_APPEND`, ...).
///
/// # Safety
///
/// `template` must be a writable NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mkostemp(template: *mut c_char, flags: c_int) -> c_int {
    let flags = (flags & !3) | O_RDWR | O_CREAT | O_EXCL;
    // SAFETY: the caller's contract; the kernel reads the NUL-terminated
    // name the closure is given.
    unsafe {
        fill(template, |t| {
            ret_int(syscall!(nr::OPENAT, AT_FDCWD, t, flags, 0o600))
        })
    }
}

/// Replaces the template's `XXXXXX` with a name nothing has and creates a
/// directory there (mode 0700); returns the template, or NULL.
///
/// # Safety
///
/// `template` must be a writable NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mkdtemp(template: *mut c_char) -> *mut c_char {
    // SAFETY: the caller's contract; the kernel reads the NUL-terminated
    // name the closure is given.
    let r = unsafe { fill(template, |t| ret_int(syscall!(nr::MKDIR, t, 0o700))) };
    if r < 0 {
        core::ptr::null_mut()
    } else {
        template
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_without_six_xs_are_refused() {
        for t in [&b"\0"[..], b"XXXXX\0", b"/tmp/aXXXXXb\0", b"XXXXXx\0"] {
            let mut t = t.to_vec();
            // SAFETY: `t` is a writable NUL-terminated template; it is
            // refused before any system call.
            assert_eq!(unsafe { mkstemp(t.as_mut_ptr().cast()) }, -1);
            assert_eq!(vibix_abi::errno::errno(), Errno::EINVAL.raw());
            // SAFETY: as above.
            assert!(unsafe { mkdtemp(t.as_mut_ptr().cast()) }.is_null());
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn makes_unique_files_and_directories() {
        let mut t = *b"/tmp/vibix-libc-mkstemp-XXXXXX\0";
        // SAFETY: `t` is a writable NUL-terminated template.
        let fd = unsafe { mkstemp(t.as_mut_ptr().cast()) };
        assert!(fd >= 0);
        assert!(!t.ends_with(b"XXXXXX\0"));
        assert!(t[24..30].iter().all(u8::is_ascii_alphanumeric));
        let path = std::str::from_utf8(&t[..30]).unwrap();
        let meta = std::fs::metadata(path).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        std::fs::remove_file(path).unwrap();
        crate::unistd::io::close(fd);

        let mut d = *b"/tmp/vibix-libc-mkdtemp-XXXXXX\0";
        // SAFETY: as above.
        let r = unsafe { mkdtemp(d.as_mut_ptr().cast()) };
        assert_eq!(r, d.as_mut_ptr().cast());
        let path = std::str::from_utf8(&d[..30]).unwrap();
        assert!(std::fs::metadata(path).unwrap().is_dir());
        std::fs::remove_dir(path).unwrap();

        let mut bad = *b"/tmp/x-XXXXX\0";
        // SAFETY: as above.
        assert_eq!(unsafe { mkstemp(bad.as_mut_ptr().cast()) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        // SAFETY: as above.
        assert!(unsafe { mkdtemp(bad.as_mut_ptr().cast()) }.is_null());
    }
}
