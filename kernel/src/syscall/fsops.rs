//! File-system syscalls beyond open/read/write: the stat family,
//! getdents64, making and removing names (mkdir, rmdir, unlink, link,
//! symlink, rename), readlink, truncation, fsync, access, chmod. Each
//! call that takes a path has its `*at` form (a directory descriptor, or
//! `AT_FDCWD`), and the plain form is that one with `AT_FDCWD`.
//!
//! Each one reads its arguments (paths through `read_path`, so a bad
//! pointer is EFAULT and a path of PATH_MAX bytes or more ENAMETOOLONG),
//! then asks `kcore::fs::Tree`, which knows Linux's rules and error codes,
//! and copies any result out through `uaccess`. The order of the checks
//! follows Linux where a program could tell the difference.

use super::fs::{AT_FDCWD, file, read_path, start_dir, start_for};
use crate::arch::trap::TrapFrame;
use crate::fs::file::Target;
use crate::fs::stat;
use crate::fs::with_tree;
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::fs::{Ino, NodeKind};

/// `*at` flags.
const AT_SYMLINK_NOFOLLOW: u64 = vibix_uapi::fcntl::AT_SYMLINK_NOFOLLOW as u64;
const AT_REMOVEDIR: u64 = vibix_uapi::fcntl::AT_REMOVEDIR as u64;
const AT_NO_AUTOMOUNT: u64 = 0x800;
const AT_EMPTY_PATH: u64 = vibix_uapi::fcntl::AT_EMPTY_PATH as u64;
const AT_SYMLINK_FOLLOW: u64 = vibix_uapi::fcntl::AT_SYMLINK_FOLLOW as u64;

/// The most bytes one `getdents64` call returns (a bigger buffer is
/// filled only this far; the program simply calls again).
const GETDENTS_MAX: usize = 64 * 1024;

/// Copies `bytes` to user address `addr` of the current process.
fn copy_out(addr: u64, bytes: &[u8]) -> KResult<()> {
    with_current(|p| uaccess::copy_to_user(p.mm(), addr, bytes))
}

/// Resolves a path argument from `dirfd` to a node.
fn lookup(dirfd: i32, path_ptr: u64, follow: bool) -> KResult<Ino> {
    let path = read_path(path_ptr)?;
    let start = start_for(dirfd, &path)?;
    with_tree(|t| t.lookup(start, &path, follow))
}

/// The node an open descriptor refers to; `None` for the console or a pipe.
fn fd_node(fd: i32) -> KResult<Option<Ino>> {
    Ok(match file(fd)?.target {
        Target::Node(ino) => Some(ino),
        _ => None,
    })
}

// ---- stat ----

fn do_stat(dirfd: i32, path_ptr: u64, buf: u64, flags: u64) -> KResult<u64> {
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path(path_ptr)?;
    let st = if path.is_empty() && flags & AT_EMPTY_PATH != 0 {
        // The file `dirfd` itself (fstat), or the working directory.
        match dirfd {
            AT_FDCWD => {
                let cwd = start_dir(AT_FDCWD)?;
                with_tree(|t| stat::of_node(t, cwd))
            }
            fd => stat::of(&file(fd)?.target),
        }
    } else {
        let start = start_for(dirfd, &path)?;
        let follow = flags & AT_SYMLINK_NOFOLLOW == 0;
        with_tree(|t| {
            t.lookup(start, &path, follow)
                .map(|ino| stat::of_node(t, ino))
        })?
    };
    copy_out(buf, stat::as_bytes(&st)).map(|()| 0)
}

/// `stat(path, buf)`: follows a final symlink.
pub fn stat(f: &mut TrapFrame) -> KResult<u64> {
    do_stat(AT_FDCWD, f.arg(0), f.arg(1), 0)
}

/// `lstat(path, buf)`: a final symlink is described itself.
pub fn lstat(f: &mut TrapFrame) -> KResult<u64> {
    do_stat(AT_FDCWD, f.arg(0), f.arg(1), AT_SYMLINK_NOFOLLOW)
}

/// `newfstatat(dirfd, path, buf, flags)`: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
pub fn newfstatat(f: &mut TrapFrame) -> KResult<u64> {
    do_stat(f.arg(0) as i32, f.arg(1), f.arg(2), f.arg(3))
}

// ---- directories ----

