//! `<stdlib.h>`: `realpath`: the absolute path of a file with every `.`,
//! `..` and symbolic link resolved, as glibc computes it: each component
//! must exist (`ENOENT`), components before the last must be directories
//! (`ENOTDIR`), more than 40 links is `ELOOP`, a result longer than
//! `PATH_MAX - 1` is `ENAMETOOLONG`. With a NULL `resolved` the result is
//! `malloc`ed (the caller frees it); otherwise `resolved` must hold
//! `PATH_MAX` bytes.

use core::ffi::CStr;

use vibix_uapi::Errno;
use vibix_uapi::fcntl::{AT_FDCWD, AT_SYMLINK_NOFOLLOW};
use vibix_uapi::limits::PATH_MAX;
use vibix_uapi::stat::{S_IFDIR, S_IFLNK, S_IFMT, Stat};
use vibix_uapi::{nr, syscall};

use crate::sysret::{fail, ret};
use crate::types::{c_char, c_void, size_t};

unsafe extern "C" {
    // The C library's allocator (`<stdlib.h>`), for a NULL `resolved`.
    fn malloc(size: size_t) -> *mut c_void;
}

/// How many symbolic links one resolution may follow (Linux's and glibc's
/// `MAXSYMLINKS`).
const MAX_LINKS: u32 = 40;

/// A path being built, NUL-terminated for the kernel at each step.
struct PathBuf {
    bytes: [u8; PATH_MAX],
    len: usize,
}

impl PathBuf {
    /// Appends `/name`; `ENAMETOOLONG` if the path and its NUL would not
    /// fit in `PATH_MAX` bytes.
    fn push(&mut self, name: &[u8]) -> Result<(), Errno> {
        let sep = usize::from(self.len != 1);
        if self.len + sep + name.len() + 1 > PATH_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        if sep == 1 {
            self.bytes[self.len] = b'/';
        }
        self.bytes[self.len + sep..self.len + sep + name.len()].copy_from_slice(name);
        self.len += sep + name.len();
        self.bytes[self.len] = 0;
        Ok(())
    }

    /// Drops the last component (`/` stays `/`).
    fn pop(&mut self) {
        let last = self.bytes[..self.len]
            .iter()
            .rposition(|&b| b == b'/')
            .unwrap_or(0);
        self.len = last.max(1);
        self.bytes[self.len] = 0;
    }

    fn root(&mut self) {
        self.bytes[0] = b'/';
        self.bytes[1] = 0;
        self.len = 1;
    }
}

/// The status of `path` itself (not following a final link).
fn lstat(path: &[u8]) -> Result<Stat, Errno> {
    let mut st = Stat::default();
    // SAFETY: `path` is NUL-terminated (its last byte is the NUL); the
    // kernel writes one `struct stat` into `st`.
    let r = ret(unsafe {
        syscall!(
            nr::NEWFSTATAT,
            AT_FDCWD,
            path.as_ptr(),
            &raw mut st,
            AT_SYMLINK_NOFOLLOW
        )
    });
    if r < 0 {
        return Err(Errno::new(vibix_abi::errno::errno()).unwrap_or(Errno::EIO));
    }
    Ok(st)
}

/// Resolves `path` into `out`.
fn resolve(path: &[u8], out: &mut PathBuf) -> Result<(), Errno> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    // What is left to resolve: `rest[at..]`; a link's target is put in
    // front of what followed it.
    let mut rest = [0u8; 2 * PATH_MAX];
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    let mut at = rest.len() - path.len();
    rest[at..].copy_from_slice(path);
    if path[0] == b'/' {
        out.root();
    } else {
        // SAFETY: the kernel writes at most `PATH_MAX` bytes into `out`.
        let n = ret(unsafe { syscall!(nr::GETCWD, out.bytes.as_mut_ptr(), PATH_MAX) });
        if n < 0 {
            return Err(Errno::new(vibix_abi::errno::errno()).unwrap_or(Errno::EIO));
        }
        out.len = n as usize - 1;
    }
    let mut links = 0;
    while at < rest.len() {
        // The next component, and what follows it.
        let tail = &rest[at..];
        let end = tail.iter().position(|&b| b == b'/').unwrap_or(tail.len());
        let mut name = [0u8; PATH_MAX];
        name[..end].copy_from_slice(&tail[..end]);
        let name = &name[..end];
        at += end;
        // A '/' after the name: it must be a directory.
        let more = at < rest.len();
        while at < rest.len() && rest[at] == b'/' {
            at += 1;
        }
        match name {
            b"" | b"." => continue,
            b".." => {
                out.pop();
                continue;
            }
            _ => {}
        }
        out.push(name)?;
        let st = lstat(&out.bytes[..=out.len])?;
        match st.st_mode & S_IFMT {
            S_IFLNK => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(Errno::ELOOP);
                }
                let mut target = [0u8; PATH_MAX];
                // SAFETY: the path is NUL-terminated; the kernel writes at
                // most `PATH_MAX` bytes into `target`.
                let n = ret(unsafe {
                    syscall!(
                        nr::READLINK,
                        out.bytes.as_ptr(),
                        target.as_mut_ptr(),
                        PATH_MAX
                    )
                });
                if n < 0 {
                    return Err(Errno::new(vibix_abi::errno::errno()).unwrap_or(Errno::EIO));
                }
                let target = &target[..n as usize];
                // The target, then a '/' if one followed the link, then
                // what is left.
                let need = target.len() + usize::from(more);
                if need > at || target.is_empty() {
                    return Err(if target.is_empty() {
                        Errno::ENOENT
                    } else {
                        Errno::ENAMETOOLONG
                    });
                }
                if more {
                    at -= 1;
                    rest[at] = b'/';
                }
                at -= target.len();
                rest[at..at + target.len()].copy_from_slice(target);
                if target[0] == b'/' {
                    out.root();
                } else {
                    out.pop();
                }
            }
            S_IFDIR => {}
            _ if more => return Err(Errno::ENOTDIR),
            _ => {}
        }
    }
    Ok(())
}

