//! vibix: `std::fs`. The types live in their own files (`file.rs`: `File`
//! and `OpenOptions`; `attr.rs`: metadata, permissions, times; `dir.rs`:
//! `read_dir` and `create_dir`); this file holds the operations on paths.
//! Each turns its `Path` into a C string once and makes one system call,
//! except `canonicalize`, which resolves the path itself (vibix has no
//! `realpath` and no `/proc`), and `copy`, `remove_dir_all` and `exists`,
//! which are std's portable versions over the calls here.

mod attr;
mod dir;
mod file;

pub use attr::{FileAttr, FilePermissions, FileTimes, FileType};
pub use dir::{DirBuilder, DirEntry, ReadDir, readdir};
pub use file::{File, OpenOptions};

use crate::ffi::CStr;
use crate::io;
use crate::path::{Component, Path, PathBuf};
pub use crate::sys::fs::common::{Dir, copy, exists, remove_dir_all};
use crate::sys::helpers::run_path_with_cstr;
use crate::sys::{cvt_abi, os_string};

/// Runs `f` with both paths as C strings.
fn with_two<T>(a: &Path, b: &Path, f: &dyn Fn(&CStr, &CStr) -> io::Result<T>) -> io::Result<T> {
    run_path_with_cstr(a, &|a| run_path_with_cstr(b, &|b| f(a, b)))
}

pub fn unlink(p: &Path) -> io::Result<()> {
    run_path_with_cstr(p, &|p| cvt_abi(vibix_abi::fs::unlink(p)))
}

pub fn rename(old: &Path, new: &Path) -> io::Result<()> {
    with_two(old, new, &|old, new| {
        cvt_abi(vibix_abi::fs::rename(old, new))
    })
}

pub fn rmdir(p: &Path) -> io::Result<()> {
    run_path_with_cstr(p, &|p| cvt_abi(vibix_abi::fs::rmdir(p)))
}

pub fn set_perm(p: &Path, perm: FilePermissions) -> io::Result<()> {
    run_path_with_cstr(p, &|p| cvt_abi(vibix_abi::fs::set_mode_at(p, perm.mode())))
}

fn set_times_at(p: &Path, times: FileTimes, follow: bool) -> io::Result<()> {
    let (a, m) = (
        times.accessed.map(file::timespec),
        times.modified.map(file::timespec),
    );
    run_path_with_cstr(p, &|p| {
        cvt_abi(vibix_abi::fs::set_times_at(p, follow, a, m))
    })
}

pub fn set_times(p: &Path, times: FileTimes) -> io::Result<()> {
    set_times_at(p, times, true)
}

pub fn set_times_nofollow(p: &Path, times: FileTimes) -> io::Result<()> {
    set_times_at(p, times, false)
}

pub fn readlink(p: &Path) -> io::Result<PathBuf> {
    run_path_with_cstr(p, &|p| {
        // A target that fills the buffer may have been cut: grow and retry.
        let mut buf = vec![0u8; 256];
        loop {
            let len = cvt_abi(vibix_abi::fs::readlink(p, &mut buf))?;
            if len < buf.len() {
                return Ok(PathBuf::from(os_string(&buf[..len])));
            }
            buf.resize(buf.len() * 2, 0);
        }
    })
}

pub fn symlink(original: &Path, link: &Path) -> io::Result<()> {
    with_two(original, link, &|o, l| {
        cvt_abi(vibix_abi::fs::symlink(o, l))
    })
}

pub fn link(original: &Path, link: &Path) -> io::Result<()> {
    with_two(original, link, &|o, l| cvt_abi(vibix_abi::fs::link(o, l)))
}

pub fn stat(p: &Path) -> io::Result<FileAttr> {
    run_path_with_cstr(p, &|p| cvt_abi(vibix_abi::fs::stat(p, true)).map(FileAttr))
}

pub fn lstat(p: &Path) -> io::Result<FileAttr> {
    run_path_with_cstr(p, &|p| cvt_abi(vibix_abi::fs::stat(p, false)).map(FileAttr))
}

// ANCHOR: canonicalize
/// Linux's `realpath`: an absolute path with no `.`, `..` or symbolic link
/// in it, naming an existing file. Walks the path one component at a time
/// from the working directory (or `/`), replacing each symbolic link by its
/// target, at most 40 of them (Linux's limit, then `ELOOP`). `..` goes up
/// from what has been resolved so far, so it is always the real parent.
pub fn canonicalize(p: &Path) -> io::Result<PathBuf> {
    const MAX_LINKS: usize = 40;
    let mut resolved = if p.is_absolute() {
        PathBuf::from("/")
    } else {
        crate::sys::paths::getcwd()?
    };
    // What is left to resolve, last component first.
    let mut todo: Vec<PathBuf> = p.components().rev().map(|c| c.as_os_str().into()).collect();
    let mut links = 0;
    while let Some(part) = todo.pop() {
        match part.components().next() {
            None | Some(Component::CurDir) => continue,
            Some(Component::RootDir | Component::Prefix(_)) => resolved = PathBuf::from("/"),
            Some(Component::ParentDir) => {
                // `x/..` is `ENOTDIR` when `x` is not a directory.
                if !lstat(&resolved)?.file_type().is_dir() {
                    return Err(io::Error::from_raw_os_error(
                        vibix_abi::Errno::ENOTDIR.raw(),
                    ));
                }
                resolved.pop();
            }
            Some(Component::Normal(name)) => {
                let candidate = resolved.join(name);
                if lstat(&candidate)?.file_type().is_symlink() {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(io::Error::from_raw_os_error(vibix_abi::Errno::ELOOP.raw()));
                    }
                    let target = readlink(&candidate)?;
                    todo.extend(target.components().rev().map(|c| c.as_os_str().into()));
                } else {
                    resolved = candidate;
                }
            }
        }
    }
    // The last component must exist, and what `..` went up through must
    // have been a directory: one `stat` of the result checks both.
    stat(&resolved)?;
    Ok(resolved)
}
// ANCHOR_END: canonicalize