// ANCHOR: getdents64
/// `getdents64(fd, dirp, count)`: as many whole `linux_dirent64` records
/// as fit in `count` bytes, from the directory's offset on; 0 at the end.
pub fn getdents64(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, dirp, count) = (f.arg(0) as i32, f.arg(1), f.arg(2) as u32 as usize);
    let file = file(fd)?;
    let Target::Node(ino) = file.target else {
        return Err(Errno::ENOTDIR);
    };
    let mut offset = file.offset.lock();
    let (records, next) = with_tree(|t| t.getdents64(ino, *offset, count.min(GETDENTS_MAX)))?;
    copy_out(dirp, &records)?;
    *offset = next;
    Ok(records.len() as u64)
}
// ANCHOR_END: getdents64

/// `mkdir(path, mode)`.
pub fn mkdir(f: &mut TrapFrame) -> KResult<u64> {
    do_mkdir(AT_FDCWD, f.arg(0), f.arg(1) as u32)
}

/// `mkdirat(dirfd, path, mode)`.
pub fn mkdirat(f: &mut TrapFrame) -> KResult<u64> {
    do_mkdir(f.arg(0) as i32, f.arg(1), f.arg(2) as u32)
}

fn do_mkdir(dirfd: i32, path_ptr: u64, mode: u32) -> KResult<u64> {
    let path = read_path(path_ptr)?;
    let start = start_for(dirfd, &path)?;
    let umask = super::umask::current();
    with_tree(|t| t.mkdir_at(start, &path, mode & !umask)).map(|_| 0)
}

/// `mknod(path, mode, dev)`.
pub fn mknod(f: &mut TrapFrame) -> KResult<u64> {
    do_mknod(AT_FDCWD, f.arg(0), f.arg(1) as u32, f.arg(2) as u32)
}

/// `mknodat(dirfd, path, mode, dev)`: a FIFO, a device node or an empty
/// regular file (`kcore::fs::special`). `dev` is the kernel's 32-bit
/// device number, which `st_rdev` shows back.
pub fn mknodat(f: &mut TrapFrame) -> KResult<u64> {
    do_mknod(f.arg(0) as i32, f.arg(1), f.arg(2) as u32, f.arg(3) as u32)
}

fn do_mknod(dirfd: i32, path_ptr: u64, mode: u32, dev: u32) -> KResult<u64> {
    let path = read_path(path_ptr)?;
    let start = start_for(dirfd, &path)?;
    let umask = super::umask::current();
    with_tree(|t| t.mknod_at(start, &path, mode & !umask, dev)).map(|_| 0)
}

/// `rmdir(path)`.
pub fn rmdir(f: &mut TrapFrame) -> KResult<u64> {
    do_unlink(AT_FDCWD, f.arg(0), AT_REMOVEDIR)
}

/// `unlink(path)`.
pub fn unlink(f: &mut TrapFrame) -> KResult<u64> {
    do_unlink(AT_FDCWD, f.arg(0), 0)
}

/// `unlinkat(dirfd, path, flags)`: `AT_REMOVEDIR` makes it `rmdir`.
pub fn unlinkat(f: &mut TrapFrame) -> KResult<u64> {
    do_unlink(f.arg(0) as i32, f.arg(1), f.arg(2))
}

fn do_unlink(dirfd: i32, path_ptr: u64, flags: u64) -> KResult<u64> {
    if flags & !AT_REMOVEDIR != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path(path_ptr)?;
    let start = start_for(dirfd, &path)?;
    with_tree(|t| {
        if flags & AT_REMOVEDIR != 0 {
            t.rmdir_at(start, &path)
        } else {
            t.unlink_at(start, &path)
        }
    })
    .map(|()| 0)
}

// ---- links ----

/// `link(old, new)`: a final symlink in `old` is not followed.
pub fn link(f: &mut TrapFrame) -> KResult<u64> {
    do_link(AT_FDCWD, f.arg(0), AT_FDCWD, f.arg(1), 0)
}

/// `linkat(olddirfd, old, newdirfd, new, flags)`: `AT_SYMLINK_FOLLOW`
/// follows a final symlink in `old`; `AT_EMPTY_PATH` with an empty `old`
/// links what `olddirfd` refers to.
pub fn linkat(f: &mut TrapFrame) -> KResult<u64> {
    let (old_dirfd, new_dirfd) = (f.arg(0) as i32, f.arg(2) as i32);
    do_link(
        old_dirfd,
        f.arg(1),
        new_dirfd,
        f.arg(3),
        f.arg(4) as u32 as u64,
    )
}