/// The canonical absolute path of `path` (see the module's documentation).
///
/// # Safety
///
/// `path` must be a NUL-terminated string (NULL is `EINVAL`); `resolved`
/// NULL or writable for `PATH_MAX` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn realpath(path: *const c_char, resolved: *mut c_char) -> *mut c_char {
    if path.is_null() {
        fail(Errno::EINVAL);
        return core::ptr::null_mut();
    }
    // SAFETY: `path` is NUL-terminated (the caller's contract).
    let path = unsafe { CStr::from_ptr(path) }.to_bytes();
    let mut out = PathBuf {
        bytes: [0; PATH_MAX],
        len: 0,
    };
    if let Err(e) = resolve(path, &mut out) {
        fail(e);
        return core::ptr::null_mut();
    }
    let dst = if resolved.is_null() {
        // SAFETY: `malloc` has no preconditions.
        let p = unsafe { malloc(out.len + 1) }.cast::<c_char>();
        if p.is_null() {
            fail(Errno::ENOMEM);
            return p;
        }
        p
    } else {
        resolved
    };
    // SAFETY: `dst` holds at least `out.len + 1 <= PATH_MAX` bytes (the
    // allocation, or the caller's buffer).
    unsafe { core::ptr::copy_nonoverlapping(out.bytes.as_ptr().cast(), dst, out.len + 1) };
    dst
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::os::unix::fs::symlink;

    use super::*;
    use crate::testutil::{Scratch, cstr};

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn same_as_glibc() {
        let _cwd = crate::testutil::cwd_lock();
        let s = Scratch::new("realpath");
        let root = &s.0;
        std::fs::create_dir_all(root.join("d/e")).unwrap();
        std::fs::write(root.join("f"), b"").unwrap();
        symlink("d", root.join("rel")).unwrap();
        symlink(root.join("d/e"), root.join("abs")).unwrap();
        symlink("rel/e/../../f", root.join("chain")).unwrap();
        symlink("loop2", root.join("loop1")).unwrap();
        symlink("loop1", root.join("loop2")).unwrap();
        symlink("missing", root.join("dangling")).unwrap();
        symlink("..", root.join("d/up")).unwrap();
        let base = root.to_str().unwrap();
        let mut cases: std::vec::Vec<std::string::String> = [
            "",
            "/",
            "//",
            "/.",
            "/..",
            ".",
            "..",
            "f",
            "f/",
            "d//e/./",
            "rel",
            "rel/e",
            "abs",
            "abs/..",
            "chain",
            "chain/",
            "rel/",
            "loop1",
            "dangling",
            "missing",
            "f/x",
            "d/up/d/up/f",
            "d/../f",
            "rel/../f",
            "abs/../../f/.",
        ]
        .iter()
        .map(|c| std::format!("{base}/{c}"))
        .collect();
        cases.extend(
            ["", ".", "..", "/", "/tmp/../tmp"]
                .iter()
                .map(|c| std::string::String::from(*c)),
        );
        for case in cases {
            let p = cstr(&case);
            let mut a = [0 as c_char; PATH_MAX];
            let mut b = [0 as c_char; PATH_MAX];
            crate::testutil::clear_errno();
            // SAFETY: NUL-terminated path, PATH_MAX-byte buffers.
            let (ra, rb) = unsafe {
                (
                    realpath(p.as_ptr(), a.as_mut_ptr()).is_null(),
                    libc::realpath(p.as_ptr(), b.as_mut_ptr()).is_null(),
                )
            };
            assert_eq!(ra, rb, "{case:?}");
            if ra {
                assert_eq!(
                    crate::testutil::our_errno(),
                    crate::testutil::host_errno(),
                    "{case:?}"
                );
            } else {
                // SAFETY: both hold NUL-terminated results.
                let (x, y) = unsafe { (CStr::from_ptr(a.as_ptr()), CStr::from_ptr(b.as_ptr())) };
                assert_eq!(x, y, "{case:?}");
            }
        }
        // A NULL buffer: the result is malloc'ed; NULL path is EINVAL.
        let p = cstr(base);
        // SAFETY: NUL-terminated path; the result is freed with free.
        unsafe {
            let r = realpath(p.as_ptr(), core::ptr::null_mut());
            assert!(!r.is_null());
            assert_eq!(CStr::from_ptr(r), p.as_c_str());
            libc::free(r.cast());
            assert!(realpath(core::ptr::null(), core::ptr::null_mut()).is_null());
            assert_eq!(crate::testutil::our_errno(), libc::EINVAL);
        }
    }
}