fn do_link(old_dirfd: i32, old_ptr: u64, new_dirfd: i32, new_ptr: u64, flags: u64) -> KResult<u64> {
    if flags & !(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let old = read_path(old_ptr)?;
    let new = read_path(new_ptr)?;
    if old.is_empty() && flags & AT_EMPTY_PATH != 0 {
        let ino = match old_dirfd {
            AT_FDCWD => start_dir(AT_FDCWD)?,
            // The console and pipes live on other file systems on Linux:
            // no link into this one.
            fd => fd_node(fd)?.ok_or(Errno::EXDEV)?,
        };
        let new_start = start_for(new_dirfd, &new)?;
        return with_tree(|t| t.link_to(ino, new_start, &new)).map(|()| 0);
    }
    let (old_start, new_start) = (start_for(old_dirfd, &old)?, start_for(new_dirfd, &new)?);
    let follow = flags & AT_SYMLINK_FOLLOW != 0;
    with_tree(|t| t.link_at(old_start, &old, new_start, &new, follow)).map(|()| 0)
}

/// `rename(old, new)`: relative paths from the working directory.
pub fn rename(f: &mut TrapFrame) -> KResult<u64> {
    do_rename(AT_FDCWD, f.arg(0), AT_FDCWD, f.arg(1), 0)
}

/// `renameat(olddirfd, old, newdirfd, new)`.
pub fn renameat(f: &mut TrapFrame) -> KResult<u64> {
    do_rename(f.arg(0) as i32, f.arg(1), f.arg(2) as i32, f.arg(3), 0)
}

/// `renameat2(olddirfd, old, newdirfd, new, flags)`: flags 0 or
/// `RENAME_NOREPLACE`; the others are EINVAL (`kcore::fs::ops::rename_flags`).
pub fn renameat2(f: &mut TrapFrame) -> KResult<u64> {
    let flags = u32::try_from(f.arg(4)).map_err(|_| Errno::EINVAL)?;
    do_rename(f.arg(0) as i32, f.arg(1), f.arg(2) as i32, f.arg(3), flags)
}

fn do_rename(
    old_dirfd: i32,
    old_ptr: u64,
    new_dirfd: i32,
    new_ptr: u64,
    flags: u32,
) -> KResult<u64> {
    // Bad flags first, before the paths are read (as Linux).
    kcore::fs::ops::rename_flags(flags)?;
    let old = read_path(old_ptr)?;
    let new = read_path(new_ptr)?;
    let (old_start, new_start) = (start_for(old_dirfd, &old)?, start_for(new_dirfd, &new)?);
    with_tree(|t| t.rename_at_flags(old_start, &old, new_start, &new, flags)).map(|()| 0)
}

/// `symlink(target, linkpath)`.
pub fn symlink(f: &mut TrapFrame) -> KResult<u64> {
    do_symlink(f.arg(0), AT_FDCWD, f.arg(1))
}

/// `symlinkat(target, newdirfd, linkpath)`.
pub fn symlinkat(f: &mut TrapFrame) -> KResult<u64> {
    do_symlink(f.arg(0), f.arg(1) as i32, f.arg(2))
}

fn do_symlink(target_ptr: u64, dirfd: i32, path_ptr: u64) -> KResult<u64> {
    let target = read_path(target_ptr)?;
    let path = read_path(path_ptr)?;
    let start = start_for(dirfd, &path)?;
    with_tree(|t| t.symlink_at(&target, start, &path)).map(|_| 0)
}

/// `readlink(path, buf, size)`: the target, cut to `size` bytes, no NUL.
pub fn readlink(f: &mut TrapFrame) -> KResult<u64> {
    do_readlink(AT_FDCWD, f.arg(0), f.arg(1), f.arg(2) as i32)
}

/// `readlinkat(dirfd, path, buf, size)`.
pub fn readlinkat(f: &mut TrapFrame) -> KResult<u64> {
    do_readlink(f.arg(0) as i32, f.arg(1), f.arg(2), f.arg(3) as i32)
}

fn do_readlink(dirfd: i32, path_ptr: u64, buf: u64, size: i32) -> KResult<u64> {
    if size <= 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path(path_ptr)?;
    let start = start_for(dirfd, &path)?;
    let target = with_tree(|t| t.readlink_at(start, &path).map(<[u8]>::to_vec))?;
    let n = target.len().min(size as usize);
    copy_out(buf, &target[..n])?;
    Ok(n as u64)
}

// ---- contents and attributes ----

/// `truncate(path, length)`: follows symlinks; EISDIR for a directory,
/// EINVAL for a device.
pub fn truncate(f: &mut TrapFrame) -> KResult<u64> {
    let len = u64::try_from(f.arg(1) as i64).map_err(|_| Errno::EINVAL)?;
    let ino = lookup(AT_FDCWD, f.arg(0), true)?;
    with_tree(|t| t.truncate(ino, len)).map(|()| 0)
}

/// `ftruncate(fd, length)`: only a regular file open for writing (else
/// EINVAL, as on Linux).
pub fn ftruncate(f: &mut TrapFrame) -> KResult<u64> {
    let len = u64::try_from(f.arg(1) as i64).map_err(|_| Errno::EINVAL)?;
    let file = file(f.arg(0) as i32)?;
    let Target::Node(ino) = file.target else {
        return Err(Errno::EINVAL);
    };
    if !file.writable() {
        return Err(Errno::EINVAL);
    }
    with_tree(|t| match t.node(ino).kind {
        NodeKind::File(_) => t.truncate(ino, len),
        _ => Err(Errno::EINVAL),
    })
    .map(|()| 0)
}

/// `fsync(fd)`, and `fdatasync(fd)` (the same call here): everything is in
/// memory already, so files and directories are always in sync; the
/// console, pipes and devices have nothing to sync (EINVAL, as on Linux).
pub fn fsync(f: &mut TrapFrame) -> KResult<u64> {
    match fd_node(f.arg(0) as i32)? {
        Some(ino)
            if with_tree(|t| matches!(t.node(ino).kind, NodeKind::File(_) | NodeKind::Dir(_))) =>
        {
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

/// `access(path, mode)`.
pub fn access(f: &mut TrapFrame) -> KResult<u64> {
    do_access(AT_FDCWD, f.arg(0), f.arg(1) as u32)
}

/// `faccessat(dirfd, path, mode)` (the system call has no flags).
pub fn faccessat(f: &mut TrapFrame) -> KResult<u64> {
    do_access(f.arg(0) as i32, f.arg(1), f.arg(2) as u32)
}

/// Every process is root: existence is what counts, and for execution at
/// least one execute bit (or a directory), as Linux checks for root.
fn do_access(dirfd: i32, path_ptr: u64, mode: u32) -> KResult<u64> {
    kcore::fs::ops::check_access_mode(mode)?;
    let ino = lookup(dirfd, path_ptr, true)?;
    with_tree(|t| t.check_access(ino, mode)).map(|()| 0)
}

/// `chmod(path, mode)`: follows symlinks.
pub fn chmod(f: &mut TrapFrame) -> KResult<u64> {
    do_chmod(AT_FDCWD, f.arg(0), f.arg(1) as u32)
}

/// `fchmodat(dirfd, path, mode)`: follows symlinks. The system call has
/// no flags argument (the C library's `fchmodat` has one, and answers
/// `AT_SYMLINK_NOFOLLOW` itself), so whatever a fourth register holds is
/// not looked at, as on Linux.
pub fn fchmodat(f: &mut TrapFrame) -> KResult<u64> {
    do_chmod(f.arg(0) as i32, f.arg(1), f.arg(2) as u32)
}

fn do_chmod(dirfd: i32, path_ptr: u64, mode: u32) -> KResult<u64> {
    let ino = lookup(dirfd, path_ptr, true)?;
    with_tree(|t| t.chmod(ino, mode));
    Ok(0)
}

/// `fchmod(fd, mode)`. The console and pipes have no node: accepted,
/// nothing changes.
pub fn fchmod(f: &mut TrapFrame) -> KResult<u64> {
    if let Some(ino) = fd_node(f.arg(0) as i32)? {
        with_tree(|t| t.chmod(ino, f.arg(1) as u32));
    }
    Ok(0)
}
